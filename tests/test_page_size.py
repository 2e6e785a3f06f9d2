"""A person page stays the same size however big the handbook grows (issue 15): its lists of
other people name the few most relevant and say how many more there are.

Rendered in-process through the engine (a full MkDocs build of 2,000 contacts is a benchmark,
bench/site_bench.py), from the realistic synthetic handbooks of bench/synthetic.py, in which
person N has the same own data at every size."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path
from types import ModuleType

import markdown
import pytest

from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.settings import Settings
from networking_handbook.site.render import plan_pages, render_page, render_pages
from networking_handbook.site.structure import EVENT_GROUPING, FEW, build_site

from .conftest import REPO, HandbookDir

TODAY = date(2026, 3, 1)
COMPARED = 200  # the people in both handbooks
# Bytes a page may gain: its bounded parts fill up as the handbook grows (8 names a list, a
# ties map of at most 16 marks, about 5 KB), and whether someone has ties at all depends on the
# event the generator put them at; with unbounded lists pages grew by tens of KB here.
SLACK = 6 * 1024
HTML_LIMIT = 32 * 1024  # a page's own HTML, of the 40 KB target for the whole page: the theme adds the rest


def _synthetic() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "bench" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def log_call_today(path: Path) -> None:
    """A call on `TODAY` first in a synthetic contact's interactions, as `handbook log` adds one."""
    text = path.read_text(encoding="utf-8")
    call = f"  - {{on: {TODAY.isoformat()}, kind: call, note: logged today}}\n"
    path.write_text(text.replace("interactions:\n", "interactions:\n" + call, 1) if "interactions:\n" in text
                    else text + "interactions:\n" + call, encoding="utf-8")


def person_pages(root: Path, contacts: int) -> dict[str, str]:
    data = _synthetic().write_realistic_handbook(root, contacts)
    result = load_handbook(data, root)
    assert not result.diagnostics
    site = build_site(result.handbook, Settings(), TODAY)
    return {plan.path: render_page(site, plan).markdown for plan in plan_pages(site) if plan.template == "person.md.j2"}


