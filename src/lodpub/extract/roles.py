"""Roles: who holds which office or membership in which group, read from cue phrases."""

from __future__ import annotations

from dataclasses import dataclass

from lodpub.extract.events import plan_cues
from lodpub.extract.found import Found
from lodpub.extract.lexicon import ROLE_MEMBER, Lexicon, PhraseTable
from lodpub.extract.mention import Mention, RoleValue
from lodpub.extract.text import Doc

Span = tuple[int, int]
# Determiners between "of" and the group an office is held in ("Secretary of the CC").
COMPLEMENT_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "their", "his"})
# Prepositions of a place phrase between a group and a cue ("the CC ... in Seoul headed by").
PLACE_PREPOSITIONS = frozenset({"in", "at"})
# Punctuation that closes an apposition ("Mr. Bevin, the Foreign Secretary, said").
CLOSING = frozenset({",", ";", ".", ")", ":"})
TITLE_WINDOW = 4  # words a holder's name may follow a cue by ("headed by CC Secretary Pak")


@dataclass(frozen=True, slots=True)
class _Holder:
    """Who holds an office, and how the text says so."""

    first: int  # the cue's first token
    holder: Mention
    recognizer: str
    confidence: float
    participle: int | None = None  # token of the verb conferring the office
    organisation: Mention | None = None  # the group, when it stands before the office
    joined: bool = False  # the office was conferred or taken up, not just held


