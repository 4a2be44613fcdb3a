"""The full-text index behind /search: words in any script, diacritics folded, one per version."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, Namespace, URIRef

import lodpub.store
from lodpub.store.generations import publish
from lodpub.store.text_index import rows as text_rows
from lodpub.web.app import create_app
from lodpub.web.settings import Settings
from lodpub.web.text_index import Row, TextIndex, folded_spans, match_expression

BASE = "http://lodpub.example.org"
CRM = Namespace("http://www.cidoc-crm.org/cidoc-crm/")

ROWS = [
    Row(
        f"{BASE}/id/document/a", "Report A", "Report on Chŏng Chae-dal", "Chŏng spoke in Pyŏngyang."
    ),
    Row(
        f"{BASE}/id/document/b", "Report B", "Отчёт о митинге", "Ри Мин Тхэ выступил. 김일성 연설."
    ),
    Row(f"{BASE}/id/document/c", "Leagues", "The Patriotic League", "The league met at Seoul."),
]


@pytest.fixture
def index(tmp_path: Path) -> tuple[TextIndex, Path]:
    text_index = TextIndex(tmp_path / "search")
    return text_index, text_index.ensure("v1", ROWS)


def found(index: tuple[TextIndex, Path], query: str, **options) -> list[str]:
    text_index, path = index
    hits, total = text_index.search(path, query.lower().split(), limit=10, **options)
    assert total == len(hits)
    return [h.iri.rsplit("/", 1)[1] for h in hits]


def test_diacritics_fold_both_ways(index):
    assert found(index, "chong") == ["a"]
    assert found(index, "Chŏng Chae-dal") == ["a"]
    assert found(index, "pyongyang") == ["a"]


def test_words_in_other_scripts_are_found(index):
    assert found(index, "отчёт") == ["b"]
    assert found(index, "отчет") == ["b"]  # ё folds to е
    assert found(index, "ри мин") == ["b"]
    assert found(index, "김일성") == ["b"]


def test_every_word_must_occur_as_a_word_beginning(index):
    assert found(index, "league") == ["c"]  # "leagues" in the title too
    assert found(index, "league chong") == []
    assert found(index, "eague") == []


def test_title_only_search_ignores_the_text(index):
    assert found(index, "seoul") == ["c"]
    assert found(index, "seoul", title_only=True) == []
    assert found(index, "patriotic", title_only=True) == ["c"]


def test_an_exact_title_comes_first(tmp_path):
    text_index = TextIndex(tmp_path)
    rows = [
        Row("x:1", "one", "Notes", "League league league league league league."),
        Row("x:2", "two", "The League", "Nothing else."),
    ]
    path = text_index.ensure("v", rows)
    hits, _ = text_index.search(path, ["the", "league"], limit=5)
    assert [h.iri for h in hits][:1] == ["x:2"]
    assert hits[0].exact_title


def test_queries_without_letters_match_nothing_and_quotes_are_data(index):
    assert match_expression(["-", "&"]) is None
    assert found(index, '"chong"') == ["a"]
    assert found(index, "- & *") == []


def test_marks_fold_like_the_index_and_keep_the_original_offsets():
    text = "Met Chŏng and CHONG; not Mochong."
    assert [text[a:b] for a, b in folded_spans(text, "chong")] == ["Chŏng", "CHONG"]
    korean = "김일성 연설, 김일성"
    assert [korean[a:b] for a, b in folded_spans(korean, "김일")] == ["김일", "김일"]


def test_an_index_is_written_once_per_version(tmp_path):
    text_index = TextIndex(tmp_path)
    first = text_index.ensure("v1", ROWS)
    assert text_index.ensure("v1", []) == first
    text_index.ensure("v2", ROWS[:1])
    text_index.ensure("v3", ROWS[:1])
    assert text_index.builds == 3
    assert sorted(p.name for p in tmp_path.glob("*.sqlite")) == ["v2.sqlite", "v3.sqlite"]


def document(key: str, title: str, text: str) -> rdflib.Dataset:
    doc = URIRef(f"{BASE}/id/document/{key}")
    dataset = rdflib.Dataset()
    g = dataset.graph(URIRef(f"{doc}/catalogue"))
    title_node, text_node = URIRef(f"{doc}/title"), URIRef(f"{doc}/text/en")
    g.add((doc, RDF.type, CRM.E31_Document))
    g.add((doc, RDFS.label, Literal(title, lang="en")))
    g.add((doc, CRM.P102_has_title, title_node))
    g.add((title_node, RDFS.label, Literal(title, lang="en")))
    g.add((doc, CRM.P73_has_translation, text_node))
    g.add((text_node, RDF.type, CRM.E33_Linguistic_Object))
    g.add((text_node, CRM.P190_has_symbolic_content, Literal(text)))
    return dataset


def publish_documents(root: Path, documents: dict[str, rdflib.Dataset]) -> None:
    def build(generation: Path) -> None:
        with lodpub.store.open(f"oxigraph:{generation}") as store:
            for key, dataset in documents.items():
                store.replace_document(key, dataset)

    publish(root, build)


def test_search_reads_the_index_of_the_live_generation(tmp_path):
    root = tmp_path / "store"
    publish_documents(root, {"d1": document("d1", "Minutes of Ŭiju", "The Ŭiju committee met.")})
    settings = Settings(store=str(root), base_uri=BASE, dumps_dir=str(tmp_path / "dumps"))
    client = create_app(settings).test_client()

    def documents(query: str) -> list[str]:
        response = client.get("/search.json", query_string={"q": query, "kinds": "document"})
        assert response.status_code == 200
        return [d["iri"].rsplit("/", 1)[1] for d in response.get_json()["documents"]]

    assert documents("uiju committee") == ["d1"]
    assert documents("harvest") == []
    publish_documents(root, {"d2": document("d2", "Harvest report", "The harvest of Ŭiju.")})
    assert documents("harvest") == ["d2"]
    assert sorted(documents("uiju")) == ["d1", "d2"]
    page = client.get("/search", query_string={"q": "uiju"}).get_data(as_text=True)
    assert "<mark>Ŭiju</mark>" in page
    assert sorted(p.name for p in (root / "search").glob("*.sqlite")).__len__() == 2


def test_search_parameters_are_checked(tmp_path):
    root = tmp_path / "store"
    publish_documents(root, {"d1": document("d1", "Minutes", "Text.")})
    client = create_app(Settings(store=str(root), base_uri=BASE)).test_client()
    response = client.get("/search.json?q=minutes&in=body")
    assert response.status_code == 400
    assert "in: one of all, title" in response.get_data(as_text=True)
    response = client.get("/search.json?q=minutes&kinds=person")
    assert response.status_code == 400
    assert "kinds" in response.get_data(as_text=True)


def search_documents(app, query: str) -> list[str]:
    response = app.test_client().get("/search.json", query_string={"q": query, "kinds": "document"})
    assert response.status_code == 200
    return [d["iri"].rsplit("/", 1)[1] for d in response.get_json()["documents"]]


def test_a_published_generation_has_its_index_before_any_search(tmp_path):
    root = tmp_path / "store"
    publish_documents(root, {"d1": document("d1", "Minutes of Ŭiju", "The Ŭiju committee met.")})
    written = sorted((root / "search").glob("*.sqlite"))
    assert len(written) == 1
    app = create_app(Settings(store=str(root), base_uri=BASE))
    assert search_documents(app, "uiju committee") == ["d1"]
    assert app.extensions["lodpub.ld"].text_index.builds == 0
    assert sorted((root / "search").glob("*.sqlite")) == written


def test_a_store_written_in_place_is_indexed_on_first_search(tmp_path):
    folder = tmp_path / "plain"
    with lodpub.store.open(f"oxigraph:{folder}") as store:
        store.replace_document("d1", document("d1", "Harvest report", "The harvest of Ŭiju."))
    app = create_app(Settings(store=str(folder), base_uri=BASE))
    assert search_documents(app, "harvest uiju") == ["d1"]
    assert search_documents(app, "harvest") == ["d1"]
    assert app.extensions["lodpub.ld"].text_index.builds == 1
    assert len(list((tmp_path / "plain.search").glob("*.sqlite"))) == 1


def test_rows_are_the_documents_with_their_titles_and_texts_by_label(tmp_path):
    folder = tmp_path / "plain"
    untitled = document("b", "Untitled", "Second text.")
    untitled.remove((None, CRM.P102_has_title, None, None))
    with lodpub.store.open(f"oxigraph:{folder}") as store:
        store.replace_document("b", untitled)
        store.replace_document("a", document("a", "Zebra notes", "First text."))
        found = text_rows(store.oxigraph, f"{BASE}/id/")
        assert text_rows(store.oxigraph, "http://elsewhere.example/id/") == []
    assert [(r.iri.rsplit("/", 1)[1], r.label, r.title, r.text) for r in found] == [
        ("b", "Untitled", "Untitled", "Second text."),
        ("a", "Zebra notes", "Zebra notes", "First text."),
    ]
