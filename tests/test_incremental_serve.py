"""Incremental rendering while serving: a person page is rendered again only when something it
shows changed (`render.RenderMemo`), and the Markdown of every page is what a full render gives.

The property: over any sequence of edits to a handbook whose files refer to each other
(introductions, shared events, offers and needs, `knows` ties, names, stages, links in a new
order, interactions on other days, deleted and recreated files, the byte-level mutations of
tests/test_fuzz_serve.py) and of days passing (`today` live, so a rebuild after midnight),
each serve build with one FileCache and one RenderMemo for the session gives exactly the pages
of a build without the memo.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from networking_handbook.build import Output, Setup, publish
from networking_handbook.core.handbook import FileCache
from networking_handbook.site import render, structure
from networking_handbook.site.paging import Limits
from networking_handbook.site.render import PEOPLE_INDEX, RenderMemo

from .test_fuzz_serve import mutated, served_site

PERSON = "person.md.j2"
EVENT = "event.md.j2"
EXAMPLES = int(os.environ.get("INCREMENTAL_EXAMPLES", "400"))
DAY = date(2026, 3, 1)

ORIGINALS = {
    "contacts/ana": (
        "name: Ana Souza\ncompany: Lumen\nemails: [ana@example.org]\ntags: [design, mentor]\n"
        "links:\n  site: https://ana.example\n  blog: https://blog.ana.example\n"
        "offers: [python]\nneeds: [hiring]\nknows: [dan]\n"
        "met:\n  on: 2026-01-02\n  at: meetup\n  via: bo\n"
        "interactions:\n  - on: 2026-02-01\n    kind: intro\n    with: [cy]\n"
        "  - on: 2026-02-20\n    kind: coffee\n    event: meetup\n    gave: a review\n"
        "promises:\n  - by: me\n    what: send the intro\n    on: 2026-02-01\n"),
    "contacts/bo": ("name: Bo Berg\ntags: [design]\noffers: [hiring]\nneeds: [python]\n"
                    "interactions:\n  - on: 2026-02-25\n    kind: call\n"),
    "contacts/cy": ("name: Cy Dalton\noffers: [python]\nmet:\n  at: conf\n"
                    "interactions:\n  - on: 2026-01-10\n    kind: event\n    event: conf\n"),
    "contacts/dan": "name: Dan Eze\nstage: active\nknows: [ana, bo]\nneeds: [hiring]\nbirthday: 1990-03-05\n",
    "contacts/eve": "name: Eve Faro\noffers: [python, hiring]\nmet:\n  on: 2026-02-27\n  at: meetup\n",
    "contacts/zed": "name: Zed Young\ntags: [mentor]\n",  # tied to nobody
    "events/meetup": "name: Design Meetup\non: 2026-01-02\nkind: meetup\npeople: [ana, bo, eve]\n",
    "events/conf": "name: Big Conf\non: 2026-01-10\nkind: conference\npeople: [cy, dan]\n",
}

# Edits a person makes: each changes what other pages show of someone (their name, rank, ties).
VARIANTS = {
    "contacts/ana": [
        ORIGINALS["contacts/ana"].replace("Ana Souza", "Ana Lima"),
        ORIGINALS["contacts/ana"].replace("  site: https://ana.example\n  blog: https://blog.ana.example\n",
                                          "  blog: https://blog.ana.example\n  site: https://ana.example\n"),
        ORIGINALS["contacts/ana"].replace("2026-02-20", "2026-03-01"),
        ORIGINALS["contacts/ana"].replace("via: bo", "via: dan").replace("knows: [dan]", "knows: []"),
        ORIGINALS["contacts/ana"].replace("tags: [design, mentor]", "tags: [mentor]"),
    ],
    "contacts/bo": [
        "name: Bo Berg\nstage: archived\ntags: [design]\n",
        ORIGINALS["contacts/bo"].replace("2026-02-25", "2026-03-02").replace("Bo Berg", "Bob Berg"),
        ORIGINALS["contacts/bo"].replace("offers: [hiring]", "offers: [python]"),
    ],
    "contacts/cy": [ORIGINALS["contacts/cy"] + "knows: [eve]\n", "name: Cy Dalton\n"],
    "contacts/dan": [ORIGINALS["contacts/dan"].replace("stage: active", "stage: archived"),
                     "name: Dan Eze\nmet:\n  at: conf\n  via: cy\n"],
    "contacts/eve": [ORIGINALS["contacts/eve"].replace("2026-02-27", "2026-01-02"),
                     "name: Eve Faro\ninteractions:\n  - on: 2026-02-28\n    kind: intro\n    with: [ana, bo]\n"],
    "contacts/zed": ["name: Zed Young\nmet:\n  via: eve\n", "name: Zed Young\nknows: [cy]\n"],
    "events/meetup": [ORIGINALS["events/meetup"].replace("Design Meetup", "Design Night"),
                      "name: Design Meetup\non: 2026-03-05\nkind: meetup\n"],
    "events/conf": [ORIGINALS["events/conf"].replace("people: [cy, dan]", "people: [cy, dan, ana, bo, eve]")],
}
ORIGINAL_BYTES = {name: text.encode("utf-8") for name, text in ORIGINALS.items()}


class Served:
    """One `mkdocs serve` session: its files on disk, its file cache and its render memo."""

    def __init__(self, root: Path, setup: Setup) -> None:
        self.root, self.setup = root, setup
        self.cache, self.memo = FileCache(), RenderMemo()
        self.clock = itertools.count(1)
        for name, data in ORIGINAL_BYTES.items():
            self.write(name, data)

    def write(self, name: str, data: bytes | None) -> None:
        """Save the file (None: delete it); its modification time moves on, as an editor's save."""
        path = self.root / "handbook" / f"{name}.yml"
        if data is None:
            path.unlink(missing_ok=True)
            return
        path.write_bytes(data)
        stamp = next(self.clock) * 1_000_000_000
        os.utime(path, ns=(stamp, stamp))

    def build(self, today: date) -> tuple[Output, Output]:
        """The serve build with the memo, then the same build without it."""
        setup = replace(self.setup, today=today)
        incremental = publish(setup, [], self.root, self.cache, serving=True, memo=self.memo)
        return incremental, publish(setup, [], self.root, self.cache, serving=True)


