"""The recognizers' word lists, read from the TOML files in `extract/data/`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lodpub.extract.text import PhraseTable, tokenize

DATA_DIR = Path(__file__).parent / "data"
FILES = (
    "honorifics",
    "persons",
    "stopwords",
    "nationalities",
    "places",
    "groups",
    "dates",
    "events",
    "counts",
    "roles",
)

ROLE_MEMBER = "member"  # value of a membership noun in `Lexicon.role_offices`
ROLE_OFFICE = "office"  # value of an office noun


class LexiconError(ValueError):
    """A data file that is missing, not TOML, or lacks a key or has one of the wrong type."""

    def __init__(self, path: Path, message: str, key: str | None = None) -> None:
        self.path = path
        self.key = key
        where = f"{path}" + (f": [{key}]" if key else "")
        super().__init__(f"{where} {message}")


@dataclass(frozen=True, slots=True)
class GroupHead:
    """A group head noun as found in text: its singular, class and number."""

    lemma: str  # singular: "committee"
    unit: bool  # a military unit: takes a number, not an "of" complement
    plural: bool


@dataclass(frozen=True, slots=True)
class Abbreviation:
    name: str  # expansion
    specific: bool  # names one body by itself ("KCP"), not a kind of organ ("CC")


@dataclass(frozen=True, eq=False)
class Lexicon:
    """All word lists, normalised for lookup."""

    # persons
    honorifics: PhraseTable  # value: "address" | "title"
    honorifics_lowercase: PhraseTable
    surnames: frozenset[str]
    weak_surnames: frozenset[str]
    given_names: frozenset[str]
    particles: frozenset[str]
    context_before: PhraseTable
    context_after: tuple[str, ...]
    stopwords: frozenset[str]  # lower case
    function_words: frozenset[str]  # lower case; end a group's or place's modifiers
    title_words: frozenset[str]  # every word of an honorific or title
    dotted_words: frozenset[str]  # "Cde", "Gen", "Oct", "No": abbreviations written with a dot
    # nationalities
    adjectives: frozenset[str]
    demonym_plurals: frozenset[str]
    demonym_invariant: frozenset[str]
    # places
    gazetteer: PhraseTable  # value: (name, ambiguous)
    place_prepositions: frozenset[str]
    place_phrases: PhraseTable
    admin_nouns: PhraseTable
    admin_adjectives: frozenset[str]
    feature_nouns: frozenset[str]
    compass: frozenset[str]
    place_heads: frozenset[str]
    # groups
    group_heads: dict[str, GroupHead]  # by lower-case form
    named_only_heads: frozenset[str]
    event_like_heads: frozenset[str]
    anaphoric_heads: frozenset[str]
    determiners: frozenset[str]
    complement_determiners: frozenset[str]
    ordinals: frozenset[str]
    evaluative: frozenset[str]
    participle_modifiers: frozenset[str]
    proper_groups: frozenset[str]
    group_names: PhraseTable
    abbreviations: PhraseTable  # value: Abbreviation
    # dates
    months: dict[str, int]
    parts_of_month: dict[str, tuple[int, int]]
    date_qualifiers: dict[str, str]
    year_cues: frozenset[str]
    month_cues: frozenset[str]
    this_year: tuple[str, ...]
    weekdays: frozenset[str]
    # events
    event_nouns: dict[str, str]
    named_event_nouns: dict[str, str]
    participles: dict[str, str]
    base_forms: dict[str, str]
    intransitive: dict[str, str]
    movement: dict[str, str]
    verb_arguments: dict[str, str]
    plan_before: PhraseTable
    plan_anywhere: PhraseTable
    auxiliaries: frozenset[str]
    # counts
    count_qualifiers: PhraseTable  # value: meaning
    number_units: dict[str, int]
    number_tens: dict[str, int]
    number_multipliers: dict[str, int]
    person_nouns: frozenset[str]
    membership_verbs: frozenset[str]
    time_units: frozenset[str]
    reference_cues: frozenset[str]
    # roles (all lower case)
    role_offices: PhraseTable  # value: ROLE_OFFICE | ROLE_MEMBER
    role_modifiers: frozenset[str]
    role_skip: frozenset[str]
    role_copulas: PhraseTable
    role_relatives: frozenset[str]
    role_adverbs: frozenset[str]
    role_modals: frozenset[str]
    role_head: PhraseTable  # value: the office the cue implies, or None
    role_subordinate: PhraseTable
    role_conferring: PhraseTable
    role_links: PhraseTable
    role_becoming: PhraseTable
    role_joining: PhraseTable

    def name_blocked(self, word: str) -> bool:
        """True for a capitalised word that is never part of a person's name."""
        lower = word.lower()
        return (
            lower in self.stopwords
            or lower in self.group_heads
            or word in self.title_words
            or word in self.adjectives
            or word in self.demonym_plurals
            or word.title() in self.months
            or word.title() in self.weekdays
            or word.title() in self.proper_groups
        )


