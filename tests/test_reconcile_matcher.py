"""The matcher's parts: edit distance, and an index that follows the published store version."""

from __future__ import annotations

import pytest
import requests
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

import lodpub.store
from lodpub.store.generations import publish
from lodpub.web import Settings
from lodpub.web.reconcile.matcher import edit_distance
from sparql_servers import threaded_server

BASE = "http://archive.example.org"
CRM = Namespace("http://www.cidoc-crm.org/cidoc-crm/")


@pytest.mark.parametrize(
    ("a", "b", "limit", "distance"),
    [
        ("khabarovsk", "khabarovsk", 1, 0),
        ("manchuira", "manchuria", 1, 1),  # a swap of neighbours is one edit
        ("kim il sun", "kim il sung", 1, 1),
        ("kitten", "sitting", 3, 3),
        ("kitten", "sitting", 2, 3),  # beyond the limit: limit + 1
        ("heijo", "keijo", 1, 1),
        ("seoul", "moscow", 1, 2),
    ],
)
def test_edit_distance(a, b, limit, distance):
    assert edit_distance(a, b, limit) == distance


def persons(names: dict[str, list[str]]) -> Graph:
    graph = Graph()
    for slug, (label, *others) in names.items():
        person = URIRef(f"{BASE}/id/person/{slug}")
        graph.add((person, RDF.type, CRM.E21_Person))
        graph.add((person, RDFS.label, Literal(label, lang="en")))
        for number, name in enumerate([label, *others]):
            appellation = URIRef(f"{person}/name/{number}")
            graph.add((person, CRM.P1_is_identified_by, appellation))
            graph.add((appellation, RDF.type, CRM.E33_E41_Linguistic_Appellation))
            graph.add((appellation, CRM.P190_has_symbolic_content, Literal(name)))
    return graph


def publish_persons(root, names: dict[str, list[str]], *, first: bool = False) -> None:
    def build(folder) -> None:
        with lodpub.store.open(f"oxigraph:{folder}") as store:
            store.replace_graph(f"{BASE}/graph/authorities", persons(names))

    publish(root, build, start_from_live=not first)


def test_the_index_follows_each_published_generation(tmp_path):
    root = tmp_path / "store"
    publish_persons(root, {"ada-lovelace": ["Ada Lovelace", "Lovelace, Ada"]}, first=True)
    with threaded_server(Settings(store=str(root), base_uri=BASE)) as endpoint:
        site = endpoint.removesuffix("/sparql")

        def top(name: str) -> str | None:
            body = requests.get(f"{site}/lookup", params={"q": name}, timeout=30).json()
            return body["results"][0]["id"] if body["results"] else None

        assert top("Lovelace, Ada") == f"{BASE}/id/person/ada-lovelace"
        assert top("Grace Hopper") is None
        publish_persons(
            root,
            {
                "ada-lovelace": ["Ada Lovelace"],
                "grace-hopper": ["Grace Hopper", "Grace Brewster Murray Hopper"],
            },
        )
        assert top("Grace Hopper") == f"{BASE}/id/person/grace-hopper"
        assert top("Lovelace, Ada") == f"{BASE}/id/person/ada-lovelace"
        assert top("Lovelace Ada") == f"{BASE}/id/person/ada-lovelace"
