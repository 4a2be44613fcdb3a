"""Name folding: the matching keys shared by resolution and reconciliation."""

import pytest

from lodpub.resolve import fold, name_keys
from lodpub.resolve.names import display_name


def same(a: str, b: str, kind: str | None = None) -> bool:
    return bool(name_keys(a, kind) & name_keys(b, kind))


@pytest.mark.parametrize(
    "form",
    ["PAK HEON-YEONG", "Pak, Heon-yeong", "Pak Heon yeong", "Pak Heonyeong", "pak heon-yeong"],
)
def test_forms_of_one_name_match(form):
    assert same(form, "Pak Heon-yeong")


def test_a_different_romanization_is_not_folded_away():
    # "Pak Hon Yong" is the same person only through the authority file's variants.
    assert not same("Pak Hon Yong", "Pak Heon-yeong")


def test_last_first_matches_first_last():
    assert fold("Rhee, Syngman") == fold("Syngman Rhee") == "syngman rhee"
    assert same("Rhee, Syngman", "SYNGMAN RHEE")


def test_case_diacritics_and_apostrophes_are_ignored():
    assert fold("P'yŏngyang") == fold("PYONGYANG") == "pyongyang"
    assert fold("Pak Hŏn-yŏng") == "pak hon yong"


def test_honorifics_and_articles_are_dropped():
    assert fold("Cde. STALIN") == "stalin"
    assert fold("the Americans") == "americans"
    assert fold("a so-called democratic party") == "democratic party"


def test_ranks_are_dropped_only_before_persons():
    assert fold("General Staff", "group") == "general staff"
    assert fold("General Kim Gu", "person") == "kim gu"


def test_hyphen_joining_does_not_merge_separate_words():
    assert not same("Kim Il Sung", "Kim Ilsung")
    assert same("Kim Il-sung", "Kim Ilsung")


def test_native_scripts_fold_to_themselves():
    assert fold("김일성") == "김일성"
    assert fold("Ким Ир Сен") == "ким ир сен"


def test_a_name_suffix_is_not_a_first_name():
    assert fold("Smith, Jr.") == "smith jr"


def test_display_name():
    assert display_name("Rhee, Syngman") == "Syngman Rhee"
    assert display_name("the Party") == "Party"
    assert display_name("The Hague") == "The Hague"
