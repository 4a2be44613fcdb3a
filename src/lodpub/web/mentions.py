"""Mentions as pages use them: every annotated span of a text, and passages around them.

A mention is an `oa:Annotation` whose target selects `oa:start`/`oa:end` (code points, so
Python string indices) of a text's `P190_has_symbolic_content`. The list for one text is
built once per snapshot and shared by the document page and the pages of everything the
text mentions.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from lodpub.vocab import CRM, OA
from lodpub.web.graph_view import (
    CONTENT,
    END,
    HAS_SELECTOR,
    HAS_SOURCE,
    HAS_TARGET,
    START,
    GraphView,
    node,
)
from lodpub.web.refs import kind_of

HAS_BODY = ox.NamedNode(str(OA.hasBody))
TEXT_OF = (
    ox.NamedNode(str(CRM.P73_has_translation)),
    ox.NamedNode(str(CRM.P165_incorporates)),
)
CONTEXT = 160  # code points shown on each side of a passage


@dataclass(frozen=True)
class Mention:
    """One annotated span: the annotation, its span, what it identifies."""

    annotation: str
    start: int
    end: int
    bodies: tuple[str, ...]

    @property
    def anchor(self) -> str:
        """The id of the span on the document page (`#m-12-20`)."""
        return f"m-{self.start}-{self.end}"


@dataclass
class AnnotatedText:
    """A text with its content, its document and its mentions in reading order."""

    iri: str
    content: str
    document: str | None
    mentions: list[Mention]
    by_annotation: dict[str, Mention] = field(default_factory=dict)
    paragraph_starts: list[int] = field(default_factory=list)

    def paragraph(self, offset: int) -> int:
        """Index of the paragraph (blank-line separated) holding `offset`."""
        return bisect.bisect_right(self.paragraph_starts, offset) - 1

    def passage(self, mention: Mention, width: int = CONTEXT) -> tuple[str, str, str]:
        """(text before, the quote, text after), cut at word boundaries."""
        start = max(0, mention.start - width)
        end = min(len(self.content), mention.end + width)
        before = self.content[start : mention.start]
        after = self.content[mention.end : end]
        if start > 0:
            before = "…" + before.split(" ", 1)[-1] if " " in before else "…" + before
        if end < len(self.content):
            after = after.rsplit(" ", 1)[0] + "…" if " " in after else after + "…"
        return before, self.content[mention.start : mention.end], after


def annotated_text(view: GraphView, text_iri: str) -> AnnotatedText | None:
    """The text's content and mentions, or None when it has no content."""
    return view.memo(("annotated-text", text_iri), lambda: _build(view, text_iri))


def _build(view: GraphView, text_iri: str) -> AnnotatedText | None:
    text = node(text_iri)
    content = view.text(text, CONTENT)
    if content is None:
        return None
    mentions = []
    for target in view.subjects(HAS_SOURCE, text):
        span = _span(view, target, len(content))
        if span is None:
            continue
        for annotation in view.subjects(HAS_TARGET, target):
            bodies = tuple(
                b.value for b in view.objects(annotation, HAS_BODY) if isinstance(b, ox.NamedNode)
            )
            if bodies:
                mentions.append(Mention(annotation.value, span[0], span[1], bodies))
    return _annotated(view, text_iri, content, mentions)


def _annotated(
    view: GraphView, text_iri: str, content: str, mentions: list[Mention]
) -> AnnotatedText:
    """A text with its mentions in reading order (at one start, the outer one first)."""
    mentions.sort(key=lambda m: (m.start, -m.end, m.annotation))
    return AnnotatedText(
        text_iri,
        content,
        document_of_text(view, text_iri),
        mentions,
        {m.annotation: m for m in mentions},
        paragraph_starts(content),
    )


def paragraph_starts(content: str) -> list[int]:
    """Where each paragraph (blank-line separated) of a text begins."""
    return [0] + [m.end() for m in re.finditer(r"\n\s*\n", content)]


def _span(
    view: GraphView, target: ox.NamedNode | ox.BlankNode, length: int
) -> tuple[int, int] | None:
    for selector in view.objects(target, HAS_SELECTOR):
        if isinstance(selector, ox.Literal):
            continue
        start, end = view.value(selector, START), view.value(selector, END)
        if isinstance(start, ox.Literal) and isinstance(end, ox.Literal):
            span = _valid(start.value, end.value, length)
            if span is not None:
                return span
    return None


def document_of_text(view: GraphView, text_iri: str) -> str | None:
    """The document a text belongs to (the E31 that has it as translation or own text)."""
    for predicate in TEXT_OF:
        for subject in view.subjects(predicate, node(text_iri)):
            if isinstance(subject, ox.NamedNode) and kind_of(view, subject.value) == "document":
                return subject.value
    return None


def mention_of(view: GraphView, annotation: str) -> tuple[AnnotatedText, Mention] | None:
    """The text and span an annotation marks, if it marks one."""
    for target in view.objects(node(annotation), HAS_TARGET):
        if isinstance(target, ox.Literal):
            continue
        for source in view.objects(target, HAS_SOURCE):
            if not isinstance(source, ox.NamedNode):
                continue
            text = annotated_text(view, source.value)
            if text is not None and annotation in text.by_annotation:
                return text, text.by_annotation[annotation]
    return None


_OA = str(OA)
_SPANS = f"""SELECT ?annotation ?text ?start ?end WHERE {{
  VALUES ?annotation {{ %s }}
  ?annotation <{_OA}hasTarget> ?target .
  ?target <{_OA}hasSource> ?text ; <{_OA}hasSelector> ?selector .
  ?selector <{_OA}start> ?start ; <{_OA}end> ?end .
  FILTER(isIRI(?text))
}}"""


def _valid(start: str, end: str, length: int) -> tuple[int, int] | None:
    try:
        first, last = int(start), int(end)
    except ValueError:
        return None
    return (first, last) if 0 <= first < last <= length else None


def mentions_of(
    view: GraphView, annotations: list[str], body: str
) -> list[tuple[AnnotatedText, Mention]]:
    """The text and span each annotation (of `body`) marks, for those that mark one, in one
    query; each text carries only the mentions asked about, not all of its own."""
    if not annotations:
        return []
    spans: dict[str, dict[str, list[tuple[str, str]]]] = {}
    query = _SPANS % " ".join(str(node(a)) for a in annotations)
    for row in view.store.query(query):
        annotation, text, start, end = (row[n] for n in range(4))
        marked = spans.setdefault(text.value, {}).setdefault(annotation.value, [])
        marked.append((start.value, end.value))
    found = []
    placed: set[str] = set()
    for text_iri, marked in spans.items():
        content = view.text(node(text_iri), CONTENT)
        if content is None:
            continue
        mentions = []
        for annotation, candidates in marked.items():
            valid = (_valid(start, end, len(content)) for start, end in candidates)
            span = next((v for v in valid if v is not None), None)
            if span is not None and annotation not in placed:
                placed.add(annotation)
                mentions.append(Mention(annotation, span[0], span[1], (body,)))
        if not mentions:
            continue
        text = _annotated(view, text_iri, content, mentions)
        found += [(text, mention) for mention in mentions]
    return found
