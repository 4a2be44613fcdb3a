"""Places: the gazetteer, compass and administrative words, zones, and "in X" cues."""

from __future__ import annotations

from lodpub.extract.found import Found
from lodpub.extract.lexicon import Lexicon
from lodpub.extract.mention import Mention
from lodpub.extract.names import clean, title_word
from lodpub.extract.text import Doc

# Words that may follow the last name of a list of places: "to Leipzig, Halle and Jena, where".
LIST_FOLLOWERS = frozenset({"and", "or", "where", "to", "on", "during", "for", "with", "by", "as"})


def _mention(
    doc: Doc, start: int, end: int, recognizer: str, confidence: float, name: str
) -> Mention:
    return Mention("place", start, end, doc.body[start:end], recognizer, confidence, name=name)


def find_named_places(doc: Doc, lex: Lexicon, found: Found) -> None:
    """Gazetteer names (with a compass word before them), administrative units and zones."""
    _gazetteer(doc, lex, found)
    _admin_units(doc, lex, found)
    _zones(doc, lex, found)


def _gazetteer(doc: Doc, lex: Lexicon, found: Found) -> None:
    tokens, body = doc.tokens, doc.body
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        hit = lex.gazetteer.match(body, tokens, i) if tok.is_cap or tok.kind == "num" else None
        if hit is None:
            i += 1
            continue
        n, (name, ambiguous) = hit
        start, end = tok.start, tokens[i + n - 1].end
        compass = doc.word(i - 1)
        if compass is not None and compass.text.title() in lex.compass and doc.joined(i - 1):
            words = f"{title_word(compass.text)} {name}"
            found.add(_mention(doc, compass.start, end, "place.compass", 0.85, words))
        else:
            found.add(_mention(doc, start, end, "place.gazetteer", 0.6 if ambiguous else 0.9, name))
        i += n


def _admin_units(doc: Doc, lex: Lexicon, found: Found) -> None:
    """ "Kangwon Province" (noun kept in the span), "Hamqyeong [Kanko] Provincial" (adjective
    not), "Yangtze River" (feature noun kept)."""
    tokens, body = doc.tokens, doc.body
    for j, tok in enumerate(tokens):
        if not tok.is_cap:
            continue
        noun = lex.admin_nouns.match(body, tokens, j)
        feature = noun is None and tok.text in lex.feature_nouns
        if feature:
            noun = (1, tok.text)
        adjective = tok.text in lex.admin_adjectives
        if not (noun or adjective):
            continue
        following = doc.word(j + (noun[0] if noun else 1))
        if noun and adjective and following and following.text.lower() in lex.group_heads:
            noun = None
        run = _name_before(doc, lex, j)
        if not run:
            continue
        start = tokens[run[0]].start
        end = tokens[j + noun[0] - 1].end if noun else tokens[run[-1]].end
        name = clean(" ".join(title_word(w) for w in body[start:end].split()))
        recognizer = "place.feature" if feature else "place.admin-unit"
        found.add(_mention(doc, start, end, recognizer, 0.8, name))
        if noun:
            for inner in found.overlapping(start, end, "place"):
                if inner.start == start and inner.end < end:
                    found.discard(inner)  # "Kangwon" inside "Kangwon Province": one place


def _name_before(doc: Doc, lex: Lexicon, j: int) -> list[int]:
    """Indexes of the capitalised name tokens right before token `j` (over a variant bracket)."""
    tokens, run = doc.tokens, []
    k = j - 1
    if k >= 0 and tokens[k].text == "]":
        bracket = doc.bracket_ending.get(tokens[k].end)
        if bracket is None or bracket.kind != "alternative":
            return []
        k = doc.token_at(bracket.start) - 1
    while k >= 0 and len(run) < 3 and doc.joined(k):
        tok = tokens[k]
        if not tok.is_cap or (lex.name_blocked(tok.text) and tok.text.title() not in lex.compass):
            break
        run.insert(0, k)
        k -= 1
    if run and all(tokens[r].text.title() in lex.compass for r in run):
        return []
    return run


