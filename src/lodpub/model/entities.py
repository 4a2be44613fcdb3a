"""Persons, groups and places: class, label, appellations, external ids, containment, membership."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from rdflib import Literal, URIRef

from lodpub.resolve.entity import Entity
from lodpub.uris import slugify

from .context import Context, Triples, add_node, add_type, content, label
from .namespaces import CRM, DCTERMS, LP, LPT, SKOS

ENTITY_CLASS = {"person": CRM.E21_Person, "group": CRM.E74_Group, "place": CRM.E53_Place}
PRIMARY_NAME = LPT["name/primary"]
ALTERNATE_NAME = LPT["name/alternate"]
MATCH = {"exact": SKOS.exactMatch, "close": SKOS.closeMatch}


def primary_name(entity_uri: str) -> URIRef:
    return URIRef(f"{entity_uri}/name/primary")


def alternate_name(entity_uri: str, name: str) -> URIRef:
    """The alternate appellation node of one name: keyed by the exact name, so two documents
    that add names to the same entity never give one node two different contents."""
    return URIRef(f"{entity_uri}/name/{quote(name, safe='')}")


def names(entity: Entity) -> tuple[str, ...]:
    """The entity's alternate names: trimmed, non-empty, without the label, first form kept."""
    seen = {entity.label.strip()}
    kept: list[str] = []
    for variant in entity.variants:
        name = variant.strip()
        if name and name not in seen:
            seen.add(name)
            kept.append(name)
    return tuple(kept)


def name_node(entity: Entity, name: str) -> URIRef | None:
    """The appellation node carrying exactly `name` for this entity, if it has one."""
    name = name.strip()
    if name == entity.label.strip():
        return primary_name(entity.uri)
    return alternate_name(entity.uri, name) if name in names(entity) else None


def describe(graph: Triples, entity: Entity, *, recognizers: Iterable[str] = ()) -> None:
    """Write an entity's description; `recognizers` name the rules that introduced it."""
    if entity.kind not in ENTITY_CLASS:
        raise ValueError(
            f"entity {entity.uri}: kind {entity.kind!r} is not one of {tuple(ENTITY_CLASS)}"
        )
    if not entity.label.strip():
        raise ValueError(f"entity {entity.uri}: empty label")
    node = URIRef(entity.uri)
    add_node(graph, node, ENTITY_CLASS[entity.kind], entity.label.strip())
    graph.add((node, LP.reviewed, Literal(entity.reviewed)))
    for recognizer in sorted(set(recognizers)):
        graph.add((node, LP.recognizer, Literal(recognizer)))

    primary = primary_name(entity.uri)
    add_node(graph, primary, CRM.E33_E41_Linguistic_Appellation, entity.label.strip())
    add_type(graph, primary, PRIMARY_NAME)
    graph.add((primary, CRM.P190_has_symbolic_content, content(entity.label.strip())))
    graph.add((node, CRM.P1_is_identified_by, primary))
    for name in names(entity):
        alternate = alternate_name(entity.uri, name)
        add_node(graph, alternate, CRM.E33_E41_Linguistic_Appellation, name)
        add_type(graph, alternate, ALTERNATE_NAME)
        graph.add((alternate, CRM.P190_has_symbolic_content, content(name)))
        graph.add((node, CRM.P1_is_identified_by, alternate))

    if entity.description:
        graph.add((node, CRM.P3_has_note, label(entity.description)))
    for external in entity.external:
        if external.match not in MATCH:
            raise ValueError(f"entity {entity.uri}: match {external.match!r} is not exact/close")
        graph.add((node, MATCH[external.match], URIRef(external.uri)))
    if entity.broader and entity.kind == "place":
        graph.add((node, CRM.P89_falls_within, URIRef(entity.broader)))
    for group in entity.member_of:
        graph.add((URIRef(group), CRM.P107_has_current_or_former_member, node))
    for replaced in entity.replaces:
        graph.add((node, DCTERMS.replaces, URIRef(replaced)))


def record_actor(ctx: Context, role: str, name: str, kind: str) -> URIRef:
    """The entity of an agent the record names outside its body (translator, funder, publisher,
    archive): the one the resolver chose (`Resolution.agents`), else a resolved entity of that
    kind with that name, else a new unreviewed one."""
    uri = ctx.resolution.agents.get(role)
    if uri is None:
        wanted = name.strip().casefold()
        uri = next(
            (
                e.uri
                for e in sorted(ctx.resolution.entities.values(), key=lambda e: e.uri)
                if e.kind == kind
                and wanted in {n.strip().casefold() for n in (e.label, *e.variants)}
            ),
            ctx.uris.thing(kind, slugify(name)),
        )
    entity = ctx.resolution.entities.get(uri)
    if entity is None:
        entity = Entity(uri=uri, kind=kind, slug=uri.rsplit("/", 1)[1], label=name.strip())
    if not entity.reviewed:
        ctx.introduced.setdefault(uri, (entity, set()))[1].add(f"record.{role}")
    return URIRef(uri)
