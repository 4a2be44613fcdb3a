"""The catalogue graph: report, translation, title, summary, notes, citation, publication."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from lodpub.model import ModelError, build
from lodpub.resolve.entity import Resolution
from lodpub.sources.record import Citation, CitationPart, EditorialNote, Tag
from lodpub.vocab import AAT, CRM, LP, LPT, OA
from model_sample import BODY, URIS, resolution

DOC = URIRef(URIS.document("sample-1"))
TEXT = URIRef(f"{DOC}/text/en")


def part(*path: str) -> URIRef:
    return URIRef("/".join((str(DOC), *path)))


@pytest.fixture(scope="module")
def dataset():
    return build(resolution(), URIS)


@pytest.fixture(scope="module")
def catalogue(dataset):
    return dataset.graph(URIRef(URIS.catalogue_graph("sample-1")))


def triples(dataset) -> set:
    return {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}


def with_record(**changes):
    res = resolution()
    return dataclasses.replace(res, record=dataclasses.replace(res.record, **changes))


def test_exactly_the_two_named_graphs_of_the_document(dataset):
    named = {g.identifier for g in dataset.graphs() if len(g)}
    assert named == {
        URIRef(URIS.catalogue_graph("sample-1")),
        URIRef(URIS.claims_graph("sample-1")),
    }
    assert len(dataset.default_graph) == 0


def test_no_blank_nodes_anywhere(dataset):
    for quad in dataset.quads((None, None, None, None)):
        assert not any(isinstance(term, BNode) for term in quad), quad


def test_building_twice_gives_the_same_quads():
    assert set(build(resolution(), URIS).quads()) == set(build(resolution(), URIS).quads())


def test_report_is_a_document_in_its_original_language_with_a_title(catalogue):
    assert (DOC, RDF.type, CRM.E31_Document) in catalogue
    assert (DOC, RDF.type, CRM.E33_Linguistic_Object) in catalogue
    assert (DOC, CRM.P72_has_language, LPT["language/ru"]) in catalogue
    title = catalogue.value(DOC, CRM.P102_has_title)
    assert title == part("title")
    assert catalogue.value(title, CRM.P190_has_symbolic_content) == Literal(
        "Report on Communists in Korea, 1945"
    )
    assert (title, CRM.P2_has_type, LPT["name/primary"]) in catalogue
    assert (title, CRM.P2_has_type, AAT["300404670"]) in catalogue


def test_translation_carries_the_exact_body_and_its_hash(catalogue):
    assert (DOC, CRM.P73_has_translation, TEXT) in catalogue
    assert catalogue.value(TEXT, CRM.P190_has_symbolic_content) == Literal(BODY)
    assert str(catalogue.value(TEXT, CRM.P190_has_symbolic_content)) == BODY
    assert catalogue.value(TEXT, LP.sha256) == Literal(hashlib.sha256(BODY.encode()).hexdigest())
    assert (TEXT, CRM.P72_has_language, LPT["language/en"]) in catalogue


def test_translator_carries_out_the_translation_in_the_role_of_translator(catalogue):
    creation = URIRef(f"{TEXT}/creation")
    translator = URIRef(URIS.thing("person", "gary-goldberg"))
    assert (creation, CRM.P94_has_created, TEXT) in catalogue
    assert (creation, CRM.P14_carried_out_by, translator) in catalogue
    role = URIRef(f"{creation}/translator")
    assert (role, RDF.type, CRM.PC14_carried_out_by) in catalogue
    assert (role, CRM.P01_has_domain, creation) in catalogue
    assert (role, CRM.P02_has_range, translator) in catalogue
    assert (role, CRM["P14.1_in_the_role_of"], LPT["role/translator"]) in catalogue


def test_text_without_translator_or_other_language_is_not_a_translation():
    ds = build(with_record(translator=None, original_language=None), URIS)
    found = triples(ds)
    assert (DOC, CRM.P165_incorporates, TEXT) in found
    assert not any(p == CRM.P73_has_translation for _, p, _ in found)


def test_unknown_language_uses_the_iso_639_list_and_is_labelled():
    ds = build(with_record(original_language="haw"), URIS)
    language = URIRef("http://id.loc.gov/vocabulary/iso639-2/haw")
    assert (DOC, CRM.P72_has_language, language) in triples(ds)
    assert (language, RDF.type, CRM.E56_Language) in triples(ds)


def test_summary_is_about_the_report_and_the_tagged_subjects(catalogue):
    summary = part("summary")
    assert (summary, CRM.P2_has_type, AAT["300026032"]) in catalogue
    assert (summary, CRM.P129_is_about, DOC) in catalogue
    kcp = URIRef(URIS.thing("group", "korean-communist-party"))
    assert (summary, CRM.P129_is_about, kcp) in catalogue


def test_subject_headings_become_shared_concepts():
    ds = build(with_record(tags=(Tag("subject", "Communism"),)), URIS)
    concept = URIRef(URIS.thing("subject", "communism"))
    found = triples(ds)
    assert (part("summary"), CRM.P129_is_about, concept) in found
    assert (concept, RDF.type, CRM.E55_Type) in found
    assert (concept, RDFS.label, Literal("Communism", lang="en")) in found


def test_translators_note_on_handwriting_is_an_inscription_statement_about_the_carrier(catalogue):
    note = part("note", "translator")
    assert (note, CRM.P2_has_type, LPT["note/translator"]) in catalogue
    assert (note, CRM.P2_has_type, AAT["300435414"]) in catalogue
    assert (note, CRM.P129_is_about, part("carrier")) in catalogue
    assert catalogue.value(note, CRM.P190_has_symbolic_content) == Literal(
        "there are handwritten notes in Korean in two places"
    )


def test_translators_note_on_wording_is_about_the_text():
    body = "[Translator's note: the word is ambiguous] Text."
    note = EditorialNote("translator", body[:42], "the word is ambiguous", 0, 42)
    record = dataclasses.replace(resolution().record, body=body, notes=(note,))
    ds = build(Resolution(record, (), (), {}), URIS)
    found = triples(ds)
    assert (part("note", "translator"), CRM.P129_is_about, TEXT) in found
    assert (part("note", "translator"), CRM.P2_has_type, AAT["300435414"]) not in found


def test_every_editorial_note_is_annotated_at_its_span(catalogue):
    for note in resolution().record.notes:
        annotation = URIRef(URIS.mention("sample-1", note.start, note.end))
        body = catalogue.value(annotation, OA.hasBody)
        assert (body, RDF.type, CRM.E33_Linguistic_Object) in catalogue
        kind = LPT[f"note/{note.kind}"]
        assert (body, CRM.P2_has_type, kind) in catalogue


def test_archival_reference_has_one_typed_part_per_citation_part(catalogue):
    reference = part("identifier", "archival")
    assert (DOC, CRM.P1_is_identified_by, reference) in catalogue
    assert (reference, CRM.P2_has_type, LPT["identifier/archival-reference"]) in catalogue
    parts = {
        str(catalogue.value(p, CRM.P2_has_type)).rsplit("/", 1)[1]: str(
            catalogue.value(p, CRM.P190_has_symbolic_content)
        )
        for p in catalogue.objects(reference, CRM.P106_is_composed_of)
    }
    assert parts == {
        "archive": "AGShVS RF",
        "fond": "172",
        "opis": "614631",
        "delo": "23",
        "pages": "21-26",
    }


def test_carrier_sits_in_the_holdings_the_reference_names_kept_by_the_archive(catalogue):
    carrier = part("carrier")
    archive = URIRef(URIS.thing("group", "agshvs-rf"))
    assert (carrier, CRM.P128_carries, DOC) in catalogue
    assert (carrier, CRM.P50_has_current_keeper, archive) in catalogue
    delo = URIRef(URIS.thing("holding", "agshvs-rf/fond-172/opis-614631/delo-23"))
    opis = URIRef(URIS.thing("holding", "agshvs-rf/fond-172/opis-614631"))
    fond = URIRef(URIS.thing("holding", "agshvs-rf/fond-172"))
    assert (delo, CRM.P46_is_composed_of, carrier) in catalogue
    assert (opis, CRM.P46_is_composed_of, delo) in catalogue
    assert (fond, CRM.P46_is_composed_of, opis) in catalogue
    assert (fond, RDF.type, CRM.E78_Curated_Holding) in catalogue
    assert (fond, CRM.P2_has_type, LPT["archival-unit/fond"]) in catalogue
    assert (archive, RDF.type, CRM.E74_Group) in catalogue


def test_unknown_citation_part_kinds_get_the_other_type():
    citation = Citation("Box 7, folio 3", (CitationPart("folio", "3"),))
    ds = build(with_record(citation=citation), URIS)
    node = part("identifier", "archival", "part", "folio")
    assert (node, CRM.P2_has_type, LPT["citation-part/other"]) in triples(ds)


def test_web_publication_has_publisher_record_id_upload_date_and_rights(catalogue):
    publication = part("publication")
    publishing = URIRef(f"{publication}/creation")
    assert (publication, CRM.P165_incorporates, TEXT) in catalogue
    assert (publishing, CRM.P94_has_created, publication) in catalogue
    assert (publishing, CRM.P2_has_type, AAT["300054686"]) in catalogue
    publisher = URIRef(URIS.thing("group", "history-and-public-policy-program"))
    assert (publishing, CRM.P14_carried_out_by, publisher) in catalogue
    timespan = catalogue.value(publishing, CRM["P4_has_time-span"])
    assert catalogue.value(timespan, CRM.P82a_begin_of_the_begin).toPython().isoformat() == (
        "2011-11-20T00:00:00"
    )
    identifier = catalogue.value(publication, CRM.P1_is_identified_by)
    assert catalogue.value(identifier, CRM.P190_has_symbolic_content) == Literal("12345")
    rights = part("rights")
    assert (rights, CRM.P2_has_type, AAT["300435434"]) in catalogue
    assert (rights, CRM.P129_is_about, publication) in catalogue


def test_funding_by_the_funder_for_the_translation_with_its_credit_line(catalogue):
    funding = part("funding")
    assert (funding, CRM.P2_has_type, LPT["activity/funding"]) in catalogue
    assert (
        funding,
        CRM.P14_carried_out_by,
        URIRef(URIS.thing("group", "leon-levy-foundation")),
    ) in catalogue
    assert (funding, CRM.P20_had_specific_purpose, URIRef(f"{TEXT}/creation")) in catalogue
    credit = part("credit")
    assert (credit, CRM.P2_has_type, AAT["300026687"]) in catalogue
    assert (credit, CRM.P129_is_about, funding) in catalogue


def test_provenance_without_timestamps(catalogue):
    ingest = part("ingest")
    for graph in (URIS.catalogue_graph("sample-1"), URIS.claims_graph("sample-1")):
        assert (URIRef(graph), PROV.wasGeneratedBy, ingest) in catalogue
    source = catalogue.value(ingest, PROV.used)
    assert catalogue.value(source, LP.sha256) is not None
    agent = catalogue.value(ingest, PROV.wasAssociatedWith)
    assert (agent, RDF.type, PROV.SoftwareAgent) in catalogue
    assert not any(
        isinstance(o, Literal) and o.datatype and "dateTime" in o.datatype
        for o in catalogue.objects(ingest)
    )


def test_source_hash_from_the_reader_when_given():
    digest = "ab" * 32
    ds = build(with_record(extra={"sha256": digest}), URIS)
    assert (part("source"), LP.sha256, Literal(digest)) in triples(ds)


def test_bad_upload_date_names_the_field():
    with pytest.raises(ModelError, match=r"sample.txt: \[uploaded\]"):
        build(with_record(uploaded="20 Nov 2011"), URIS)


def test_note_that_does_not_match_the_body_is_refused():
    note = dataclasses.replace(resolution().record.notes[1], start=0, end=14)
    with pytest.raises(ModelError, match=r"\[notes\]"):
        build(with_record(notes=(note,)), URIS)
