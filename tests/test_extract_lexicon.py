"""The word lists: read from TOML, checked, and replaceable by a directory of one's own."""

from __future__ import annotations

import shutil

import pytest

from extract_support import record
from lodpub.extract import extract
from lodpub.extract.lexicon import DATA_DIR, FILES, LexiconError, load_lexicon


@pytest.fixture
def data(tmp_path):
    for name in FILES:
        shutil.copy(DATA_DIR / f"{name}.toml", tmp_path / f"{name}.toml")
    return tmp_path


def test_a_copied_lexicon_can_be_extended(data):
    path = data / "persons.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"Aaron",', '"Aaron", "Zbyněk",'), encoding="utf-8"
    )
    body = "Zbyněk Novotný arrived."
    assert [m.text for m in extract(record(body)) if m.kind == "person"] == []
    found = extract(record(body), load_lexicon(data))
    assert [m.text for m in found if m.kind == "person"] == ["Zbyněk Novotný"]


def test_a_missing_file_is_named(data):
    (data / "dates.toml").unlink()
    with pytest.raises(LexiconError, match=r"dates\.toml.* is missing"):
        load_lexicon(data)


def test_invalid_toml_is_named(data):
    (data / "events.toml").write_text("[nouns\nmeeting = ", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"events\.toml is not valid TOML"):
        load_lexicon(data)


def test_a_missing_key_and_a_wrong_type_name_the_key(data):
    path = data / "stopwords.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\nextra = "word"\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"stopwords\.toml: \[extra\] must be a list"):
        load_lexicon(data)
    (data / "stopwords.toml").write_text('function = ["the"]\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"\[verbs\] is missing"):
        load_lexicon(data)


def test_an_ambiguous_place_must_be_in_the_gazetteer(data):
    places = data / "places.toml"
    places.write_text(
        places.read_text(encoding="utf-8").replace("ambiguous = [", 'ambiguous = ["Atlantis", '),
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match=r"\[gazetteer\.ambiguous\] .*Atlantis"):
        load_lexicon(data)


def test_a_qualifier_must_have_a_known_meaning(data):
    counts = data / "counts.toml"
    counts.write_text(
        counts.read_text(encoding="utf-8").replace('"over" = "lower-exclusive"', '"over" = "more"'),
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match="'over'"):
        load_lexicon(data)