@pytest.fixture(scope="module")
def small_and_big(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    return (person_pages(tmp_path_factory.mktemp("small"), COMPARED),
            person_pages(tmp_path_factory.mktemp("big"), 10 * COMPARED))


def test_a_person_page_does_not_grow_with_the_handbook(small_and_big: tuple[dict[str, str], dict[str, str]]) -> None:
    small, big = small_and_big
    grown = {path: (len(small[path]), len(big[path])) for path in small if len(big[path]) > len(small[path]) + SLACK}
    assert not grown, f"pages that grew, (bytes at {COMPARED}, at {10 * COMPARED}): {grown}"


def test_the_biggest_person_page_stays_small_in_html(small_and_big: tuple[dict[str, str], dict[str, str]]) -> None:
    biggest = max(small_and_big[1].values(), key=len)
    html = markdown.markdown(biggest, extensions=["admonition", "attr_list", "tables", "toc"])
    assert len(html.encode("utf-8")) <= HTML_LIMIT


def test_a_long_list_names_the_few_and_says_how_it_chose_them(
        small_and_big: tuple[dict[str, str], dict[str, str]]) -> None:
    pages = small_and_big[1].values()
    line = next(line for page in pages for line in page.splitlines()
                if line.startswith("- **Most often at the same events:**") and "more (these" in line)
    assert line.count("](../people/") == FEW
    assert (f"more (these {FEW} are the ones at the most of those events, then the ones you have been in touch with most "
            "often; each event's page lists everyone)") in line


def event_page(site: HandbookDir, slug: str) -> str:
    result = load_handbook(site.root / "handbook", site.root)
    assert not result.diagnostics
    built = build_site(result.handbook, Settings(), TODAY)
    return next(page.markdown for page in render_pages(built) if page.path == f"events/{slug}.md")


def test_an_event_page_lists_everyone_whose_file_names_it(site: HandbookDir) -> None:
    """The person pages send readers to the event page for everyone at an event."""
    site.event("meetup", "name: Meetup\non: 2026-02-26\npeople: [zoe]\n")
    site.contact("zoe", "name: Zoe\n")
    site.contact("ana", "name: Ana\nmet: {on: 2026-02-26, at: meetup}\n")
    site.contact("bo", "name: Bo\ninteractions:\n  - {on: 2026-02-26, kind: event, event: meetup}\n")
    site.contact("cy", "name: Cy\n")
    rows = [line for line in event_page(site, "meetup").splitlines() if line.startswith("| [")]
    assert [row.split("](")[0] for row in rows] == ["| [Zoe", "| [Ana", "| [Bo"]  # its list first, then by name


@pytest.mark.parametrize("count", [EVENT_GROUPING, EVENT_GROUPING + 1])
def test_a_big_event_page_groups_its_people_by_follow_up(site: HandbookDir, count: int) -> None:
    people = [f"p{n}" for n in range(count)]
    site.event("summit", f"name: Summit\non: 2026-02-01\npeople: [{', '.join(people)}]\n")
    for n, slug in enumerate(people):
        touch = "interactions:\n  - {on: 2026-02-02, kind: email}\n" if n % 2 else ""
        site.contact(slug, f"name: P {n}\n{touch}")
    page = event_page(site, "summit")
    if count <= EVENT_GROUPING:
        assert "###" not in page
        return
    assert f"### Still open ({(count + 1) // 2})" in page and f"### Followed up on time ({count // 2})" in page
    assert page.index("### Still open") < page.index("### Followed up on time")


def test_the_few_shown_are_the_most_shared_then_the_most_in_touch(site: HandbookDir) -> None:
    others = [f"c{n}" for n in range(FEW + 1)]
    site.event("first", f"name: First\non: 2026-01-01\npeople: [ana, bo, {', '.join(others)}]\n")
    site.event("second", "name: Second\non: 2026-02-01\npeople: [ana, bo]\n")
    for slug in ("ana", "bo"):
        site.contact(slug, f"name: {slug.title()}\n")
    for n, slug in enumerate(others):  # c8 with the most interactions so far, c0 with the fewest
        calls = "".join(f"  - {{on: 2026-02-{day + 1:02d}, kind: call}}\n" for day in range(n + 1))
        planned = "  - {on: 2026-03-20, kind: call}\n" * (20 if n == 0 else 0)  # not yet: they do not count
        site.contact(slug, f"name: C {n}\ninteractions:\n{calls}{planned}")
    result = load_handbook(site.root / "handbook", site.root)
    ana = build_site(result.handbook, Settings(), TODAY).people["ana"]
    assert ana.met_alongside.shown == ("bo", *others[-(FEW - 1):])  # the 7 most in touch, by name
    assert (ana.met_alongside.total, ana.met_alongside.more) == (FEW + 2, 2)
    assert ana.shared_events == [("second", 1), ("first", FEW + 2)]


def test_equally_in_touch_people_are_shown_by_name(site: HandbookDir) -> None:
    others = ["zed", "amy", "kim", "bea", "lou", "max", "ned", "ola", "pia"]
    site.event("first", f"name: First\non: 2026-01-01\npeople: [ana, {', '.join(others)}]\n")
    site.contact("ana", "name: Ana\n")
    for slug in others:
        site.contact(slug, f"name: {slug.title()}\ninteractions:\n  - {{on: 2026-02-0{len(slug)}, kind: call}}\n")
    result = load_handbook(site.root / "handbook", site.root)
    ana = build_site(result.handbook, Settings(), TODAY).people["ana"]
    assert ana.met_alongside.shown == tuple(sorted(others)[:FEW])


def test_logging_a_call_changes_only_that_persons_page(tmp_path: Path) -> None:
    """A call logged today with someone at a conference leaves everyone else's page as it was
    (ranked by the last touch, it moved them to the top of hundreds of pages' lists), so
    `mkdocs serve --dirty` builds again only the pages that show the call."""
    data = _synthetic().write_realistic_handbook(tmp_path, 600)
    site = build_site(load_handbook(data, tmp_path).handbook, Settings(), TODAY)
    # the person with the most others at their events, and a call they have not had yet
    slug = max(site.people, key=lambda other: site.people[other].met_alongside.total)
    assert site.people[slug].met_alongside.total > 100

    def pages() -> dict[str, str]:
        built = build_site(load_handbook(data, tmp_path).handbook, Settings(), TODAY)
        return {plan.path: render_page(built, plan).markdown for plan in plan_pages(built)
                if plan.template == "person.md.j2"}

    before = pages()
    log_call_today(data / "contacts" / f"{slug}.yml")
    after = pages()
    changed = sorted(page for page in after if after[page] != before[page])
    assert f"people/{slug}.md" in changed
    # here 7 of 600: they now outnumber, in calls, the last of the few on 6 pages (ranked by the
    # last touch: 120 pages; with the few in rank order, swaps among them: 120 too)
    assert len(changed) <= 12, changed
