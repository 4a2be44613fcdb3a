"""A description's incoming links, paged: every page in (property, subject) order, the counts
those of all links, whichever pages are read."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ld_servers import BASE, HUB, published_store, thing
from lodpub.store.generations import live_generation
from lodpub.web.addresses import Addresses
from lodpub.web.describe import PageOutOfRange, describe
from lodpub.web.graph_view import GraphView, node
from lodpub.web.labels import vocabulary
from lodpub.web.live_store import Snapshot, _open_read_only


@pytest.fixture(scope="module")
def view():
    generation = live_generation(published_store())
    assert generation is not None
    store = _open_read_only(Path(generation))
    return GraphView(Snapshot(store, "test"), Addresses(BASE), vocabulary())


@pytest.mark.parametrize("iri", [HUB, thing("person/kim-il-sung")])
def test_the_pages_of_incoming_links_are_all_links_in_order(view, iri):
    every = sorted(
        view.triples(None, None, node(iri)), key=lambda t: (t.predicate.value, t.subject.value)
    )
    size = 7 if len(every) < 200 else 500
    first = describe(view, iri, page_size=size)
    assert first.incoming_total == len(every)
    assert first.incoming_counts == dict(sorted(Counter(t.predicate.value for t in every).items()))
    paged = []
    for number in range(1, first.pages + 1):
        described = describe(view, iri, page=number, page_size=size)
        assert len(described.incoming) == min(size, len(every) - (number - 1) * size)
        paged += described.incoming
    assert paged == every
    with pytest.raises(PageOutOfRange):
        describe(view, iri, page=first.pages + 1, page_size=size)
