"""Archival citations: typed parts in Russian, Western and British styles; the rest left alone."""

from __future__ import annotations

import pytest

from lodpub.sources.citation import PART_KINDS, parse_citation, split_translator


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "AGShVS RF. F. 172. OP 614631. D. 23 pp. 21-26.",
            [
                ("archive", "AGShVS RF"),
                ("fond", "172"),
                ("opis", "614631"),
                ("delo", "23"),
                ("pages", "21-26"),
            ],
        ),
        (
            "RGASPI, f. 17, op. 128, d. 1119, l. 3-5",
            [
                ("archive", "RGASPI"),
                ("fond", "17"),
                ("opis", "128"),
                ("delo", "1119"),
                ("sheets", "3-5"),
            ],
        ),
        (
            "RGASPI, f. 17, op. 128, d. 1119, ll. 3-5, 7ob.",
            [
                ("archive", "RGASPI"),
                ("fond", "17"),
                ("opis", "128"),
                ("delo", "1119"),
                ("sheets", "3-5, 7ob"),
            ],
        ),
        ("GARF F. R-9401", [("archive", "GARF"), ("fond", "R-9401")]),
        (
            "AVP RF, f. 0102, op. 1, p. 1, d. 3, l. 5",
            [
                ("archive", "AVP RF"),
                ("fond", "0102"),
                ("opis", "1"),
                ("papka", "1"),
                ("delo", "3"),
                ("sheets", "5"),
            ],
        ),
        (
            "ЦАМО РФ, ф. 172, оп. 614631, д. 23, лл. 21-26",
            [
                ("archive", "ЦАМО РФ"),
                ("fond", "172"),
                ("opis", "614631"),
                ("delo", "23"),
                ("sheets", "21-26"),
            ],
        ),
        (
            "National Archives, RG 59, Box 123, Folder 4",
            [
                ("archive", "National Archives"),
                ("record-group", "59"),
                ("box", "123"),
                ("folder", "4"),
            ],
        ),
        ("PRO FO 371/46468", [("archive", "PRO"), ("series", "FO 371"), ("piece", "46468")]),
        (
            "Archiv der sozialen Demokratie, Bestand X, Nr. 12",
            [("archive", "Archiv der sozialen Demokratie"), ("collection", "X"), ("item", "12")],
        ),
        ("Box 3, Folder 12", [("box", "3"), ("folder", "12")]),
        (
            "Hoover Institution Archives, Boris Nicolaevsky Collection, Box 3, Folder 12",
            [
                ("archive", "Hoover Institution Archives"),
                ("collection", "Boris Nicolaevsky Collection"),
                ("box", "3"),
                ("folder", "12"),
            ],
        ),
        (
            "Letter from X to Y, 12 March 1946, RGASPI, f. 17",
            [("archive", "RGASPI"), ("fond", "17")],
        ),
    ],
)
def test_parts(text: str, parts: list[tuple[str, str]]) -> None:
    citation = parse_citation(text)
    assert citation.text == text
    assert [(p.kind, p.value) for p in citation.parts] == parts
    assert all(p.kind in PART_KINDS for p in citation.parts)


def test_unknown_parts_stay_in_the_text_only() -> None:
    citation = parse_citation("PRC FMA 106-00012-03, 1-5")
    assert citation.text == "PRC FMA 106-00012-03, 1-5"
    assert [(p.kind, p.value) for p in citation.parts] == [("archive", "PRC FMA")]
    assert parse_citation("Obtained by the Wilson Center").parts == ()


def test_no_part_is_invented() -> None:
    for text in ("Diplomatic Archive of Hungary, 12 March 1946", "Courtesy of a private donor"):
        for part in parse_citation(text).parts:
            assert part.value in text


@pytest.mark.parametrize(
    ("text", "rest", "translator"),
    [
        (
            "AGShVS RF. F. 172. OP 614631. D. 23 pp. 21-26. Translated by Gary Goldberg.",
            "AGShVS RF. F. 172. OP 614631. D. 23 pp. 21-26.",
            "Gary Goldberg",
        ),
        (
            "Translated by Gary J. Goldberg. Obtained by NKIDP.",
            "Obtained by NKIDP.",
            "Gary J. Goldberg",
        ),
        (
            "RGASPI, f. 17. Obtained and translated for NKIDP by Jiyoung Kim.",
            "RGASPI, f. 17.",
            "Jiyoung Kim",
        ),
        ("GARF F. R-9401", "GARF F. R-9401", None),
    ],
)
def test_translation_credit(text: str, rest: str, translator: str | None) -> None:
    assert split_translator(text) == (rest, translator)
