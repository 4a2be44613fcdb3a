"""Roles the document states (claims graph): memberships, offices, headship, subordinate organs
(PC107 nodes with a kind of member) and offices conferred (E85 Joining)."""

from __future__ import annotations

from rdflib import URIRef

from lodpub.extract.mention import Mention, RoleValue
from lodpub.resolve.entity import Event, Link

from .annotations import annotate_mention
from .context import Context, add_node
from .namespaces import CRM

Span = tuple[int, int]
KIND_OF_MEMBER = CRM["P107.1_kind_of_member"]
KIND_OF_JOINING = CRM["P144.1_kind_of_member"]
# The kind of member each relation gives, beside (head) or instead of (member) the office.
RELATION_KIND = {"head": "head", "member": "member", "subordinate": "subordinate-organ"}
RELATION_WORDS = {"head": "head", "member": "member", "subordinate": "subordinate organ"}


def add_roles(ctx: Context) -> None:
    """Each role whose holder and organisation are linked to entities, once per statement;
    every cue span that states it is annotated with its node. Others are left out."""
    links = ctx.links_by_span()
    events = {e.mention.span: e for e in ctx.resolution.events}
    nodes: dict[tuple, URIRef] = {}
    for mention in ctx.resolution.mentions:
        if mention.kind != "role":
            continue
        if mention.role is None:
            raise ctx.error("mentions", f"role {mention.start}-{mention.end} has no role value")
        ends = _ends(ctx, mention.role, links)
        if ends is None:
            continue
        holder, organisation = ends
        if mention.role.relation == "joined":
            event = _conferring_event(mention.role, events)
            key: tuple = ("joined", holder, organisation, _office_kind(ctx, mention.role), event)
            if key not in nodes:
                nodes[key] = _add_joining(ctx, mention, holder, organisation, event)
        else:
            key = (mention.role.relation, holder, organisation, *_kinds(ctx, mention.role))
            if key not in nodes:
                nodes[key] = _add_membership(ctx, mention, holder, organisation)
        annotate_mention(ctx, mention, nodes[key])


def _ends(ctx: Context, role: RoleValue, links: dict[Span, Link]) -> tuple[URIRef, URIRef] | None:
    """(holder, organisation) entity URIs, or None when either is not linked or not fitting."""
    holder = links.get(role.holder) if role.holder else None
    organisation = links.get(role.organisation) if role.organisation else None
    if holder is None or organisation is None or holder.entity == organisation.entity:
        return None
    kinds = {uri: e.kind for uri, e in ctx.resolution.entities.items()}
    if kinds.get(organisation.entity) != "group" or kinds.get(holder.entity) not in (
        "person",
        "group",
    ):
        return None
    return URIRef(holder.entity), URIRef(organisation.entity)


def _office_kind(ctx: Context, role: RoleValue) -> URIRef:
    """The role type of an office as written: its own ("First Secretary"), else that of the
    office it ends with ("Deputy Foreign Minister" → foreign minister), else "office holder"."""
    if role.office is None:
        return ctx.vocab.type("role", "member")
    words = role.office.split()
    for k in range(len(words)):
        found = ctx.vocab.find("role", " ".join(words[k:]))
        if found is not None:
            return found
    return ctx.vocab.type("role", "office-holder")


def _kinds(ctx: Context, role: RoleValue) -> tuple[URIRef, ...]:
    kinds = []
    if role.relation in RELATION_KIND and not (role.relation == "member" and role.office):
        kinds.append(ctx.vocab.type("role", RELATION_KIND[role.relation]))
    if role.office is not None:
        kinds.append(_office_kind(ctx, role))
    return tuple(dict.fromkeys(kinds))


def _what(role: RoleValue) -> str:
    """The role in words for labels: "Secretary", "head", "subordinate organ"."""
    return role.office or RELATION_WORDS[role.relation]


def _add_membership(ctx: Context, mention: Mention, holder: URIRef, group: URIRef) -> URIRef:
    """A PC107 node (the group has the holder as member, of this kind), and the plain P107."""
    role = mention.role
    assert role is not None
    g = ctx.claims
    node = ctx.part("claim", "role", f"{mention.start}-{mention.end}")
    label = f"{ctx.entity_label(str(holder))} – {_what(role)} of {ctx.entity_label(str(group))}"
    add_node(g, node, CRM.PC107_has_current_or_former_member, label)
    g.add((node, CRM.P01_has_domain, group))
    g.add((node, CRM.P02_has_range, holder))
    for kind in _kinds(ctx, role):
        g.add((node, KIND_OF_MEMBER, kind))
    g.add((group, CRM.P107_has_current_or_former_member, holder))
    return node


def _conferring_event(role: RoleValue, events: dict[Span, Event]) -> Event | None:
    """The election or appointment the office was conferred in, unless it is only a plan."""
    event = events.get(role.event) if role.event else None
    if event is None or (event.mention.event is not None and event.mention.event.planned):
        return None
    return event


def _add_joining(
    ctx: Context, mention: Mention, holder: URIRef, group: URIRef, event: Event | None
) -> URIRef:
    """An E85 Joining (holder joins group), its PC144 node with the office as kind of member,
    part of the election that conferred it; and the plain P107, as the joining makes a member."""
    role = mention.role
    assert role is not None
    g = ctx.claims
    node = ctx.part("claim", "role", f"{mention.start}-{mention.end}")
    who, where = ctx.entity_label(str(holder)), ctx.entity_label(str(group))
    label = f"{who} joins {where}" + (f" as {role.office}" if role.office else "")
    add_node(g, node, CRM.E85_Joining, label)
    g.add((node, CRM.P2_has_type, ctx.vocab.type("event", "joining")))
    g.add((node, CRM.P143_joined, holder))
    g.add((node, CRM.P144_joined_with, group))
    joined_with = URIRef(f"{node}/joined-with")
    add_node(g, joined_with, CRM.PC144_joined_with, f"{where}, joined by {who}")
    g.add((joined_with, CRM.P01_has_domain, node))
    g.add((joined_with, CRM.P02_has_range, group))
    g.add((joined_with, KIND_OF_JOINING, _office_kind(ctx, role)))
    g.add((group, CRM.P107_has_current_or_former_member, holder))
    if event is not None:
        # Forward direction only: the election consists of the joining (P9i would be the inverse).
        g.add((URIRef(event.uri), CRM.P9_consists_of, node))
    return node
