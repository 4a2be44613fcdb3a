"""lodpub's JSON-LD: a published context with readable keys, and documents compacted with it.

The context (served at `/ns/context.jsonld`) is generated from the vocabulary: Linked Art's
names where it has one (`identified_by`, `classified_as`, `content`, `timespan`, ...), the CRM
label otherwise (`P128_carries` -> `carries`), `id`/`type` for `@id`/`@type`, `_label` for
rdfs:label. Documents are flat `@graph`s of nodes; a value that does not fit its key's
coercion is written as an explicit value object, so every document expands to exactly the
triples it was made from.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from lodpub.vocab import PREFIXES
from lodpub.web.describe import FOAF, HYDRA
from lodpub.web.labels import Term, Vocabulary, vocabulary

bp = Blueprint("jsonld_context", __name__)

CONTEXT_PATH = "/ns/context.jsonld"
MEDIA_TYPE = "application/ld+json"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
EXTRA_PREFIXES = {"foaf": FOAF, "hydra": HYDRA}
_ORDER = {"id": 0, "type": 1, "_label": 2}


def all_prefixes() -> dict[str, str]:
    return {**{name: str(ns) for name, ns in PREFIXES.items()}, **EXTRA_PREFIXES}


def compact_iri(iri: str, prefixes: dict[str, str]) -> str:
    """`prefix:local` for an IRI in a known namespace, else the IRI."""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def context(vocab: Vocabulary | None = None) -> dict[str, Any]:
    """The `@context` object (keys sorted, so the served file is stable)."""
    vocab = vocab or vocabulary()
    prefixes = all_prefixes()
    terms: dict[str, Any] = {"@version": 1.1, "id": "@id", "type": "@type"}
    terms.update(prefixes)
    for term in sorted(vocab.terms.values(), key=lambda t: t.key or ""):
        if not term.key:
            continue
        definition: dict[str, Any] = {"@id": compact_iri(term.iri, prefixes)}
        if term.coercion == "@id":
            definition["@type"] = "@id"
        elif term.coercion:
            definition["@type"] = compact_iri(term.coercion, prefixes)
        if term.language and not term.coercion:
            definition["@language"] = term.language
        terms[term.key] = definition if len(definition) > 1 else definition["@id"]
    return {"@context": terms}


class Compactor:
    """Writes triples as JSON-LD nodes whose keys are the context's terms."""

    def __init__(self, vocab: Vocabulary | None = None) -> None:
        self.vocab = vocab or vocabulary()
        self.prefixes = all_prefixes()
        self._keys: dict[str, tuple[str, Term | None]] = {}

    def key(self, predicate: str) -> tuple[str, Term | None]:
        found = self._keys.get(predicate)
        if found is None:
            term = self.vocab.terms.get(predicate)
            if term is not None and term.key:
                found = (term.key, term)
            else:
                found = (compact_iri(predicate, self.prefixes), None)
            self._keys[predicate] = found
        return found

    def type_name(self, iri: str) -> str:
        term = self.vocab.terms.get(iri)
        if term is not None and term.key:
            return term.key
        return compact_iri(iri, self.prefixes)

    def value(self, term: Term | None, obj: ox.NamedNode | ox.BlankNode | ox.Literal) -> Any:
        coercion = term.coercion if term else None
        language = term.language if term else None
        if isinstance(obj, ox.NamedNode):
            return obj.value if coercion == "@id" else {"id": obj.value}
        if isinstance(obj, ox.BlankNode):
            return f"_:{obj.value}" if coercion == "@id" else {"id": f"_:{obj.value}"}
        lexical, datatype = obj.value, obj.datatype.value
        if obj.language:
            if language == obj.language and coercion is None:
                return lexical
            return {"@value": lexical, "@language": obj.language}
        if coercion == datatype:
            return lexical
        if coercion is None and language is None:
            if datatype == XSD + "string":
                return lexical
            if datatype == XSD + "boolean" and lexical in ("true", "false"):
                return lexical == "true"
            # Only a canonical integer may become a JSON number: "07" must stay "07".
            canonical = lexical.lstrip("-").isdigit() and str(int(lexical)) == lexical
            if datatype == XSD + "integer" and canonical:
                return int(lexical)
        return {"@value": lexical, "@type": datatype}

    def document(self, triples: list[ox.Triple], context_url: str, first: str | None) -> bytes:
        """A JSON-LD document: `@context` by reference, the nodes in `@graph` (`first` first)."""
        nodes: dict[str, dict[str, Any]] = {}
        for triple in triples:
            subject = triple.subject
            sid = subject.value if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
            entry = nodes.setdefault(sid, {"id": sid})
            predicate = triple.predicate.value
            if predicate == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
                entry.setdefault("type", []).append(self.type_name(triple.object.value))
                continue
            key, term = self.key(predicate)
            entry.setdefault(key, []).append(self.value(term, triple.object))
        ordered = sorted(nodes.values(), key=lambda n: (n["id"] != first, n["id"]))
        graph = [_tidy(entry) for entry in ordered]
        body = {"@context": context_url, "@graph": graph}
        return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def _tidy(entry: dict[str, Any]) -> dict[str, Any]:
    tidy = {}
    for key in sorted(entry, key=lambda k: (_ORDER.get(k, 3), k)):
        values = entry[key]
        if isinstance(values, list):
            unique = []
            for value in values:
                if value not in unique:
                    unique.append(value)
            values = unique[0] if len(unique) == 1 and key != "type" else unique
            if key == "type" and len(unique) == 1:
                values = unique[0]
        tidy[key] = values
    return tidy


@bp.route(CONTEXT_PATH)
def served_context() -> Response:
    shared = current_app.extensions["lodpub.ld"]
    body = shared.context_body
    response = Response(body, content_type=MEDIA_TYPE)
    response.set_etag(shared.context_etag)
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response.make_conditional(request)