def _session(tmp_path_factory: pytest.TempPathFactory) -> Served:
    root = tmp_path_factory.mktemp("incremental")
    # no fixed `today`: the site is live, as a rebuild after midnight sees it
    return Served(root, served_site(root, "site_name: Incremental\nplugins:\n  - handbook:\n      first_follow_up: 3d\n"))


@pytest.fixture
def served(tmp_path_factory: pytest.TempPathFactory) -> Served:
    return _session(tmp_path_factory)


def _pages(output: Output) -> list[tuple[str, str]]:
    return [(page.path, page.markdown) for page in output.pages]


@st.composite
def steps(draw: st.DrawFn) -> list[tuple[str, bytes | None, int]]:
    """Edits, each with the days passed since the session began: a variant, a return to the
    original, a deletion, or a byte-level mutation of the file as it is."""
    current = dict(ORIGINAL_BYTES)
    sequence = []
    day = 0
    for _ in range(draw(st.integers(1, 6))):
        name = draw(st.sampled_from(sorted(ORIGINALS)))
        how = draw(st.sampled_from(["variant", "variant", "original", "delete", "mutate"]))
        data: bytes | None
        if how == "variant":
            data = draw(st.sampled_from(VARIANTS[name])).encode("utf-8")
        elif how == "original":
            data = ORIGINAL_BYTES[name]
        elif how == "delete":
            data = None
        else:
            data = draw(mutated(current.get(name) or ORIGINAL_BYTES[name]))
        if data is not None:
            current[name] = data
        day += draw(st.sampled_from([0, 0, 0, 1, 3]))
        sequence.append((name, data, day))
    return sequence


# Lists this short put every list of the handbook above in pages: the dashboard's lists in full
# (memoized too), People, the tags and the events.
PAGED = Limits(today=1, week=1, section=1, names=1, page=2, item_page=2)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(sequence=steps())
def test_incremental_pages_equal_a_full_render_after_any_edits(tmp_path_factory: pytest.TempPathFactory,
                                                               sequence: list[tuple[str, bytes | None, int]]) -> None:
    _check_incremental(tmp_path_factory, sequence)


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(sequence=steps())
def test_incremental_pages_equal_a_full_render_with_every_list_paged(
        tmp_path_factory: pytest.TempPathFactory, sequence: list[tuple[str, bytes | None, int]]) -> None:
    with mock.patch.object(structure, "Limits", lambda: PAGED):
        session = _session(tmp_path_factory)
        assert any(page.startswith("dashboard/") for page, _ in _pages(session.build(DAY)[1]))
        _check_incremental(tmp_path_factory, sequence)


def _check_incremental(tmp_path_factory: pytest.TempPathFactory, sequence: list[tuple[str, bytes | None, int]]) -> None:
    session = _session(tmp_path_factory)
    incremental, full = session.build(DAY)
    assert _pages(incremental) == _pages(full)
    for name, data, day in sequence:
        session.write(name, data)
        incremental, full = session.build(DAY + timedelta(days=day))
        assert _pages(incremental) == _pages(full), (name, data, day)
        assert incremental.files.get(PEOPLE_INDEX) == full.files.get(PEOPLE_INDEX), (name, data, day)


