"""Entities: unreviewed ones in the document's catalogue graph, curated ones in the authorities."""

from __future__ import annotations

import dataclasses

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from lodpub.model import authority_graph, build
from lodpub.model.entities import alternate_name, primary_name
from lodpub.resolve import Authority
from lodpub.resolve.entity import Entity
from lodpub.vocab import AAT, CRM, LP, LPT
from model_sample import CURATED, HAEJU, KCP, KIM, PAK, RI, SEOUL, URIS, resolution, thing


@pytest.fixture(scope="module")
def catalogue():
    return build(resolution(), URIS).graph(URIRef(URIS.catalogue_graph("sample-1")))


@pytest.fixture(scope="module")
def authorities():
    return authority_graph(CURATED, URIS)


def test_unreviewed_entities_are_described_in_the_catalogue_graph(catalogue):
    for entity, cls in ((KIM, CRM.E21_Person), (KCP, CRM.E74_Group), (HAEJU, CRM.E53_Place)):
        node = URIRef(entity.uri)
        assert (node, RDF.type, cls) in catalogue
        assert catalogue.value(node, RDFS.label) == Literal(entity.label, lang="en")
        assert catalogue.value(node, LP.reviewed) == Literal(False)
        assert {str(r) for r in catalogue.objects(node, LP.recognizer)}
        assert (node, CRM.P1_is_identified_by, primary_name(entity.uri)) in catalogue


def test_record_agents_become_entities_with_the_field_as_recognizer(catalogue):
    translator = URIRef(thing("person", "gary-goldberg"))
    assert (translator, RDF.type, CRM.E21_Person) in catalogue
    assert catalogue.value(translator, LP.recognizer) == Literal("record.translator")


def test_agents_chosen_by_the_resolver_are_used():
    res = resolution()
    chosen = thing("person", "g-goldberg")
    person = Entity(chosen, "person", "g-goldberg", "G. Goldberg")
    res = dataclasses.replace(
        res, agents={"translator": chosen}, entities={**res.entities, chosen: person}
    )
    quads = set(build(res, URIS).quads())
    creation = URIRef(f"{URIS.document('sample-1')}/text/en/creation")
    assert any(q[:3] == (creation, CRM.P14_carried_out_by, URIRef(chosen)) for q in quads)
    assert not any(q[0] == URIRef(thing("person", "gary-goldberg")) for q in quads)


def test_curated_entities_are_not_described_by_documents(catalogue):
    for entity in (PAK, SEOUL):
        assert (URIRef(entity.uri), RDF.type, None) not in catalogue
        assert (URIRef(entity.uri), RDFS.label, None) not in catalogue


def test_names_are_linguistic_appellations_typed_primary_and_alternate(catalogue):
    primary = primary_name(KIM.uri)
    alternate = alternate_name(KIM.uri, "Kim Yong Bom")
    assert (primary, RDF.type, CRM.E33_E41_Linguistic_Appellation) in catalogue
    assert (primary, CRM.P2_has_type, LPT["name/primary"]) in catalogue
    assert (primary, CRM.P2_has_type, AAT["300404670"]) in catalogue
    assert catalogue.value(alternate, CRM.P190_has_symbolic_content) == Literal("Kim Yong Bom")
    assert (alternate, CRM.P2_has_type, AAT["300264273"]) in catalogue


def test_bracketed_form_is_an_alternative_form_of_the_name_it_follows(catalogue):
    alternate = alternate_name(KIM.uri, "Kim Yong Bom")
    assert (primary_name(KIM.uri), CRM.P139_has_alternative_form, alternate) in catalogue
    assert (alternate, CRM.P2_has_type, LPT["name/bracketed-alternative"]) in catalogue


def test_name_nodes_are_keyed_by_the_exact_name():
    assert alternate_name(KIM.uri, "KIM YONG BOM") != alternate_name(KIM.uri, "Kim Yong Bom")
    assert alternate_name(KIM.uri, "A/B").endswith("/name/A%2FB")


def test_membership_is_stated_by_the_group(catalogue):
    assert (URIRef(KCP.uri), CRM.P107_has_current_or_former_member, URIRef(RI.uri)) in catalogue


def test_authority_graph_describes_curated_entities_as_reviewed(authorities):
    assert authorities.identifier == URIRef(URIS.authorities_graph)
    pak = URIRef(PAK.uri)
    assert (pak, RDF.type, CRM.E21_Person) in authorities
    assert authorities.value(pak, LP.reviewed) == Literal(True)
    assert authorities.value(pak, CRM.P3_has_note) == Literal("Korean communist leader", lang="en")
    assert (pak, LP.recognizer, None) not in authorities
    names = {
        str(authorities.value(n, CRM.P190_has_symbolic_content))
        for n in authorities.objects(pak, CRM.P1_is_identified_by)
    }
    assert names == {"Pak Heon-yeong", "Pak Hon Yong"}


def test_external_ids_by_match_and_places_within_places(authorities):
    seoul = URIRef(SEOUL.uri)
    korea = URIRef(thing("place", "korea"))
    assert (seoul, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q8684")) in authorities
    assert (korea, SKOS.closeMatch, URIRef("http://www.wikidata.org/entity/Q483134")) in authorities
    assert (seoul, CRM.P89_falls_within, korea) in authorities
    assert (None, OWL.sameAs, None) not in authorities


def test_authority_graph_refuses_unreviewed_entities():
    with pytest.raises(ValueError, match="not marked reviewed"):
        authority_graph([KIM], URIS)


def test_authority_graph_reads_the_authority_file(tmp_path):
    path = tmp_path / "authority.toml"
    path.write_text(
        '[[place]]\nslug = "korea"\nlabel = "Korea"\n\n'
        '[[place]]\nslug = "seoul"\nlabel = "Seoul"\nbroader = "korea"\n'
        'exact = ["wikidata:Q8684"]\n',
        encoding="utf-8",
    )
    graph = authority_graph(Authority.load(path), URIS)
    seoul = URIRef(thing("place", "seoul"))
    assert (seoul, CRM.P89_falls_within, URIRef(thing("place", "korea"))) in graph
    assert (seoul, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q8684")) in graph
    assert graph.value(seoul, LP.reviewed) == Literal(True)
