"""`resolve`: tie a record's name mentions, tags and agents to entities, and mint its events."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lodpub.extract.mention import Mention
from lodpub.resolve.authority import Authority, AuthorityEntry
from lodpub.resolve.context import TextContext
from lodpub.resolve.entity import ENTITY_KINDS, Entity, Link, Resolution
from lodpub.resolve.events import mint_events
from lodpub.resolve.minting import local_slug, new_slug
from lodpub.resolve.names import display_name, head, is_proper_name, name_keys, tokens
from lodpub.sources.record import Record, Tag
from lodpub.uris import Uris

# Link scores by method, multiplied by the mention's confidence (table in authority/README.md).
SCORE_LABEL = 1.0  # the authority's preferred label
SCORE_VARIANT_NAME = 0.95  # one of the authority's variants
SCORE_ALTERNATIVE = 0.95  # a bracketed alternative joins its primary name's entity
SCORE_TAG = 0.9  # one of the archive's own tags for this record
SCORE_CONTEXT_MAX = 0.9  # namesakes told apart by context words; less when the margin is thin
SCORE_CONTEXT_MIN = 0.5
SCORE_COREFERENCE = 0.75  # a shorter form of a name used earlier in the document
SCORE_ENCLOSING = 0.8  # the party named in a curated organ's name is the organ's party
SCORE_NEW = 1.0  # a new, unreviewed entity: the mention's confidence alone
SCORE_UNRESOLVED = 0.3  # a document-local entity for an ambiguous reference
DISTANCED = 0.7  # "a so-called democratic party": the author doubts the name
# A short form ("the Party") goes to the entity named at least this often, and this many times
# more often than any other it could stand for; else to the only one in the near window.
SALIENCE_MIN = 3
SALIENCE_RATIO = 3

_DISTANCING = re.compile(r"so[- ]called\s*$", re.IGNORECASE)
_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")
_TRAILING_PLACE = re.compile(r"^(?P<name>.+?)\s+in\s+(?:the\s+)?\S+(?:\s+\S+){0,2}$")
# Metadata agents: the record field, its role and the entity kind it names.
_AGENTS = (("translator", "person"), ("funder", "group"), ("publisher", "group"))


def resolve(
    record: Record, mentions: tuple[Mention, ...], authority: Authority, uris: Uris
) -> Resolution:
    """Link every person, group and place mention to a curated or new entity; mint events."""
    return _Resolver(record, mentions, authority, uris).run()


@dataclass
class _New:
    uri: str
    kind: str
    slug: str
    label: str
    variants: list[str] = field(default_factory=list)
    description: str | None = None


@dataclass(frozen=True, slots=True)
class _Said:
    """An entity named earlier in the document, with the words it was named by."""

    start: int
    uri: str
    kind: str
    words: tuple[tuple[str, ...], ...]  # the folded words of each form it was named by


@dataclass(frozen=True, slots=True)
class _Choice:
    uri: str
    method: str
    score: float
    unresolved: bool = False


class _Resolver:
    def __init__(
        self, record: Record, mentions: tuple[Mention, ...], authority: Authority, uris: Uris
    ) -> None:
        self.record = record
        self.mentions = tuple(sorted(mentions, key=lambda m: (m.start, m.end)))
        self.authority = authority
        self.uris = uris
        self.context = TextContext(record)
        self.entities: dict[str, Entity | _New] = {}
        self.links: list[Link] = []
        self.by_span: dict[tuple[int, int], Link] = {}
        self.said: list[_Said] = []
        self.unresolved: list[Mention] = []
        self.tagged: list[tuple[str, str, frozenset[str]]] = []  # (uri, kind, name keys)
        self.label_words: dict[str, tuple[str, ...]] = {}

    def run(self) -> Resolution:
        subjects = self._tags()
        for mention in self.mentions:
            if mention.kind in ENTITY_KINDS:
                self._link(mention)
        agents = self._agents()
        links = tuple(self.links)
        entities = {uri: self._entity(uri) for uri in self.entities}
        return Resolution(
            record=self.record,
            mentions=self.mentions,
            links=links,
            entities=entities,
            events=mint_events(self.record, self.mentions, links, entities, self.uris),
            subjects=subjects,
            year=self._year(),
            unresolved=tuple(self.unresolved),
            agents=agents,
        )

    # mentions

    def _link(self, mention: Mention) -> None:
        # The extractor gives no normal name for a reference that is not a name ("the Party").
        anaphor = mention.name is None
        name = (mention.name or mention.text).strip()
        kind = mention.kind
        forms = _forms(name, mention.text, kind)
        primary = self.by_span.get(mention.alternative_to) if mention.alternative_to else None
        if primary is not None and self._kind_of(primary.entity) == kind:
            self._add_variant(primary.entity, name)
            unresolved = primary.mention in self.unresolved
            choice = _Choice(primary.entity, "variant", SCORE_ALTERNATIVE, unresolved)
        else:
            choice = self._choose(mention, name, forms, anaphor)
        if choice is None:
            self.unresolved.append(mention)
            return
        factor = mention.confidence * (DISTANCED if self._distanced(mention) else 1.0)
        link = Link(mention, choice.uri, choice.method, round(choice.score * factor, 3))
        self.links.append(link)
        self.by_span[mention.span] = link
        if choice.unresolved:
            self.unresolved.append(mention)
        else:
            words = tuple(dict.fromkeys(tokens(form, kind) for form in forms))
            self.said.append(_Said(mention.start, choice.uri, kind, words))

    def _choose(
        self, mention: Mention, name: str, forms: tuple[str, ...], anaphor: bool
    ) -> _Choice | None:
        """The entity a mention refers to; None for a reference with no unique antecedent."""
        kind, start = mention.kind, mention.start
        if not anaphor:
            windows = self.context.windows(start)
            for form in forms:
                candidates = self.authority.lookup(form, kind)
                if candidates:
                    choice = self._among(form, kind, candidates, windows, start)
                    if choice is not None:
                        return choice
            enclosing = self._enclosing(mention, name)
            if enclosing is not None:
                return enclosing
            keys = frozenset().union(*(name_keys(form, kind) for form in forms))
            tagged = {uri for uri, k, tag_keys in self.tagged if k == kind and tag_keys & keys}
            if len(tagged) == 1:
                return _Choice(tagged.pop(), "tag", SCORE_TAG)
        earlier = self._antecedents(forms, kind, start, anaphor=anaphor)
        if len(earlier) == 1:
            return _Choice(earlier[0], "coreference", SCORE_COREFERENCE)
        curated = [self.authority.get(kind, self.entities[uri].slug) for uri in earlier]
        if len(earlier) > 1 and all(curated) and not any(self._isnew(u) for u in earlier):
            # several curated antecedents: their context words may still choose one
            entries = tuple(e for e in curated if e is not None)
            choice = self._among(name, kind, entries, self.context.windows(start), start)
            if choice is not None and not (anaphor and choice.unresolved):
                return choice
        if anaphor:
            return None
        if earlier:
            return self._document_local(name, kind, [self._label(u) for u in earlier])
        return _Choice(self._mint(name, kind), "new", SCORE_NEW)

    def _among(
        self,
        name: str,
        kind: str,
        candidates: tuple[AuthorityEntry, ...],
        windows: dict[str, str],
        start: int | None,
    ) -> _Choice | None:
        """Choose among the curated entries a name matches, or None when context rules all out."""
        cued = {e.slug: self.context.score(e.context, windows) for e in candidates}
        eligible = [e for e in candidates if not (e.context_required and cued[e.slug] == 0)]
        if len(eligible) == 1:
            entry = eligible[0]
            if len(candidates) > 1:
                return _Choice(self._curated(entry), "context", SCORE_CONTEXT_MAX)
            label = self.authority.is_label(entry, name)
            return _Choice(
                self._curated(entry), "authority", SCORE_LABEL if label else SCORE_VARIANT_NAME
            )
        if not eligible:
            return None
        ranked = sorted(eligible, key=lambda e: -cued[e.slug])
        top, second = cued[ranked[0].slug], cued[ranked[1].slug]
        if top > second:
            margin = SCORE_CONTEXT_MAX * (top - second) / top
            return _Choice(self._curated(ranked[0]), "context", max(SCORE_CONTEXT_MIN, margin))
        uris = [self.uris.thing(e.kind, e.slug) for e in eligible]
        tagged = [uri for uri, _, _ in self.tagged if uri in uris]
        if len(set(tagged)) == 1:
            return _Choice(self._curated(self._entry_of(tagged[0], eligible)), "tag", SCORE_TAG)
        if start is not None:
            earlier = self._antecedents((), kind, start, among=uris)
            if len(earlier) == 1:
                entry = self._entry_of(earlier[0], eligible)
                return _Choice(self._curated(entry), "coreference", SCORE_COREFERENCE)
        return self._document_local(name, kind, [e.label for e in eligible])

    def _enclosing(self, mention: Mention, name: str) -> _Choice | None:
        """A party named inside a curated organ's name ("CC of the Korean Workers Party") is
        the party that organ belongs to, when the organ has one and the head nouns agree."""
        if mention.kind != "group":
            return None
        outer = next(
            (
                link
                for link in reversed(self.links)
                if link.mention.kind == "group"
                and link.mention.start <= mention.start
                and mention.end <= link.mention.end
                and link.mention.span != mention.span
            ),
            None,
        )
        organ = self.authority.get("group", outer.entity.rsplit("/", 1)[1]) if outer else None
        if organ is None or len(organ.member_of) != 1:
            return None
        parent = self.authority.get("group", organ.member_of[0])
        if parent is None or head(tokens(name, "group")) not in {
            head(tokens(form, "group")) for form in parent.names
        }:
            return None
        return _Choice(self._curated(parent), "context", SCORE_ENCLOSING)

    def _antecedents(
        self,
        forms: tuple[str, ...],
        kind: str,
        start: int,
        *,
        among: list[str] | None = None,
        anaphor: bool = False,
    ) -> list[str]:
        """Entities named earlier that a name is a shorter form of (with `among`: those of the
        namesakes named earlier). Several are narrowed to one: for a reference ("this party")
        the latest in this or the previous sentence; for a name, the one named far more often,
        else the only one in this or the previous sentence."""
        wanted = [tokens(form, kind) for form in forms]
        times: dict[str, int] = {}
        latest: dict[str, int] = {}
        for said in self.said:
            if said.kind != kind or said.start >= start:
                continue
            if among is not None:
                match = said.uri in among
            else:
                known = (*said.words, self._label_words(said.uri))
                match = any(_shorter(w, k, kind) for w in wanted for k in known)
            if match:
                times[said.uri] = times.get(said.uri, 0) + 1
                latest[said.uri] = said.start
        if len(times) <= 1:
            return list(times)
        near = self.context.recent_start(start)
        recent = sorted((at, uri) for uri, at in latest.items() if at >= near)
        if anaphor and recent:
            return [recent[-1][1]]
        if among is None:
            ranked = sorted(times, key=lambda uri: -times[uri])
            first, second = times[ranked[0]], times[ranked[1]]
            if first >= SALIENCE_MIN and first >= SALIENCE_RATIO * second:
                return ranked[:1]
        return [recent[0][1]] if len(recent) == 1 else list(times)

    # tags and agents

    def _tags(self) -> tuple[str, ...]:
        subjects: list[str] = []
        for tag in self.record.tags:
            if tag.kind not in (*ENTITY_KINDS, "agent") or not tag.label.strip():
                continue  # subject headings are concepts, not entities: the model reads them
            uri = self._whole_document(tag.label, self._tag_kinds(tag))
            kind = self._kind_of(uri)
            self.tagged.append((uri, kind, name_keys(tag.label, kind)))
            if uri not in subjects:
                subjects.append(uri)
        return tuple(subjects)

    def _tag_kinds(self, tag: Tag) -> tuple[str, ...]:
        if tag.kind != "agent":
            return (tag.kind,)
        if "," in tag.label:
            return ("person",)
        in_text = [
            m.kind
            for m in self.mentions
            if m.kind in ("person", "group") and name_keys(tag.label) & name_keys(m.name or m.text)
        ]
        return (in_text[0],) if in_text else ("group", "person")

    def _agents(self) -> dict[str, str]:
        named = [(role, getattr(self.record, role), kind) for role, kind in _AGENTS]
        if self.record.citation is not None:
            named.append(("archive", self.record.citation.get("archive"), "group"))
        return {
            role: self._whole_document(name.strip(), (kind,))
            for role, name, kind in named
            if name and name.strip()
        }

    def _whole_document(self, name: str, kinds: tuple[str, ...]) -> str:
        """An entity for a name without a position: curated if the authority has it, else new."""
        windows = self.context.whole()
        for kind in kinds:
            candidates = self.authority.lookup(name, kind)
            if candidates:
                choice = self._among(name, kind, candidates, windows, None)
                if choice is not None:
                    return choice.uri
        return self._mint(name, kinds[0])

    # entities

    def _curated(self, entry: AuthorityEntry) -> str:
        entity = entry.entity(self.uris)
        self.entities.setdefault(entity.uri, entity)
        return entity.uri

    def _mint(self, name: str, kind: str) -> str:
        """A new entity: shared by every document for a proper name ("Kim Gu"), local to this
        document for a description ("trade unions", "future Korean government")."""
        if is_proper_name(name):
            return self._new(kind, new_slug(name, kind, self.authority), name).uri
        new = self._new(kind, local_slug(name, kind, self.record.key, self.authority), name)
        if new.description is None:
            new.description = f"Described only as “{name}” in document {self.record.key}"
        return new.uri

    def _document_local(self, name: str, kind: str, candidates: list[str]) -> _Choice:
        new = self._new(kind, local_slug(name, kind, self.record.key, self.authority), name)
        options = " or ".join(dict.fromkeys(candidates))
        new.description = f"Unresolved in document {self.record.key}: one of {options}"
        return _Choice(new.uri, "new", SCORE_UNRESOLVED, unresolved=True)

    def _new(self, kind: str, slug: str, name: str) -> _New:
        uri = self.uris.thing(kind, slug)
        new = self.entities.get(uri)
        if not isinstance(new, _New):
            new = _New(uri=uri, kind=kind, slug=slug, label=display_name(name))
            self.entities[uri] = new
        self._add_variant(uri, name)
        return new

    def _add_variant(self, uri: str, name: str) -> None:
        new = self.entities.get(uri)
        if isinstance(new, _New) and name != new.label and name not in new.variants:
            new.variants.append(name)

    def _entity(self, uri: str) -> Entity:
        found = self.entities[uri]
        if isinstance(found, Entity):
            return found
        return Entity(
            uri=uri,
            kind=found.kind,
            slug=found.slug,
            label=found.label,
            variants=tuple(found.variants),
            reviewed=False,
            description=found.description,
        )

    def _label_words(self, uri: str) -> tuple[str, ...]:
        if uri not in self.label_words:
            entity = self.entities[uri]
            self.label_words[uri] = tokens(_unqualified(entity.label), entity.kind)
        return self.label_words[uri]

    def _isnew(self, uri: str) -> bool:
        return isinstance(self.entities[uri], _New)

    def _kind_of(self, uri: str) -> str:
        return self.entities[uri].kind

    def _label(self, uri: str) -> str:
        return self.entities[uri].label

    def _entry_of(self, uri: str, entries: list[AuthorityEntry]) -> AuthorityEntry:
        return next(e for e in entries if self.uris.thing(e.kind, e.slug) == uri)

    # small facts

    def _distanced(self, mention: Mention) -> bool:
        before = self.record.body[max(0, mention.start - 12) : mention.start]
        return bool(_DISTANCING.search(before)) or "so-called" in mention.text.lower()

    def _year(self) -> int | None:
        if self.record.date and self.record.date[:4].isdigit():
            return int(self.record.date[:4])
        for mention in self.mentions:
            if mention.date is not None and mention.date.year_inferred:
                return int(mention.date.begin[:4])
        return None


def _forms(name: str, text: str, kind: str) -> tuple[str, ...]:
    """The normal name, the text as written ("CC of …" where the name says "Central Committee
    of …"), and for groups both without a trailing place ("CC of the Party in Seoul")."""
    forms = [name, " ".join(text.split())]
    if kind == "group":
        forms += [m["name"] for m in map(_TRAILING_PLACE.match, forms) if m]
    return tuple(dict.fromkeys(forms))


def _unqualified(label: str) -> str:
    """A label without its trailing "(…)" qualifier: "Democratic Party (North Korea, 1945)"."""
    return _QUALIFIER.sub("", label) or label


def _shorter(words: tuple[str, ...], longer: tuple[str, ...], kind: str) -> bool:
    """True when `words` is the name `longer` again or a shorter form of it: surname alone for
    persons, the same head word for groups ("the Party" of "Korean Communist Party")."""
    if words == longer:
        return bool(words)
    if not words or len(words) >= len(longer) or not set(words) <= set(longer):
        return False
    if kind == "person":
        return len(words) == 1 and words[0] in (longer[0], longer[-1])
    if kind == "group":
        return head(words) == head(longer)
    return True
