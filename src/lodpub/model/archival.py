"""The archival reference (E42 with typed parts), the carrier (E22), its holdings (E78), keeper."""

from __future__ import annotations

from collections import Counter

from rdflib import URIRef

from lodpub.uris import slugify

from .context import Context, add_node, content
from .entities import record_actor
from .namespaces import CRM


def add_citation(ctx: Context) -> URIRef | None:
    """The archival reference of the report and the carrier it points to; returns the carrier."""
    citation = ctx.record.citation
    if citation is None or not citation.text.strip():
        return None
    g, vocab = ctx.catalogue, ctx.vocab
    reference = ctx.part("identifier", "archival")
    add_node(g, reference, CRM.E42_Identifier, citation.text.strip())
    g.add((reference, CRM.P2_has_type, vocab.type("identifier", "archival-reference")))
    g.add((reference, CRM.P190_has_symbolic_content, content(citation.text.strip())))
    g.add((ctx.doc, CRM.P1_is_identified_by, reference))

    seen: Counter[str] = Counter()
    for part in citation.parts:
        if not part.value.strip():
            continue
        kind = vocab.find("citation-part", part.kind) or vocab.type("citation-part", "other")
        slug = slugify(part.kind)
        seen[slug] += 1
        name = slug if seen[slug] == 1 else f"{slug}-{seen[slug]}"
        node = ctx.part("identifier", "archival", "part", name)
        add_node(g, node, CRM.E42_Identifier, f"{vocab.label(kind)}: {part.value.strip()}")
        g.add((node, CRM.P2_has_type, kind))
        g.add((node, CRM.P190_has_symbolic_content, content(part.value.strip())))
        g.add((reference, CRM.P106_is_composed_of, node))

    carrier = ctx.part("carrier")
    carrier_label = f"Original of “{ctx.title}”, {citation.text.strip()}"
    add_node(g, carrier, CRM["E22_Human-Made_Object"], carrier_label)
    g.add((carrier, CRM.P128_carries, ctx.doc))
    archive = citation.get("archive")
    if archive and archive.strip():
        keeper = record_actor(ctx, "archive", archive, "group")
        g.add((carrier, CRM.P50_has_current_keeper, keeper))
        _add_holdings(ctx, archive.strip(), keeper, carrier)
    return carrier


def _add_holdings(ctx: Context, archive: str, keeper: URIRef, carrier: URIRef) -> None:
    """The archive's arrangement the reference names (fond > opis > delo, ...), top-down as cited;
    the URIs depend only on the archive and the cited values, so documents share them."""
    g, vocab = ctx.catalogue, ctx.vocab
    path = [slugify(archive)]
    names = [archive]
    parent: URIRef | None = None
    for part in ctx.record.citation.parts if ctx.record.citation else ():
        unit = vocab.find("archival-unit", part.kind)
        if unit is None or not part.value.strip():
            continue
        path.append(slugify(f"{part.kind}-{part.value}"))
        names.append(f"{vocab.label(unit)} {part.value.strip()}")
        holding = URIRef(ctx.uris.thing("holding", "/".join(path)))
        add_node(g, holding, CRM.E78_Curated_Holding, ", ".join(names))
        g.add((holding, CRM.P2_has_type, unit))
        g.add((holding, CRM.P50_has_current_keeper, keeper))
        if parent is not None:
            g.add((parent, CRM.P46_is_composed_of, holding))
        parent = holding
    if parent is not None:
        g.add((parent, CRM.P46_is_composed_of, carrier))
