"""Resolution: mentions tied to curated or new entities with stable URIs."""

from lodpub.resolve.authority import Authority, AuthorityEntry, AuthorityError
from lodpub.resolve.entity import Entity, Event, ExternalId, Link, Resolution
from lodpub.resolve.names import fold, name_keys
from lodpub.resolve.resolver import resolve

__all__ = [
    "Authority",
    "AuthorityEntry",
    "AuthorityError",
    "Entity",
    "Event",
    "ExternalId",
    "Link",
    "Resolution",
    "fold",
    "name_keys",
    "resolve",
]