class RoleFinder:
    """Finds role cues in a document and ties them to the person and group mentions around."""

    def __init__(self, doc: Doc, lex: Lexicon, found: Found) -> None:
        self.doc, self.lex, self.found = doc, lex, found
        self.tokens = doc.tokens
        self.persons = [m for m in found.of("person") if m.alternative_to is None]
        self.groups = found.of("group")
        self.events = found.of("event")
        self.plans: dict[int, tuple[int | None, bool]] = {}
        # the organisation of the latest joined role in a sentence, for an elided one
        # ("X was chosen as First Secretary of the Y and Z ... as Second Secretary")
        self.conferred: dict[int, Span] = {}

    def find(self) -> None:
        for i, tok in enumerate(self.tokens):
            if not tok.is_word:
                continue
            role = self._head(i) or self._subordinate(i) or self._joining(i) or self._office(i)
            if role is not None:
                self.found.add(role)

    # cue phrases

    def _head(self, i: int) -> Mention | None:
        """ "the Y headed by X", "Y is led by X", "Y were under the command of X"."""
        match = self.lex.role_head.match(self.doc.body, self.tokens, i)
        if match is None:
            return None
        last = i + match[0] - 1
        holder = self._actor_after(last + 1)
        if holder is None:
            return None
        organisation, confidence = self._subject(i), 0.7
        if organisation is None:
            organisation, confidence = self._group_before(i), 0.8
        if organisation is None or organisation.span == holder.span:
            return None
        value = RoleValue("head", match[1], holder.span, organisation.span)
        return self._role(i, last, "role.head", confidence, value)

    def _subordinate(self, i: int) -> Mention | None:
        """ "Y is (directly) subordinate to Z": Y an organ of Z."""
        match = self.lex.role_subordinate.match(self.doc.body, self.tokens, i)
        if match is None:
            return None
        last = i + match[0] - 1
        superior = self._group_at(last + 1)
        if superior is None:
            return None
        organ, confidence = self._subject(i), 0.75
        if organ is None:
            organ, confidence = self._group_before(i), 0.8
        if organ is None or organ.span == superior.span:
            return None
        value = RoleValue("subordinate", None, organ.span, superior.span)
        return self._role(i, last, "role.subordinate", confidence, value)

    def _joining(self, i: int) -> Mention | None:
        """ "X joined the Party", "X was admitted to the Party"."""
        match = self.lex.role_joining.match(self.doc.body, self.tokens, i)
        if match is None or not self.tokens[i].is_lower:
            return None
        last = i + match[0] - 1
        organisation = self._group_at(last + 1)
        if organisation is None:
            return None
        first = self._auxiliaries(i)
        holder = self._nearest(("person",), self.tokens[first].start)
        if holder is None:
            return None
        value = RoleValue("joined", None, holder.span, organisation.span, self._event(i, last))
        return self._role(first, last, "role.joined", 0.7, value)

    def _office(self, i: int) -> Mention | None:
        """An office or membership noun and what stands around it (see `_holder`)."""
        doc, lex, tokens = self.doc, self.lex, self.tokens
        match = lex.role_offices.match(doc.body, tokens, i)
        if match is None:
            return None
        last = i + match[0] - 1
        if (
            match[0] == 1
            and tokens[i].lower in lex.role_modifiers
            and doc.joined(i)
            and lex.role_offices.match(doc.body, tokens, i + 1)
        ):
            return None  # "Chief Secretary": the next office takes this word as a modifier
        if self.found.overlapping(tokens[i].start, tokens[last].end, "person", "group", "place"):
            return None  # part of a name: "Office of the President"
        first = i
        while first > 0 and doc.joined(first - 1) and tokens[first - 1].lower in lex.role_modifiers:
            first -= 1
        complement = self._complement(last)
        if complement is None:
            return None  # "Chancellor of the Exchequer": held in something no group names
        organisation, end = complement
        words = " ".join(doc.body[tokens[first].start : tokens[last].end].split())
        office = words.lower() if words.isupper() and len(words) > 1 else words
        member = match[1] == ROLE_MEMBER
        found = self._holder(first, last, organisation, member)
        if found is None:
            return None
        organisation = organisation or found.organisation
        kept_office = None if member and office.lower() == "member" else office
        if found.joined:
            return self._joined(found, end, kept_office, organisation)
        value = RoleValue(
            "member" if member else "office",
            kept_office,
            found.holder.span,
            organisation.span if organisation else None,
        )
        return self._role(found.first, end, found.recognizer, found.confidence, value)

    def _joined(
        self, found: _Holder, last: int, office: str | None, organisation: Mention | None
    ) -> Mention | None:
        """An office conferred ("was chosen as First Secretary of") or taken up ("became")."""
        sentence = self.doc.sentence_index(self.tokens[found.first].start)
        confidence = found.confidence
        if organisation is not None:
            org_span: Span | None = organisation.span
            self.conferred[sentence] = organisation.span
        else:
            org_span = self.conferred.get(sentence)
            confidence -= 0.15
        participle = found.participle
        event = self._event(participle, participle) if participle is not None else None
        value = RoleValue("joined", office, found.holder.span, org_span, event)
        return self._role(found.first, last, found.recognizer, confidence, value)

    def _holder(
        self, first: int, last: int, organisation: Mention | None, member: bool
    ) -> _Holder | None:
        """Who holds the office at tokens `first`..`last`: a name after a title ("CC Secretary
        Pak"), before an apposition ("Pak, Secretary of the CC"), before a relative clause
        ("Kim, who was the commander of"), the subject of a conferring verb ("was chosen as
        First Secretary of", "became") or of a copula ("was commander of"), or a name after
        the group ("the Secretary of the CC, Pak")."""
        doc, lex, tokens = self.doc, self.lex, self.tokens
        kinds = ("person", "group") if member else ("person",)
        if organisation is None:
            title = self._title(first, last)
            if title is not None:
                return title
        j = first
        while j > 0 and doc.joined(j - 1) and tokens[j - 1].lower in lex.role_skip:
            j -= 1
        conferred = self._conferring(j)
        if conferred is not None:
            return conferred
        if organisation is None and not self._appositive_end(last):
            return None
        if j > 0 and tokens[j - 1].text == ",":
            holder = self._actor_before(j - 1, kinds)
            return _Holder(first, holder, "role.apposition", 0.85) if holder else None
        if organisation is None:
            return None
        copula = self._back(self._adverbs_before(j), lex.role_copulas)
        if copula is not None:
            relative = self._adverbs_before(copula) - 1
            if (
                relative > 0
                and tokens[relative].lower in lex.role_relatives
                and tokens[relative - 1].text == ","
            ):
                holder = self._actor_before(relative - 1, kinds)
                return _Holder(first, holder, "role.relative", 0.8) if holder else None
            holder = self._nearest(kinds, tokens[copula].start)
            return _Holder(first, holder, "role.copula", 0.7) if holder else None
        if j < first:  # "the Secretary of the CC, Pak Heon-yeong"
            holder = self._actor_after_group(organisation)
            return _Holder(first, holder, "role.trailing", 0.7) if holder else None
        return None

    def _title(self, first: int, last: int) -> _Holder | None:
        """ "CC Secretary Pak Heon-yeong": a group right before the office, a name right after."""
        doc, tokens = self.doc, self.tokens
        if first == 0 or last + 1 >= len(tokens):
            return None
        if not (doc.joined(first - 1) and doc.joined(last)):
            return None
        groups = self.found.ending_at(tokens[first - 1].end, "group")
        persons = [m for m in self.persons if m.start == tokens[last + 1].start]
        if not groups or not persons:
            return None
        group = max(groups, key=lambda m: m.end - m.start)
        return _Holder(first, persons[0], "role.title", 0.75, organisation=group)

    def _conferring(self, j: int) -> _Holder | None:
        """ "was chosen as", "elected Gao Gang", "was appointed to the post of", "became" right
        before token `j`."""
        lex, tokens = self.lex, self.tokens
        k = self._back(j, lex.role_links)
        k = j if k is None else k
        active = None
        if k > 0 and self.doc.joined(k - 1):
            named = [m for m in self.persons if m.end == tokens[k - 1].end]
            if named:
                active = named[0]
                k = self.doc.token_at(active.start)
        participle = self._back(k, lex.role_conferring)
        verb = participle if participle is not None else self._back(k, lex.role_becoming)
        if verb is None:
            return None
        first = self._auxiliaries(verb)
        holder = active or self._nearest(("person",), tokens[first].start)
        if holder is None:
            return None
        if participle is None:
            return _Holder(first, holder, "role.becoming", 0.75, joined=True)
        return _Holder(first, holder, "role.joined", 0.8, participle, joined=True)

    # mentions around a cue

    def _nearest(self, kinds: tuple[str, ...], before: int) -> Mention | None:
        """The mention of these kinds ending last before offset `before` in its sentence; the
        longest of those ending there (the CC of the party, not the party)."""
        start = self.doc.sentence_of(before)[0]
        pool = [
            m
            for kind in kinds
            for m in (self.persons if kind == "person" else self.groups)
            if start <= m.start and m.end <= before
        ]
        return max(pool, key=lambda m: (m.end, m.end - m.start), default=None)

    def _subject(self, i: int) -> Mention | None:
        """The group subject of a copula right before token `i` ("The party ... is headed by")."""
        copula = self._back(self._adverbs_before(i), self.lex.role_copulas)
        if copula is None:
            return None
        return self._nearest(("group",), self.tokens[copula].start)

    def _group_before(self, i: int) -> Mention | None:
        """The group named right before token `i`, past a comma, a bracketed note or a place
        phrase ("the CC of the Korean Workers Party in Seoul headed by")."""
        doc, tokens = self.doc, self.tokens
        k = i - 1
        if k >= 0 and tokens[k].text == ",":
            k -= 1
        k = self._before_bracket(k)
        if k >= 0:
            places = self.found.ending_at(tokens[k].end, "place")
            if places:
                before = doc.token_at(min(m.start for m in places)) - 1
                if before >= 0 and tokens[before].lower in PLACE_PREPOSITIONS:
                    k = before - 1
        if k < 0:
            return None
        groups = self.found.ending_at(tokens[k].end, "group")
        return max(groups, key=lambda m: m.end - m.start, default=None)

    def _group_at(self, k: int) -> Mention | None:
        """The group named at token `k`, after a determiner; the longest."""
        tokens = self.tokens
        if k < len(tokens) and tokens[k].lower in COMPLEMENT_DETERMINERS and self.doc.joined(k):
            k += 1
        if k >= len(tokens):
            return None
        groups = self.found.starting_at(tokens[k].start, "group")
        return groups[0] if groups else None

    def _complement(self, last: int) -> tuple[Mention | None, int] | None:
        """After an office ending at token `last`: (the group of its "of" complement, index of
        "of"); (None, `last`) without a complement; None when the complement names no group."""
        doc, tokens = self.doc, self.tokens
        k = last + 1
        if k + 1 >= len(tokens) or tokens[k].lower != "of":
            return None, last
        if not (doc.joined(last) and doc.joined(k)):
            return None, last
        group = self._group_at(k + 1)
        return (group, k) if group is not None else None

    def _actor_before(self, comma: int, kinds: tuple[str, ...]) -> Mention | None:
        """The person (or group) named right before the comma at token `comma`, past a
        bracketed alternative ("Kim Yong-beom [Kim Yong Bom], Secretary of")."""
        k = self._before_bracket(comma - 1)
        if k < 0:
            return None
        end = self.tokens[k].end
        pool = [m for m in self.persons if m.end == end] if "person" in kinds else []
        if not pool and "group" in kinds:
            pool = self.found.ending_at(end, "group")
        return max(pool, key=lambda m: m.end - m.start, default=None)

    def _actor_after(self, k: int) -> Mention | None:
        """The holder after a cue: a person, past titles ("by CC Secretary Pak Heon-yeong",
        "by Sir Alexander Cadogan"), else a group ("led by the Communist Party")."""
        tokens = self.tokens
        if k < len(tokens) and tokens[k].lower in COMPLEMENT_DETERMINERS:
            k += 1
        for t in range(k, min(k + TITLE_WINDOW, len(tokens))):
            persons = [m for m in self.persons if m.start == tokens[t].start]
            if persons:
                return persons[0]
            if not (tokens[t].is_cap or tokens[t].text == "."):
                break
        return self._group_at(k)

    def _actor_after_group(self, organisation: Mention) -> Mention | None:
        """ "the Secretary of the CC, Pak Heon-yeong": a name right after the group."""
        k = self.doc.token_at(organisation.end)
        if k < len(self.tokens) and self.tokens[k].text == ",":
            k += 1
        if k >= len(self.tokens):
            return None
        persons = [m for m in self.persons if m.start == self.tokens[k].start]
        return persons[0] if persons else None

    def _event(self, first: int, last: int) -> Span | None:
        """The event mention (an election, an appointment) the cue's verb is part of."""
        start, end = self.tokens[first].start, self.tokens[last].end
        events = self.found.overlapping(start, end, "event")
        return min(events, key=lambda m: m.start).span if events else None

    # token helpers

    def _back(self, j: int, table: PhraseTable) -> int | None:
        """Index of the first token of a phrase of `table` that ends right before token `j`."""
        if j <= 0 or not self.doc.joined(j - 1):
            return None
        match = table.match_before(self.doc.body, self.tokens, j)
        return j - match[0] if match else None

    def _adverbs_before(self, j: int) -> int:
        while (
            j > 0 and self.doc.joined(j - 1) and self.tokens[j - 1].lower in self.lex.role_adverbs
        ):
            j -= 1
        return j

    def _auxiliaries(self, verb: int) -> int:
        """The first token of the auxiliaries and adverbs before a verb ("was unanimously")."""
        lex, first = self.lex, verb
        while (
            first > 0
            and self.doc.joined(first - 1)
            and self.tokens[first - 1].lower in lex.auxiliaries | lex.role_adverbs
        ):
            first -= 1
        while first < verb and self.tokens[first].lower in lex.role_adverbs:
            first += 1
        return first

    def _before_bracket(self, k: int) -> int:
        """Token index before a bracketed note that ends at token `k`, else `k`."""
        if k >= 0 and self.tokens[k].text == "]":
            bracket = self.doc.bracket_ending.get(self.tokens[k].end)
            if bracket is not None:
                return self.doc.token_at(bracket.start) - 1
        return k

    def _appositive_end(self, last: int) -> bool:
        nxt = last + 1
        return nxt >= len(self.tokens) or self.tokens[nxt].text in CLOSING

    # the mention

    def _hypothetical(self, first: int, last: int) -> bool:
        """A role under a modal or plan ("which would be subordinate to", "It is proposed that X
        be elected", "Create a bloc ... headed by X") is not stated as a fact."""
        doc, tokens = self.doc, self.tokens
        start = tokens[first].start
        sentence = doc.sentence_index(start)
        if sentence not in self.plans:
            self.plans[sentence] = plan_cues(doc, self.lex, sentence)
        first_cue, modal = self.plans[sentence]
        if modal or (first_cue is not None and first_cue < start):
            return True
        for k in range(first - 1, max(-1, first - 4), -1):
            if not tokens[k].is_word:
                break
            if tokens[k].lower in self.lex.role_modals:
                return True
        begin = self.doc.sentence_of(start)[0]
        end = tokens[last].end
        return any(e.event and e.event.planned and begin <= e.start < end for e in self.events)

    def _role(
        self, first: int, last: int, recognizer: str, confidence: float, value: RoleValue
    ) -> Mention | None:
        if self._hypothetical(first, last):
            return None
        start, end = self.tokens[first].start, self.tokens[last].end
        text = self.doc.body[start:end]
        return Mention("role", start, end, text, recognizer, confidence, role=value)


def find_roles(doc: Doc, lex: Lexicon, found: Found) -> None:
    RoleFinder(doc, lex, found).find()
