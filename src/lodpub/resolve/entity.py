"""The `Entity` and `Resolution`: mentions tied to authority entities with stable URIs."""

from __future__ import annotations

from dataclasses import dataclass, field

from lodpub.extract.mention import Mention
from lodpub.sources.record import Record

ENTITY_KINDS = ("person", "group", "place")


@dataclass(frozen=True, slots=True)
class ExternalId:
    """A verified identifier in another authority; `match` is "exact" or "close"."""

    scheme: str  # "wikidata" | "viaf" | "geonames" | "lcnaf" | "gnd"
    id: str  # "Q8684"
    match: str = "exact"

    @property
    def uri(self) -> str:
        return EXTERNAL_URI[self.scheme].format(self.id)


EXTERNAL_URI = {
    "wikidata": "http://www.wikidata.org/entity/{}",
    "viaf": "http://viaf.org/viaf/{}",
    "geonames": "https://sws.geonames.org/{}/",
    "lcnaf": "http://id.loc.gov/authorities/names/{}",
    "gnd": "https://d-nb.info/gnd/{}",
}


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, group or place with a stable URI; curated when it comes from the authority file."""

    uri: str
    kind: str  # one of ENTITY_KINDS
    slug: str
    label: str  # preferred label (English display form)
    variants: tuple[str, ...] = ()  # alternative names, including bracketed romanizations
    reviewed: bool = False  # True only for authority-file entries
    external: tuple[ExternalId, ...] = ()
    broader: str | None = None  # URI of the place (for places) this one falls within
    member_of: tuple[str, ...] = ()  # URIs of groups this person/group is a member of
    description: str | None = None  # one line that tells it apart from namesakes
    replaces: tuple[str, ...] = ()  # URIs merged into this one (they answer 301)


@dataclass(frozen=True, slots=True)
class Link:
    """A mention tied to the entity it refers to, with how the tie was made."""

    mention: Mention
    entity: str  # entity URI
    method: str  # "authority" | "variant" | "context" | "coreference" | "new" | "tag"
    score: float  # 0..1


@dataclass(frozen=True, slots=True)
class Event:
    """An event (or plan) reported by one document, with a URI minted for it."""

    uri: str
    mention: Mention
    label: str  # readable: "Rally in Seoul, 20 October 1945"


@dataclass
class Resolution:
    """Everything the model needs about one record: its mentions, links, entities and events."""

    record: Record
    mentions: tuple[Mention, ...]  # all of them, roles included (their spans lead to `links`)
    links: tuple[Link, ...]  # one per person/group/place mention
    entities: dict[str, Entity]  # every entity linked or tagged, by URI
    events: tuple[Event, ...] = ()
    subjects: tuple[str, ...] = ()  # entity URIs from the archive's tags (what the record is about)
    year: int | None = None  # the year relative dates were resolved against
    unresolved: tuple[Mention, ...] = field(default=())  # name mentions left without an entity
    # role → entity URI of the record's metadata agents: translator, funder, publisher, archive
    agents: dict[str, str] = field(default_factory=dict)
