"""Hand-annotated texts in other styles (US telegram, German, Chinese, British, Polish, Soviet
reports): exact-span precision and recall per kind, the values of what was found, and names
that must not be found. Gold files: tests/fixtures/extract/NAME.json beside NAME.txt."""

from __future__ import annotations

import pytest

from extract_support import GOLD_NAMES, KINDS, Gold, Score, score

# Floors below the figures these fixtures reach (printed by the last test), so a rule change that
# loses names or invents them fails here.
FLOORS = {
    "person": (0.95, 0.90),
    "group": (0.90, 0.85),
    "place": (0.95, 0.90),
    "date": (0.95, 0.95),
    "event": (0.90, 0.85),
    "count": (0.90, 0.85),
}
VALUE_FIELDS = {
    "date": ("begin", "end"),
    "count": ("value", "lower", "upper"),
    "event": ("type", "planned"),
}


@pytest.fixture(scope="module", params=GOLD_NAMES)
def annotated(request):
    gold = Gold.load(request.param)
    return gold, gold.extract()


def test_what_must_not_be_found_is_not_found(annotated):
    gold, found = annotated
    for entry in gold.absent:
        wrong = [m for m in found if m.kind == entry["kind"] and m.text == entry["text"]]
        assert not wrong, f"{gold.name}: {entry}"


def test_names_and_values_of_the_found_mentions_are_right(annotated):
    gold, found = annotated
    by_key = {(m.kind, m.start, m.end): m for m in found}
    for entry in gold.mentions:
        mention = by_key.get(gold.key(entry))
        if mention is None:
            continue  # a miss; counted by the recall test
        if mention.kind in ("person", "group", "place"):
            assert mention.name == entry.get("name", entry["text"]), entry
        value = mention.date or mention.count or mention.event
        for field in VALUE_FIELDS.get(mention.kind, ()):
            default = False if field == "planned" else None
            assert getattr(value, field) == entry.get(field, default), (entry, field)


def test_precision_and_recall_reach_their_floors(capsys):
    totals = {kind: Score() for kind in KINDS}
    for name in GOLD_NAMES:
        gold = Gold.load(name)
        for kind, part in score(gold, gold.extract()).items():
            totals[kind].gold += part.gold
            totals[kind].predicted += part.predicted
            totals[kind].correct += part.correct
    lines = [f"extract on {len(GOLD_NAMES)} annotated fixtures (exact spans):"]
    for kind, total in totals.items():
        lines.append(
            f"  {kind:7} precision {total.precision:.3f}  recall {total.recall:.3f}"
            f"  (gold {total.gold}, found {total.predicted}, right {total.correct})"
        )
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    for kind, (precision, recall) in FLOORS.items():
        assert totals[kind].precision >= precision, (kind, totals[kind])
        assert totals[kind].recall >= recall, (kind, totals[kind])
