"""Bracketed editorial notes: an E33 note each, tied to its span by an annotation."""

from __future__ import annotations

import re

from rdflib import URIRef

from .annotations import annotate
from .context import Context, add_node, add_type, content
from .namespaces import CRM

# Words that show a note describes marks on the physical original rather than the wording.
PHYSICAL = re.compile(
    r"\b(hand-?writ\w*|handwriting|margins?|stamps?|seals?|signatures?|signed|underlin\w*|"
    r"crossed out|illegible|pencil|ink|typewrit\w*|inscri\w*)\b",
    re.IGNORECASE,
)


def add_notes(ctx: Context, carrier: URIRef | None) -> None:
    """Every editorial note of the record, in text order."""
    g, vocab = ctx.catalogue, ctx.vocab
    translator_notes = 0
    for note in sorted(ctx.record.notes, key=lambda n: (n.start, n.end)):
        if ctx.record.body[note.start : note.end] != note.text:
            raise ctx.error("notes", f"note {note.start}-{note.end} does not match the body")
        kind = vocab.find("note", note.kind) or vocab.type("note", "editorial")
        wording = (note.content or note.text).strip() or note.text
        if note.kind == "translator":
            translator_notes += 1
            slug = "translator" if translator_notes == 1 else f"translator-{translator_notes}"
            node = ctx.part("note", slug)
        else:
            node = ctx.part("note", f"{note.start}-{note.end}")
        add_node(g, node, CRM.E33_Linguistic_Object, f"{vocab.label(kind)}: {wording}")
        g.add((node, CRM.P2_has_type, kind))
        g.add((node, CRM.P190_has_symbolic_content, content(wording)))
        if note.kind == "translator":
            # A note on marks of the original (handwriting, stamps) is about the carrier.
            if carrier is not None and PHYSICAL.search(wording):
                add_type(g, node, ctx.vocab.type("statement", "inscription"))
                g.add((node, CRM.P129_is_about, carrier))
            else:
                g.add((node, CRM.P129_is_about, ctx.text))
        # The span is identified as the note: it is the note, as it stands in the text.
        annotate(ctx, note.start, note.end, node)
