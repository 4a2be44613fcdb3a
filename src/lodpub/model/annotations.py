"""W3C Web Annotations tying a node to the span of the text it came from."""

from __future__ import annotations

from rdflib import Literal, URIRef

from lodpub.extract.mention import Mention
from lodpub.resolve.entity import Link

from .context import Context, decimal
from .namespaces import CRM, LP, OA, RDF, XSD

CONTEXT_CHARS = 32  # prefix and suffix length of quote selectors, in code points


def annotate(ctx: Context, start: int, end: int, body: URIRef) -> URIRef:
    """An identifying annotation `{doc}/mention/{start}-{end}` whose body is `body` and whose
    target is that span of the text, by position (code points) and by quote with context."""
    text = ctx.record.body
    if not 0 <= start < end <= len(text):
        raise ctx.error("body", f"span {start}-{end} is outside the text (length {len(text)})")
    node = ctx.part("mention", f"{start}-{end}")
    number = 1
    while str(node) in ctx.annotated:  # a second body for the same span gets its own annotation
        number += 1
        node = ctx.part("mention", f"{start}-{end}-{number}")
    ctx.annotated.add(str(node))

    graph = ctx.catalogue
    target = URIRef(f"{node}/target")
    position = URIRef(f"{node}/selector/position")
    quote = URIRef(f"{node}/selector/quote")
    graph.add((node, RDF.type, OA.Annotation))
    graph.add((node, OA.motivatedBy, OA.identifying))
    graph.add((node, OA.hasBody, body))
    graph.add((node, OA.hasTarget, target))
    graph.add((target, RDF.type, OA.SpecificResource))
    graph.add((target, OA.hasSource, ctx.text))
    graph.add((target, OA.hasSelector, position))
    graph.add((target, OA.hasSelector, quote))
    graph.add((position, RDF.type, OA.TextPositionSelector))
    graph.add((position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    graph.add((position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(text[start:end])))
    prefix = text[max(0, start - CONTEXT_CHARS) : start]
    suffix = text[end : end + CONTEXT_CHARS]
    if prefix:
        graph.add((quote, OA.prefix, Literal(prefix)))
    if suffix:
        graph.add((quote, OA.suffix, Literal(suffix)))
    return node


def annotate_mention(ctx: Context, mention: Mention, body: URIRef) -> URIRef:
    """An identifying annotation of a recognised span, with its recognizer and confidence."""
    found = ctx.record.body[mention.start : mention.end]
    if found != mention.text:
        raise ctx.error(
            "mentions",
            f"mention {mention.start}-{mention.end} is {mention.text!r}, the body has {found!r}",
        )
    node = annotate(ctx, mention.start, mention.end, body)
    ctx.catalogue.add((node, LP.recognizer, Literal(mention.recognizer)))
    ctx.catalogue.add((node, LP.confidence, decimal(mention.confidence)))
    return node


def annotate_link(ctx: Context, link: Link) -> URIRef:
    """The annotation of a linked name mention; the text refers (P67) to what it annotates."""
    entity = URIRef(link.entity)
    node = annotate_mention(ctx, link.mention, entity)
    ctx.catalogue.add((node, LP.linkMethod, Literal(link.method)))
    ctx.catalogue.add((node, LP.linkScore, decimal(link.score)))
    ctx.catalogue.add((ctx.text, CRM.P67_refers_to, entity))
    return node
