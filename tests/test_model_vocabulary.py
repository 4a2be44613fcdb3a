"""Every term the model emits exists: CRM 7.1.1 and its PC module, or ontology/lodpub.ttl."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from lodpub.model import authority_graph, build, vocabulary_graph
from lodpub.vocab import CRM, LP, LPT
from model_sample import CURATED, URIS, resolution

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"


@pytest.fixture(scope="module")
def crm() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY / "CIDOC_CRM_v7.1.1.rdf", format="xml")
    graph.parse(ONTOLOGY / "CIDOC_CRM_v7.1.1_PC.rdf", format="xml")
    return graph


@pytest.fixture(scope="module")
def emitted() -> set[tuple]:
    triples = {(s, p, o) for s, p, o, _ in build(resolution(), URIS).quads()}
    return triples | set(authority_graph(CURATED, URIS))


def terms_in(triples, namespace) -> set[URIRef]:
    found = set()
    for s, p, o in triples:
        for term in (p, o) if p != RDF.type else (o,):
            if isinstance(term, URIRef) and term.startswith(str(namespace)):
                found.add(term)
        if isinstance(s, URIRef) and p == RDF.type and s.startswith(str(namespace)):
            found.add(s)
    return found


def test_every_crm_term_used_is_in_crm_7_1_1_or_its_pc_module(crm, emitted):
    used = terms_in(emitted, CRM)
    assert len(used) > 40
    unknown = {t for t in used if (t, RDFS.label, None) not in crm}
    assert not unknown


def test_every_crm_class_used_is_a_class_and_every_property_a_property(crm, emitted):
    for _, p, o in emitted:
        if p == RDF.type and o.startswith(str(CRM)):
            assert (o, RDF.type, RDFS.Class) in crm, o
        if p.startswith(str(CRM)):
            assert (p, RDF.type, RDF.Property) in crm, p


def test_every_local_term_used_is_declared(emitted):
    vocabulary = vocabulary_graph()
    used = terms_in(emitted, LP) | terms_in(emitted, LPT)
    assert used
    assert not {t for t in used if (t, RDF.type, None) not in vocabulary}


def test_every_local_term_has_an_english_label_and_definition():
    vocabulary = vocabulary_graph()
    local = {
        s
        for s in vocabulary.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith((str(LP), str(LPT)))
    }
    assert len(local) > 100
    for term in local:
        labels = [label for label in vocabulary.objects(term, RDFS.label) if label.language == "en"]
        definitions = [d for d in vocabulary.objects(term, SKOS.definition) if d.language == "en"]
        assert len(labels) == 1 and definitions, term
        if (term, RDF.type, SKOS.Concept) in vocabulary:
            assert (term, SKOS.prefLabel, labels[0]) in vocabulary, term
            assert (term, SKOS.inScheme, LPT[""]) in vocabulary, term


def test_local_types_map_to_the_linked_art_aat_ids(emitted):
    vocabulary = vocabulary_graph()
    expected = {
        "name/primary": "300404670",
        "name/alternate": "300264273",
        "statement/summary": "300026032",
        "statement/rights": "300435434",
        "statement/credit-line": "300026687",
        "statement/inscription": "300435414",
        "activity/publishing": "300054686",
    }
    for local, aat in expected.items():
        match = URIRef(f"http://vocab.getty.edu/aat/{aat}")
        assert (LPT[local], SKOS.exactMatch, match) in vocabulary
        # what carries the local type carries its AAT match too
        for node, _, _ in {t for t in emitted if t[1:] == (CRM.P2_has_type, LPT[local])}:
            assert (node, CRM.P2_has_type, match) in emitted


def test_local_event_types_name_a_crm_event_class(crm):
    vocabulary = vocabulary_graph()
    events = set(vocabulary.subjects(SKOS.broader, LPT["event"]))
    assert LPT["event/meeting"] in events
    for event_type in events:
        cls = vocabulary.value(event_type, LP.crmClass)
        assert cls is not None, event_type
        assert (cls, RDFS.subClassOf, None) in crm


def test_vocabulary_graph_is_a_fresh_copy_each_time():
    first = vocabulary_graph()
    first.remove((None, None, None))
    assert len(vocabulary_graph()) > 1000
    assert (URIRef("https://w3id.org/lodpub/ns"), RDF.type, OWL.Ontology) in vocabulary_graph()
