"""`build`: one Resolution to its catalogue and claims graphs."""

from __future__ import annotations

from rdflib import Dataset, URIRef

from lodpub.resolve.entity import Resolution
from lodpub.uris import Uris
from lodpub.vocab import PREFIXES

from .annotations import annotate_link
from .archival import add_citation
from .claims import add_belief, add_claims
from .context import Context
from .deferred import DeferredMemory, Triple
from .document import add_document, add_funding, add_publication, add_summary, add_text
from .entities import describe, name_node
from .namespaces import CRM
from .notes import add_notes
from .provenance import add_provenance
from .roles import add_roles
from .vocabulary import vocabulary


def build(resolution: Resolution, uris: Uris) -> Dataset:
    """The document's two named graphs: catalogue (what the archive and lodpub say about it)
    and claims (what it says). Same input, same quads: no blank nodes, clocks or randomness."""
    key = resolution.record.key
    catalogue_uri = URIRef(uris.catalogue_graph(key))
    claims_uri = URIRef(uris.claims_graph(key))
    # Triples are gathered in sets and handed to the store once per graph (see DeferredMemory).
    catalogue: set[Triple] = set()
    claims: set[Triple] = set()
    ctx = Context(
        resolution=resolution, uris=uris, vocab=vocabulary(), catalogue=catalogue, claims=claims
    )
    add_document(ctx)
    translation = add_text(ctx)
    carrier = add_citation(ctx)
    add_notes(ctx, carrier)
    add_summary(ctx)
    add_publication(ctx)
    add_funding(ctx, translation)
    for link in resolution.links:
        annotate_link(ctx, link)
    add_alternative_forms(ctx)
    add_claims(ctx)
    add_roles(ctx)
    add_belief(ctx, claims_uri)
    describe_introduced(ctx)
    add_provenance(ctx, (catalogue_uri, claims_uri))

    store = DeferredMemory()
    dataset = Dataset(store=store)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True)
    store.extend(dataset.graph(catalogue_uri), catalogue)
    store.extend(dataset.graph(claims_uri), claims)
    return dataset


def describe_introduced(ctx: Context) -> None:
    """Describe every unreviewed entity the document introduced, with the rules that found it:
    the recognizers of its mentions, "record.tag" for a tag, "record.{role}" for an agent."""
    resolution = ctx.resolution
    for link in resolution.links:
        entity = resolution.entities.get(link.entity)
        if entity is not None and not entity.reviewed:
            ctx.introduced.setdefault(entity.uri, (entity, set()))[1].add(link.mention.recognizer)
    for uri in resolution.subjects:
        entity = resolution.entities.get(uri)
        if entity is not None and not entity.reviewed:
            ctx.introduced.setdefault(uri, (entity, set()))[1].add("record.tag")
    for entity in resolution.entities.values():
        if not entity.reviewed:
            ctx.introduced.setdefault(entity.uri, (entity, set()))
    for uri in sorted(ctx.introduced):
        entity, recognizers = ctx.introduced[uri]
        try:
            describe(ctx.catalogue, entity, recognizers=recognizers)
        except ValueError as exc:
            raise ctx.error("entities", str(exc)) from None


def add_alternative_forms(ctx: Context) -> None:
    """A bracketed form after a name ("Kim Yong-beom [Kim Yong Bom]") is an alternative form
    (P139) of the name it follows, typed as a bracketed alternative."""
    links = ctx.links_by_span()
    bracketed = ctx.vocab.type("name", "bracketed-alternative")
    for link in ctx.resolution.links:
        glossed_span = link.mention.alternative_to
        entity = ctx.resolution.entities.get(link.entity)
        if glossed_span is None or entity is None:
            continue
        glossed = links.get(glossed_span)
        glossed_mention = glossed.mention if glossed else None
        base = None
        if glossed_mention is not None:
            base = name_node(entity, glossed_mention.name or glossed_mention.text)
        base = base or name_node(entity, entity.label)
        alternative = name_node(entity, link.mention.name or link.mention.text)
        if alternative is None or alternative == base:
            continue
        ctx.catalogue.add((base, CRM.P139_has_alternative_form, alternative))
        ctx.catalogue.add((alternative, CRM.P2_has_type, bracketed))
