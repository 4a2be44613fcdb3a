"""The report, its text (translation), title, creation, summary, publication, rights, funding."""

from __future__ import annotations

from rdflib import Literal, URIRef

from lodpub.uris import slugify

from .context import Context, add_node, add_type, content, label, primary_subtag, sha256
from .entities import record_actor
from .namespaces import CRM, LP, LPT, RDF, SKOS
from .timespans import add_timespan, iso_bounds

# Languages our vocabulary lacks: the Library of Congress ISO 639 lists, described in the
# catalogue graph with the tag as label.
ISO639 = {2: "http://id.loc.gov/vocabulary/iso639-1/", 3: "http://id.loc.gov/vocabulary/iso639-2/"}


def language(ctx: Context, tag: str) -> URIRef:
    """The E56 of a BCP 47 tag's primary subtag."""
    code = primary_subtag(tag)
    node = LPT[f"language/{code}"]
    if ctx.vocab.declares(node):
        return node
    if len(code) not in ISO639 or not code.isalpha() or not code.isascii():
        raise ctx.error("language", f"{tag!r} is not a BCP 47 language tag")
    node = URIRef(ISO639[len(code)] + code)
    add_node(ctx.catalogue, node, CRM.E56_Language, f"language {code}")
    return node


def is_translation(ctx: Context) -> bool:
    record = ctx.record
    if record.translator:
        return True
    original = record.original_language
    return bool(original) and primary_subtag(original) != primary_subtag(record.language)


def _dated(ctx: Context, activity: URIRef, date: str, field_name: str) -> None:
    """Give an activity the time-span of an ISO 8601 date from the record."""
    try:
        begin, end = iso_bounds(date)
        timespan = add_timespan(
            ctx.catalogue, URIRef(f"{activity}/timespan"), begin=begin, end=end, wording=date
        )
    except ValueError as exc:
        raise ctx.error(field_name, str(exc)) from None
    ctx.catalogue.add((activity, CRM["P4_has_time-span"], timespan))


def add_document(ctx: Context) -> None:
    """The report (E31 + E33): title, original language, its creation by its author."""
    g, record, doc = ctx.catalogue, ctx.record, ctx.doc
    add_node(g, doc, CRM.E31_Document, ctx.title)
    g.add((doc, RDF.type, CRM.E33_Linguistic_Object))
    if record.title.strip():
        title = ctx.part("title")
        add_node(g, title, CRM.E35_Title, record.title.strip())
        add_type(g, title, ctx.vocab.type("name", "primary"))
        g.add((title, CRM.P190_has_symbolic_content, content(record.title.strip())))
        g.add((doc, CRM.P102_has_title, title))
    if record.original_language:
        g.add((doc, CRM.P72_has_language, language(ctx, record.original_language)))

    add_node(g, ctx.author, CRM.E39_Actor, f"Author of “{ctx.title}”")
    g.add((ctx.author, CRM.P2_has_type, ctx.vocab.type("actor", "unidentified-author")))
    creation = ctx.part("creation")
    add_node(g, creation, CRM.E65_Creation, f"Writing of “{ctx.title}”")
    g.add((creation, CRM.P2_has_type, ctx.vocab.type("activity", "authoring")))
    g.add((creation, CRM.P94_has_created, doc))
    g.add((creation, CRM.P14_carried_out_by, ctx.author))
    if record.date:
        _dated(ctx, creation, record.date, "date")


def add_text(ctx: Context) -> URIRef | None:
    """The text the body holds (a translation when the record says so); returns its creation."""
    g, record, text = ctx.catalogue, ctx.record, ctx.text
    language_node = language(ctx, record.language)
    translated = is_translation(ctx)
    language_name = (
        ctx.vocab.label(language_node) if ctx.vocab.declares(language_node) else (record.language)
    )
    what = "translation" if translated else "text"
    add_node(g, text, CRM.E33_Linguistic_Object, f"{language_name} {what} of “{ctx.title}”")
    g.add((text, CRM.P72_has_language, language_node))
    g.add((text, CRM.P190_has_symbolic_content, content(record.body)))
    g.add((text, LP.sha256, Literal(sha256(record.body))))
    if not translated:
        g.add((ctx.doc, CRM.P165_incorporates, text))
        return None

    g.add((ctx.doc, CRM.P73_has_translation, text))
    creation = URIRef(f"{text}/creation")
    by = f" by {record.translator.strip()}" if record.translator else ""
    add_node(g, creation, CRM.E65_Creation, f"Translation of “{ctx.title}”{by}")
    g.add((creation, CRM.P2_has_type, ctx.vocab.type("activity", "translation")))
    g.add((creation, CRM.P94_has_created, text))
    if record.translator:
        translator = record_actor(ctx, "translator", record.translator, "person")
        g.add((creation, CRM.P14_carried_out_by, translator))
        role = URIRef(f"{creation}/translator")
        add_node(g, role, CRM.PC14_carried_out_by, f"{record.translator.strip()} as translator")
        g.add((role, CRM.P01_has_domain, creation))
        g.add((role, CRM.P02_has_range, translator))
        g.add((role, CRM["P14.1_in_the_role_of"], ctx.vocab.type("role", "translator")))
    return creation