def _zones(doc: Doc, lex: Lexicon, found: Found) -> None:
    """ "the American occupation zone", "the Soviet sector": needs a capitalised modifier."""
    tokens = doc.tokens
    for j, tok in enumerate(tokens):
        if tok.text not in lex.place_heads:
            continue
        k, first = j - 1, None
        while k >= 0 and j - k <= 3 and doc.joined(k) and tokens[k].is_word:
            word = tokens[k]
            if word.text.lower() in lex.function_words:
                break
            if word.is_cap:
                first = k
            k -= 1
        if first is not None:
            start, end = tokens[first].start, tok.end
            found.add(_mention(doc, start, end, "place.zone", 0.6, clean(doc.body[start:end])))


def find_cued_places(doc: Doc, lex: Lexicon, found: Found) -> None:
    """A capitalised name nothing else claimed, after "in"/"from" (0.55) or "the city of" (0.8)."""
    tokens, body = doc.tokens, doc.body
    for i in range(1, len(tokens)):
        if not tokens[i].is_cap or not doc.joined(i - 1):
            continue
        phrase = lex.place_phrases.match_before(body, tokens, i)
        prep = tokens[i - 1].text in lex.place_prepositions
        if not (phrase or prep):
            continue
        run = []
        k = i
        while (
            k < len(tokens) and len(run) < 3 and tokens[k].is_cap and (k == i or doc.joined(k - 1))
        ):
            run.append(k)
            k += 1
        if not run or doc.is_shouting(tokens[i].start):
            continue
        if k < len(tokens) and tokens[k].text in ("'", "’") and doc.touching(k - 1):
            continue  # "in Truman's view"
        words = [tokens[r].text for r in run]
        if any(_not_place(lex, w) for w in words) or (k < len(tokens) and tokens[k].text == "-"):
            continue
        start, end = tokens[run[0]].start, tokens[run[-1]].end
        if found.overlapping(start, end, "person", "group", "date", "place"):
            continue
        confidence = 0.8 if phrase else 0.55
        name = " ".join(title_word(w) for w in words)
        found.add(_mention(doc, start, end, "place.cue", confidence, name))


def find_listed_places(doc: Doc, lex: Lexicon, found: Found) -> None:
    """Names listed with a place after "in", "to", "of": "to Leipzig, Magdeburg, Halle and Jena"."""
    tokens = doc.tokens
    for place in found.of("place"):
        if place.alternative_to is not None:
            continue
        first = doc.token_at(place.start)
        prep = doc.word(first - 1)
        if prep is None or prep.text.lower() not in lex.place_prepositions | {"to", "of"}:
            continue
        items, k = [], doc.token_at(place.end)
        while k + 1 < len(tokens) and tokens[k].text in (",", "and", "or"):
            k += 1
            if tokens[k].text in ("and", "or") and tokens[k - 1].text == ",":
                k += 1
            if k < len(tokens) and tokens[k].text == "the" and doc.joined(k):
                k += 1  # "and the Philippines"
            run = []
            while (
                k < len(tokens)
                and len(run) < 2
                and tokens[k].is_cap
                and (not run or doc.joined(k - 1))
            ):
                run.append(k)
                k += 1
            if not run or any(_not_place(lex, tokens[r].text) for r in run):
                break
            start, end = tokens[run[0]].start, tokens[run[-1]].end
            if found.overlapping(start, end, "person", "group", "date"):
                break
            items.append((start, end, " ".join(title_word(tokens[r].text) for r in run)))
        nxt = tokens[k] if k < len(tokens) else None
        ends = (
            nxt is None
            or nxt.text in ".;:)"
            or nxt.lower in lex.place_prepositions | LIST_FOLLOWERS
        )
        # A list that ends oddly ("In Moscow, Molotov and Vyshinsky met") is trusted only when
        # other places of the gazetteer's are in it ("Australia, Canada, El Salvador, France").
        known = sum(1 for start, end, _ in items if found.overlapping(start, end, "place"))
        if items and (ends or known >= 2):
            for start, end, name in items:
                if not found.overlapping(start, end, "place"):
                    found.add(_mention(doc, start, end, "place.list", 0.6, name))


def _not_place(lex: Lexicon, word: str) -> bool:
    title = word.title() if word.isupper() else word
    return (
        lex.name_blocked(word)
        or title in lex.compass
        or title in lex.surnames
        or title in lex.weak_surnames
        or title in lex.given_names
        or word.isupper()
    )
