"""A hand-made Resolution for the model tests: every kind of mention, note and record field."""

from __future__ import annotations

from lodpub.extract.mention import CountValue, DateValue, EventValue, Mention
from lodpub.resolve.entity import Entity, Event, ExternalId, Link, Resolution
from lodpub.sources.record import Citation, CitationPart, EditorialNote, Record
from lodpub.uris import Uris

URIS = Uris("http://example.org")

BODY = (
    "[Translator's note: there are handwritten notes in Korean in two places]\n\n"
    "Kim Yong-beom [Kim Yong Bom] met Pak Heon-yeong in Seoul on 20 October.\n\n"
    "There were more than 3,000 Communists in the Korean Communist Party.\n\n"
    "It is planned to convene a congress of the Korean Communist Party in December 1945.\n\n"
    "Until [5] October the [inserted by hand: leftist] group of Ri Yeong worked in Haeju, "
    "with 65 senior communists and about 10,000 members of the Démocratic Party."
)


def span(text: str, nth: int = 1) -> tuple[int, int]:
    """Offsets of the nth occurrence of `text` in BODY."""
    start = -1
    for _ in range(nth):
        start = BODY.index(text, start + 1)
    return start, start + len(text)


def mention(kind: str, text: str, nth: int = 1, **fields) -> Mention:
    start, end = span(text, nth)
    return Mention(kind, start, end, BODY[start:end], f"{kind}.test", 0.9, **fields)


def note(kind: str, text: str, content: str) -> EditorialNote:
    start, end = span(text)
    return EditorialNote(kind, text, content, start, end)


def thing(kind: str, slug: str) -> str:
    return URIS.thing(kind, slug)


KIM = Entity(
    thing("person", "kim-yong-beom"),
    "person",
    "kim-yong-beom",
    "Kim Yong-beom",
    variants=("Kim Yong Bom",),
)
PAK = Entity(
    thing("person", "pak-heon-yeong"),
    "person",
    "pak-heon-yeong",
    "Pak Heon-yeong",
    variants=("Pak Hon Yong",),
    reviewed=True,
    description="Korean communist leader",
)
SEOUL = Entity(
    thing("place", "seoul"),
    "place",
    "seoul",
    "Seoul",
    reviewed=True,
    external=(ExternalId("wikidata", "Q8684"),),
    broader=thing("place", "korea"),
)
KCP = Entity(
    thing("group", "korean-communist-party"),
    "group",
    "korean-communist-party",
    "Korean Communist Party",
    variants=("KCP",),
)
RI = Entity(thing("person", "ri-yeong"), "person", "ri-yeong", "Ri Yeong", member_of=(KCP.uri,))
HAEJU = Entity(thing("place", "haeju"), "place", "haeju", "Haeju")
DEMOCRATIC = Entity(
    thing("group", "democratic-party"), "group", "democratic-party", "Démocratic Party"
)
CURATED = (
    PAK,
    SEOUL,
    Entity(
        thing("place", "korea"),
        "place",
        "korea",
        "Korea",
        reviewed=True,
        external=(ExternalId("wikidata", "Q483134", "close"),),
    ),
    Entity(
        thing("group", "leon-levy-foundation"),
        "group",
        "leon-levy-foundation",
        "Leon Levy Foundation",
        reviewed=True,
    ),
)


def resolution() -> Resolution:
    kim = mention("person", "Kim Yong-beom")
    kim_alt = mention("person", "Kim Yong Bom", alternative_to=kim.span)
    pak = mention("person", "Pak Heon-yeong")
    seoul = mention("place", "Seoul")
    kcp1 = mention("group", "Korean Communist Party", 1)
    kcp2 = mention("group", "Korean Communist Party", 2)
    ri = mention("person", "Ri Yeong")
    haeju = mention("place", "Haeju")
    democratic = mention("group", "Démocratic Party")
    oct20 = mention(
        "date",
        "20 October",
        date=DateValue("1945-10-20T00:00:00", "1945-10-20T23:59:59", "day", year_inferred=True),
    )
    dec = mention(
        "date",
        "December 1945",
        date=DateValue("1945-12-01T00:00:00", "1945-12-31T23:59:59", "month"),
    )
    until = mention(
        "date",
        "Until [5] October",
        date=DateValue(
            "1945-10-05T00:00:00",
            "1945-10-05T23:59:59",
            "day",
            year_inferred=True,
            qualifier="until",
            supplied=True,
        ),
    )
    met = mention(
        "event",
        "met",
        event=EventValue(
            "meeting", date=oct20.span, places=(seoul.span,), participants=(kim.span, pak.span)
        ),
    )
    plan = mention(
        "event",
        "planned to convene a congress",
        event=EventValue("congress", planned=True, date=dec.span, participants=(kcp2.span,)),
    )
    more = mention(
        "count",
        "more than 3,000",
        count=CountValue(lower=3000, lower_exclusive=True, counted="Communists", subject=kcp1.span),
    )
    senior = mention(
        "count", "65 senior communists", count=CountValue(value=65, counted="senior communists")
    )
    about = mention(
        "count",
        "about 10,000",
        count=CountValue(value=10000, approximate=True, unit="members", subject=democratic.span),
    )
    names = (kim, kim_alt, pak, seoul, kcp1, kcp2, ri, haeju, democratic)
    entity_of = {
        kim: KIM,
        kim_alt: KIM,
        pak: PAK,
        seoul: SEOUL,
        kcp1: KCP,
        kcp2: KCP,
        ri: RI,
        haeju: HAEJU,
        democratic: DEMOCRATIC,
    }
    links = tuple(
        Link(m, entity_of[m].uri, "authority" if entity_of[m].reviewed else "new", 0.8)
        for m in names
    )
    record = Record(
        source="tests/fixtures/model/sample.txt",
        key="sample-1",
        title="Report on Communists in Korea, 1945",
        body=BODY,
        notes=(
            note(
                "translator",
                BODY[: BODY.index("]") + 1],
                "there are handwritten notes in Korean in two places",
            ),
            note("alternative", "[Kim Yong Bom]", "Kim Yong Bom"),
            note("supplied", "[5]", "5"),
            note("inserted", "[inserted by hand: leftist]", "leftist"),
        ),
        language="en",
        original_language="ru",
        summary="A report on the Communist Party in Korea.",
        citation=Citation(
            "AGShVS RF. F. 172. OP 614631. D. 23 pp. 21-26",
            (
                CitationPart("archive", "AGShVS RF"),
                CitationPart("fond", "172"),
                CitationPart("opis", "614631"),
                CitationPart("delo", "23"),
                CitationPart("pages", "21-26"),
            ),
        ),
        translator="Gary Goldberg",
        rights="Some documents may be subject to copyright.",
        funding_line="This document was made possible with support from Leon Levy Foundation",
        funder="Leon Levy Foundation",
        publisher="History and Public Policy Program",
        uploaded="2011-11-20",
        record_id="12345",
    )
    events = (
        Event(thing("event", "1945-10-20-meeting"), met, "Meeting in Seoul, 20 October 1945"),
        Event(thing("event", "1945-12-kcp-congress"), plan, "Planned KCP congress, December 1945"),
    )
    mentions = tuple(
        sorted((*names, oct20, dec, until, met, plan, more, senior, about), key=lambda m: m.span)
    )
    entities = {e.uri: e for e in (KIM, PAK, SEOUL, KCP, RI, HAEJU, DEMOCRATIC)}
    return Resolution(record, mentions, links, entities, events, subjects=(KCP.uri,), year=1945)
