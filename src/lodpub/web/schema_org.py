"""The schema.org JSON-LD each page embeds for search engines (`<script type=application/ld+json>`).

Templates write it with Jinja's `tojson`, which escapes `<`, `>` and `&`, so a value holding
`</script>` cannot end the script element.
"""

from __future__ import annotations

from typing import Any

from lodpub.web.render import absolute_href

TYPES = {
    "person": "Person",
    "group": "Organization",
    "place": "Place",
    "document": "ArchiveComponent",
    "event": "Event",
}


def describe(iri: str, kind: str | None, page: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": TYPES.get(kind, "Thing"),
        "@id": iri,
        "name": page["label"],
        "url": absolute_href(page["uri_href"]),
    }
    names = [n.text for n in page.get("names", []) if n.text != page["label"]]
    if names:
        data["alternateName"] = names
    about = page.get("summary") if kind == "document" else page.get("notes")
    if about:
        data["description"] = " ".join(str(text) for text in about)
    same = [link.href for link in page.get("external", []) if link.relation == "same as"]
    if same:
        data["sameAs"] = same
    if kind == "document":
        mentioned = [r for _, refs in page.get("entities", []) for r, _, _ in refs]
        data["mentions"] = [
            {"@type": TYPES.get(r.kind, "Thing"), "@id": r.iri, "name": r.label}
            for r in mentioned[:100]
        ]
        for field in page.get("fields", []):
            if field.label == "Rights":
                data["copyrightNotice"] = " ".join(str(v) for v in field.values)
    if kind == "event":
        when = page.get("when")
        if when and when.begin:
            data["startDate"] = when.begin
            data["endDate"] = when.end or when.begin
        places = page.get("places") or []
        if places:
            data["location"] = {"@type": "Place", "@id": places[0].iri, "name": places[0].label}
    return data