def subject_headings(ctx: Context) -> list[URIRef]:
    """The archive's subject headings (tags that are not persons, groups or places) as concepts;
    documents tagged with the same heading share its node."""
    nodes = []
    for tag in ctx.record.tags:
        if tag.kind != "subject" or not tag.label.strip():
            continue
        node = URIRef(ctx.uris.thing("subject", slugify(tag.label)))
        add_node(ctx.catalogue, node, CRM.E55_Type, tag.label.strip())
        ctx.catalogue.add((node, RDF.type, SKOS.Concept))
        ctx.catalogue.add((node, SKOS.prefLabel, label(tag.label.strip())))
        nodes.append(node)
    return nodes


def add_summary(ctx: Context) -> None:
    """The summary is about the report and about what the archive tagged it with (entities and
    subject headings); without a summary the tags go on the report itself."""
    g, record = ctx.catalogue, ctx.record
    subjects = [URIRef(uri) for uri in ctx.resolution.subjects] + subject_headings(ctx)
    if not (record.summary and record.summary.strip()):
        for subject in subjects:
            g.add((ctx.doc, CRM.P129_is_about, subject))
        return
    summary = ctx.part("summary")
    add_node(g, summary, CRM.E33_Linguistic_Object, f"Summary of “{ctx.title}”")
    add_type(g, summary, ctx.vocab.type("statement", "summary"))
    g.add((summary, CRM.P190_has_symbolic_content, content(record.summary)))
    g.add((summary, CRM.P72_has_language, language(ctx, record.language)))
    g.add((summary, CRM.P129_is_about, ctx.doc))
    for subject in subjects:
        g.add((summary, CRM.P129_is_about, subject))


def add_publication(ctx: Context) -> None:
    """The web publication: publisher, record id, upload date, rights statement."""
    g, record = ctx.catalogue, ctx.record
    if not any((record.publisher, record.rights, record.record_id, record.uploaded)):
        return
    publication = ctx.part("publication")
    add_node(g, publication, CRM.E73_Information_Object, f"Web publication of “{ctx.title}”")
    g.add((publication, CRM.P2_has_type, ctx.vocab.type("publication", "web")))
    g.add((publication, CRM.P165_incorporates, ctx.text))

    publishing = URIRef(f"{publication}/creation")
    by = f" by {record.publisher.strip()}" if record.publisher else ""
    add_node(g, publishing, CRM.E65_Creation, f"Publishing of “{ctx.title}”{by}")
    add_type(g, publishing, ctx.vocab.type("activity", "publishing"))
    g.add((publishing, CRM.P94_has_created, publication))
    if record.publisher:
        publisher = record_actor(ctx, "publisher", record.publisher, "group")
        g.add((publishing, CRM.P14_carried_out_by, publisher))
    if record.uploaded:
        _dated(ctx, publishing, record.uploaded, "uploaded")

    if record.record_id and record.record_id.strip():
        record_id = record.record_id.strip()
        identifier = ctx.part("identifier", "record")
        add_node(g, identifier, CRM.E42_Identifier, f"Record ID {record_id}")
        g.add((identifier, CRM.P2_has_type, ctx.vocab.type("identifier", "record-id")))
        g.add((identifier, CRM.P190_has_symbolic_content, content(record_id)))
        g.add((publication, CRM.P1_is_identified_by, identifier))
    if record.rights:
        rights = ctx.part("rights")
        add_node(g, rights, CRM.E33_Linguistic_Object, f"Rights statement for “{ctx.title}”")
        add_type(g, rights, ctx.vocab.type("statement", "rights"))
        g.add((rights, CRM.P190_has_symbolic_content, content(record.rights)))
        g.add((rights, CRM.P129_is_about, publication))


def add_funding(ctx: Context, translation: URIRef | None) -> None:
    """The funding activity (for the translation, when there is one) and its credit line."""
    g, record = ctx.catalogue, ctx.record
    if not (record.funder or record.funding_line):
        return
    funding = ctx.part("funding")
    by = f" by {record.funder.strip()}" if record.funder else ""
    add_node(g, funding, CRM.E7_Activity, f"Funding of “{ctx.title}”{by}")
    g.add((funding, CRM.P2_has_type, ctx.vocab.type("activity", "funding")))
    if record.funder:
        funder = record_actor(ctx, "funder", record.funder, "group")
        g.add((funding, CRM.P14_carried_out_by, funder))
    if translation is not None:
        g.add((funding, CRM.P20_had_specific_purpose, translation))
    if record.funding_line:
        credit = ctx.part("credit")
        add_node(g, credit, CRM.E33_Linguistic_Object, f"Credit line of “{ctx.title}”")
        add_type(g, credit, ctx.vocab.type("statement", "credit-line"))
        g.add((credit, CRM.P190_has_symbolic_content, content(record.funding_line)))
        g.add((credit, CRM.P129_is_about, funding))