class _Reader:
    """Typed access to one parsed TOML file, with errors that name the file and key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with path.open("rb") as fp:
                self.data: dict[str, Any] = tomllib.load(fp)
        except FileNotFoundError:
            raise LexiconError(path, "is missing") from None
        except tomllib.TOMLDecodeError as exc:
            raise LexiconError(path, f"is not valid TOML: {exc}") from None

    def get(self, key: str, kind: type) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise LexiconError(self.path, "is missing", key)
            node = node[part]
        if not isinstance(node, kind):
            raise LexiconError(self.path, f"must be a {kind.__name__}", key)
        return node

    def strings(self, key: str) -> list[str]:
        values = self.get(key, list)
        for value in values:
            if not isinstance(value, str) or not value.strip():
                raise LexiconError(self.path, f"holds {value!r}, not a non-empty string", key)
        return values

    def ints(self, key: str) -> dict[str, int]:
        table = self.get(key, dict)
        for name, value in table.items():
            if not isinstance(value, int) or isinstance(value, bool):
                raise LexiconError(self.path, f"{name!r} must map to an integer", key)
        return table

    def words(self, key: str) -> dict[str, str]:
        table = self.get(key, dict)
        for name, value in table.items():
            if not isinstance(value, str):
                raise LexiconError(self.path, f"{name!r} must map to a string", key)
        return table


def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Read and check every data file in `directory` (default: the package's own)."""
    base = directory or DATA_DIR
    r = {name: _Reader(base / f"{name}.toml") for name in FILES}
    hon, per, pla, gro = r["honorifics"], r["persons"], r["places"], r["groups"]
    dat, eve, cou, nat = r["dates"], r["events"], r["counts"], r["nationalities"]
    rol = r["roles"]

    honorifics = PhraseTable()
    for phrase in hon.strings("address"):
        honorifics.add(phrase, "address")
    for phrase in hon.strings("titles"):
        honorifics.add(phrase, "title")
    honorifics_lower = PhraseTable(lower=True)
    for phrase in hon.strings("address_lowercase"):
        honorifics_lower.add(phrase, "address")

    ambiguous = set(pla.strings("gazetteer.ambiguous"))
    gazetteer = PhraseTable()
    places = {
        name
        for section, names in pla.get("gazetteer", dict).items()
        if section != "ambiguous"
        for name in pla.strings(f"gazetteer.{section}")
    }
    unknown = sorted(ambiguous - places)
    if unknown:
        raise LexiconError(
            pla.path, f"names places not in the gazetteer: {unknown}", "gazetteer.ambiguous"
        )
    for name in places:
        gazetteer.add(name, (name, name in ambiguous))
        if any(c.islower() for c in name):
            gazetteer.add(name.upper(), (name, name in ambiguous))

    heads: dict[str, GroupHead] = {}
    for section, unit in (("heads.organ", False), ("heads.unit", True)):
        for lemma, plurals in gro.get(section, dict).items():
            if not isinstance(plurals, list):
                raise LexiconError(gro.path, f"{lemma!r} must map to a list of plurals", section)
            heads[lemma] = GroupHead(lemma, unit, False)
            for plural in plurals:
                heads[plural] = GroupHead(lemma, unit, True)

    abbreviations = PhraseTable()
    for abbr, entry in gro.get("abbreviations", dict).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise LexiconError(gro.path, f"{abbr!r} needs a name", "abbreviations")
        abbreviations.add(abbr, Abbreviation(entry["name"], bool(entry.get("specific", True))))

    for key in ("named_only", "anaphoric"):
        unknown_heads = sorted(set(gro.strings(f"head_rules.{key}")) - set(heads))
        if unknown_heads:
            raise LexiconError(
                gro.path, f"names words that are not heads: {unknown_heads}", f"head_rules.{key}"
            )

    parts = {}
    for part, bounds in dat.get("parts_of_month", dict).items():
        if not (
            isinstance(bounds, list)
            and len(bounds) == 2
            and all(isinstance(b, int) for b in bounds)
        ):
            raise LexiconError(
                dat.path, f"{part!r} must be [first day, last day]", "parts_of_month"
            )
        parts[part] = (bounds[0], bounds[1])

    numbers = cou.get("numbers", dict)
    for key in ("units", "tens", "multipliers"):
        cou.ints(f"numbers.{key}")

    return Lexicon(
        honorifics=honorifics,
        honorifics_lowercase=honorifics_lower,
        surnames=frozenset(per.strings("east_asian.surnames")),
        weak_surnames=frozenset(per.strings("east_asian.weak_surnames")),
        given_names=frozenset(per.strings("western.given_names")),
        particles=frozenset(per.strings("western.particles")),
        context_before=PhraseTable.of(per.strings("context.before"), lower=True),
        context_after=tuple(per.strings("context.after")),
        stopwords=frozenset(
            w.lower() for key in r["stopwords"].data for w in r["stopwords"].strings(key)
        ),
        function_words=frozenset(
            w.lower()
            for key in ("function", "verbs", "adverbs")
            for w in r["stopwords"].strings(key)
        ),
        dotted_words=_dotted(
            hon.strings("address")
            + hon.strings("titles")
            + list(dat.ints("months"))
            + cou.strings("nouns.reference_cues")
        ),
        title_words=frozenset(
            t.text
            for phrase in hon.strings("address") + hon.strings("titles")
            for t in tokenize(phrase)
            if t.kind == "word"
        ),
        adjectives=frozenset(nat.strings("adjectives")),
        demonym_plurals=frozenset(nat.strings("plurals")),
        demonym_invariant=frozenset(nat.strings("invariant")),
        gazetteer=gazetteer,
        place_prepositions=frozenset(pla.strings("cues.prepositions")),
        place_phrases=PhraseTable.of(pla.strings("cues.phrases"), lower=True),
        admin_nouns=PhraseTable.of(pla.strings("cues.admin_nouns")),
        admin_adjectives=frozenset(pla.strings("cues.admin_adjectives")),
        feature_nouns=frozenset(pla.strings("cues.feature_nouns")),
        compass=frozenset(pla.strings("cues.compass")),
        place_heads=frozenset(pla.strings("cues.heads")),
        group_heads=heads,
        named_only_heads=frozenset(gro.strings("head_rules.named_only")),
        event_like_heads=frozenset(gro.strings("head_rules.event_like")),
        anaphoric_heads=frozenset(gro.strings("head_rules.anaphoric")),
        determiners=frozenset(gro.strings("head_rules.determiners")),
        complement_determiners=frozenset(gro.strings("head_rules.complement_determiners")),
        ordinals=frozenset(gro.strings("head_rules.ordinals")),
        evaluative=frozenset(gro.strings("head_rules.evaluative")),
        participle_modifiers=frozenset(gro.strings("head_rules.participle_modifiers")),
        proper_groups=frozenset(gro.strings("proper.names")),
        group_names=PhraseTable.of(gro.strings("names.list")),
        abbreviations=abbreviations,
        months=dat.ints("months"),
        parts_of_month=parts,
        date_qualifiers=dat.words("qualifiers"),
        year_cues=frozenset(dat.strings("cues.before_year")),
        month_cues=frozenset(dat.strings("cues.before_month")),
        this_year=tuple(dat.strings("cues.this_year")),
        weekdays=frozenset(dat.strings("weekdays.names")),
        event_nouns=eve.words("nouns"),
        named_event_nouns=eve.words("named_nouns"),
        participles=eve.words("participles"),
        base_forms=eve.words("base_forms"),
        intransitive=eve.words("intransitive"),
        movement=eve.words("movement"),
        verb_arguments=eve.words("verb_arguments"),
        plan_before=PhraseTable.of(eve.strings("plans.before"), lower=True),
        plan_anywhere=PhraseTable.of(eve.strings("plans.anywhere"), lower=True),
        auxiliaries=frozenset(eve.strings("auxiliaries.words")),
        count_qualifiers=_table_of(cou.words("qualifiers"), cou.path),
        number_units=numbers["units"],
        number_tens=numbers["tens"],
        number_multipliers=numbers["multipliers"],
        person_nouns=frozenset(cou.strings("nouns.persons")),
        membership_verbs=frozenset(cou.strings("nouns.membership_verbs")),
        time_units=frozenset(cou.strings("nouns.time_units")),
        reference_cues=frozenset(cou.strings("nouns.reference_cues")),
        role_offices=_offices(rol),
        role_modifiers=_lower(rol.strings("offices.modifiers")),
        role_skip=_lower(rol.strings("offices.skip")),
        role_copulas=PhraseTable.of(rol.strings("clauses.copulas"), lower=True),
        role_relatives=_lower(rol.strings("clauses.relatives")),
        role_adverbs=_lower(rol.strings("clauses.adverbs")),
        role_modals=_lower(rol.strings("clauses.modals")),
        role_head=_head_cues(rol),
        role_subordinate=PhraseTable.of(rol.strings("subordinate.cues"), lower=True),
        role_conferring=PhraseTable.of(rol.strings("joined.conferring"), lower=True),
        role_links=PhraseTable.of(rol.strings("joined.links"), lower=True),
        role_becoming=PhraseTable.of(rol.strings("joined.becoming"), lower=True),
        role_joining=PhraseTable.of(rol.strings("joined.joining"), lower=True),
    )