def test_an_edit_renders_only_the_person_pages_it_changes(served: Served) -> None:
    """The memo is used: an unchanged handbook renders no person or event page again, a note
    on an old interaction only its own person's page, a new name every page that links to
    them, and a new day every person page (their ages and due dates moved)."""
    served.build(DAY)
    assert served.memo.rendered[PERSON] == 6 and served.memo.rendered[EVENT] == 2
    served.build(DAY)
    assert served.memo.rendered[PERSON] == 0
    assert not +served.memo.rendered  # nor any event or list page
    served.write("contacts/cy", ORIGINAL_BYTES["contacts/cy"].replace(b"kind: event\n", b"kind: event\n    note: hi\n"))
    incremental, _ = served.build(DAY)
    assert served.memo.rendered[PERSON] == 1 and "hi" in dict(_pages(incremental))["people/cy.md"]
    assert served.memo.rendered[EVENT] == 0
    served.write("contacts/bo", ORIGINAL_BYTES["contacts/bo"].replace(b"Bo Berg", b"Bob Berg"))
    incremental, _ = served.build(DAY)
    naming = [path for path, text in _pages(incremental)
              if path.startswith("people/") and path != "people/index.md" and "Bob Berg" in text]
    assert served.memo.rendered[PERSON] == len(naming) == 5  # all but Zed's
    served.build(DAY + timedelta(days=1))
    assert served.memo.rendered[PERSON] == 6


def test_a_build_stopped_half_way_leaves_no_page_with_an_old_name(served: Served) -> None:
    """A serve build that fails while rendering (here on its second page) has checked only
    some pages against a rename; the next build, with no further change, still finds every
    page that shows the old name and renders it again."""
    served.build(DAY)
    served.write("contacts/bo", ORIGINAL_BYTES["contacts/bo"].replace(b"Bo Berg", b"Bob Berg"))
    real = render._render
    calls = itertools.count()

    def fails_on_the_second_page(*args: Any, **kwargs: Any) -> str:
        if next(calls) == 1:
            raise RuntimeError("stopped")
        return real(*args, **kwargs)
    with mock.patch.object(render, "_render", fails_on_the_second_page), pytest.raises(RuntimeError):
        served.build(DAY)
    incremental, full = served.build(DAY)
    assert _pages(incremental) == _pages(full)
    assert sum("Bob Berg" in text for _, text in _pages(incremental)) >= 5


@pytest.mark.parametrize("where", ["event", "topic"])
def test_a_page_whose_few_are_chosen_from_many_follows_their_ranks(tmp_path: Path, where: str) -> None:
    """Ana shares an event with 11 people (or needs what 11 offer); her page names 8, the most
    in touch. A call logged with one of the others lifts them into her 8: her page is rendered
    again and equals a full render, though her own file and every name are unchanged."""
    setup = replace(served_site(tmp_path, "site_name: Many\nplugins:\n  - handbook:\n      today: 2026-03-01\n"),
                    today=DAY)
    data = tmp_path / "handbook"
    others = [f"p{n:02d}" for n in range(11)]
    (data / "events" / "summit.yml").write_text(
        f"name: Summit\non: 2026-01-10\npeople: [ana, {', '.join(others)}]\n" if where == "event" else
        "name: Summit\non: 2026-01-10\n", encoding="utf-8")
    (data / "contacts" / "ana.yml").write_text("name: Ana\nneeds: [python]\n", encoding="utf-8")

    def other(n: int, calls: int) -> None:
        lines = "".join(f"  - {{on: 2026-02-{day + 1:02d}, kind: call}}\n" for day in range(calls))
        offers = "offers: [python]\n" if where == "topic" else ""
        (data / "contacts" / f"{others[n]}.yml").write_text(
            f"name: P {n:02d}\n{offers}" + (f"interactions:\n{lines}" if calls else ""), encoding="utf-8")
    for n in range(11):
        other(n, n + 1)  # p10 the most in touch, p00 the least
    cache, memo = FileCache(), RenderMemo()

    lead = "- **Most often at the same events:**" if where == "event" else "- **They need python"

    def ana() -> str:
        incremental = dict(_pages(publish(setup, [], tmp_path, cache, serving=True, memo=memo)))
        assert incremental == dict(_pages(publish(setup, [], tmp_path, cache, serving=True)))
        return next(line for line in incremental["people/ana.md"].splitlines() if line.startswith(lead))

    before = ana()
    assert "P 00" not in before and "P 03" in before
    other(0, 20)  # now the most in touch: among her 8, P 03 not
    after = ana()
    assert "P 00" in after and "P 03" not in after
