// The query page: runs the query with fetch(), shows the results as a table.
// Plain JavaScript, no library and no network access beyond this server.
"use strict";

(function () {
  const app = document.getElementById("app");
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const status = document.getElementById("status");
  const warning = document.getElementById("warning");
  const error = document.getElementById("error");
  const downloads = document.getElementById("downloads");
  const output = document.getElementById("output");
  const share = document.getElementById("share");
  const endpoint = app.dataset.endpoint;
  const base = app.dataset.base;
  const site = app.dataset.site;
  const prefixes = JSON.parse(app.dataset.prefixes);
  const formats = {
    solutions: app.dataset.solutionFormats.split(" "),
    graph: app.dataset.graphFormats.split(" "),
  };
  const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

  function queryUrl(query, format) {
    const params = new URLSearchParams({ query: query });
    if (format) params.set("format", format);
    return endpoint + "?" + params.toString();
  }

  // IRIs under the dataset's base open on this server, wherever it runs: on its own host and
  // under its own path prefix (a reverse proxy's), not at the base URI, which may be elsewhere.
  function localHref(iri) {
    if (base && iri.startsWith(base + "/")) return site + iri.slice(base.length);
    return iri;
  }

  function shortName(iri) {
    for (const [name, ns] of Object.entries(prefixes)) {
      if (iri.startsWith(ns) && iri.length > ns.length) return name + ":" + iri.slice(ns.length);
    }
    return iri;
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // One RDF term (SPARQL JSON results shape) as a table cell's content.
  function term(value) {
    if (!value) return element("span", "", "unbound");
    if (value.type === "uri") {
      const link = element("a", shortName(value.value));
      link.href = localHref(value.value);
      link.title = value.value;
      return link;
    }
    if (value.type === "bnode") return element("span", "_:" + value.value, "bnode");
    const literal = element("span", value.value, "literal");
    const tag = value["xml:lang"] || (value.datatype ? "^^" + shortName(value.datatype) : "");
    if (tag) literal.appendChild(element("small", value["xml:lang"] ? "@" + tag : tag));
    return literal;
  }

  function table(columns, rows) {
    const result = element("table");
    const head = result.createTHead().insertRow();
    for (const column of columns) head.appendChild(element("th", column));
    const body = result.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const cell of row) tr.insertCell().appendChild(term(cell));
    }
    return result;
  }

  // Expanded JSON-LD (what the endpoint sends for graphs) as subject/predicate/object rows.
  function triples(nodes) {
    const rows = [];
    const id = (ref) => (ref.startsWith("_:") ? { type: "bnode", value: ref.slice(2) } : { type: "uri", value: ref });
    for (const node of nodes) {
      const subject = id(node["@id"]);
      for (const [key, values] of Object.entries(node)) {
        if (key === "@id") continue;
        for (const value of [].concat(values)) {
          if (key === "@type") {
            rows.push([subject, id(RDF_TYPE), id(value)]);
          } else if (value["@id"] !== undefined) {
            rows.push([subject, id(key), id(value["@id"])]);
          } else {
            const literal = { type: "literal", value: String(value["@value"]) };
            if (value["@language"]) literal["xml:lang"] = value["@language"];
            if (value["@type"]) literal.datatype = value["@type"];
            rows.push([subject, id(key), literal]);
          }
        }
      }
    }
    return rows;
  }

  function showDownloads(query, kind) {
    downloads.replaceChildren(document.createTextNode("Download: "));
    for (const name of formats[kind]) {
      const link = element("a", name);
      link.href = queryUrl(query, name);
      link.download = "results." + name;
      downloads.append(link, " ");
    }
    downloads.hidden = false;
  }

  function reset() {
    status.textContent = "Running…";
    for (const node of [warning, error, downloads]) node.hidden = true;
    output.replaceChildren();
  }

  async function run() {
    const query = editor.value;
    const url = queryUrl(query);
    window.history.replaceState(null, "", url);
    share.href = url;
    reset();
    const started = performance.now();
    let response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/sparql-results+json, application/ld+json;q=0.9",
        },
        body: new URLSearchParams({ query: query }),
      });
    } catch (failure) {
      status.textContent = "";
      error.textContent = "The server could not be reached: " + failure;
      error.hidden = false;
      return;
    }
    const elapsed = Math.round(performance.now() - started);
    if (!response.ok) {
      status.textContent = "Error " + response.status + " after " + elapsed + " ms";
      error.textContent = await response.text();
      error.hidden = false;
      return;
    }
    const data = await response.json();
    const type = response.headers.get("Content-Type") || "";
    let count;
    if (type.startsWith("application/sparql-results+json")) {
      if ("boolean" in data) {
        output.appendChild(element("p", "Answer: " + data.boolean, "boolean"));
        count = null;
      } else {
        const columns = data.head.vars;
        const rows = data.results.bindings.map((binding) => columns.map((name) => binding[name]));
        output.appendChild(table(columns, rows));
        count = rows.length;
      }
      showDownloads(query, "solutions");
    } else {
      const rows = triples(data);
      output.appendChild(table(["subject", "predicate", "object"], rows));
      count = rows.length;
      showDownloads(query, "graph");
    }
    const unit = type.startsWith("application/ld+json") ? "triples" : "rows";
    status.textContent = (count === null ? "" : count + " " + unit + " in ") + elapsed + " ms";
    if (response.headers.get("X-LODPUB-Truncated") === "true") {
      const limit = response.headers.get("X-LODPUB-Row-Limit");
      warning.textContent =
        "Only the first " + limit + " " + unit + " are shown: the result is longer than the " +
        "endpoint's row limit. Use LIMIT and OFFSET to page through it.";
      warning.hidden = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", () => {
      editor.value = button.dataset.query;
      run();
    });
  }
  if (new URLSearchParams(window.location.search).has("query")) run();
})();