def _lower(words: list[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def _offices(rol: _Reader) -> PhraseTable:
    table = PhraseTable(lower=True)
    offices, members = rol.strings("offices.names"), rol.strings("offices.members")
    both = sorted({o.lower() for o in offices} & {m.lower() for m in members})
    if both:
        raise LexiconError(rol.path, f"lists {both} as offices and memberships", "offices.members")
    for phrase in offices:
        table.add(phrase, ROLE_OFFICE)
    for phrase in members:
        table.add(phrase, ROLE_MEMBER)
    return table


def _head_cues(rol: _Reader) -> PhraseTable:
    table = PhraseTable(lower=True)
    for phrase, office in rol.words("head").items():
        table.add(phrase, office.strip() or None)
    return table


def _dotted(phrases: list[str]) -> frozenset[str]:
    words = set()
    for phrase in phrases:
        toks = tokenize(phrase)
        words.update(
            a.text
            for a, b in zip(toks, toks[1:], strict=False)
            if b.text == "." and a.end == b.start
        )
    return frozenset(words)


COUNT_MEANINGS = frozenset(
    {
        "lower-exclusive",
        "lower-inclusive",
        "upper-exclusive",
        "upper-inclusive",
        "approximate",
        "exact",
        "several",
    }
)


def _table_of(mapping: dict[str, str], path: Path) -> PhraseTable:
    table = PhraseTable(lower=True)
    for phrase, value in mapping.items():
        if value not in COUNT_MEANINGS:
            raise LexiconError(
                path, f"{phrase!r}: {value!r} is not one of {sorted(COUNT_MEANINGS)}", "qualifiers"
            )
        table.add(phrase, value)
    return table


@cache
def default_lexicon() -> Lexicon:
    """The package's own lexicon, read once."""
    return load_lexicon()
