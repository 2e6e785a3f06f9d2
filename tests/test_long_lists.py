"""Long lists stay bounded (issue 15): the dashboard, People, tag, topic and events pages show
the few most relevant rows, or one page of a full list, however big the handbook grows.

In-process through the engine with the limits lowered (`Limits`), on the realistic synthetic
handbooks of bench/synthetic.py at two sizes; then one real `mkdocs build --strict` of a
handbook long enough for the real limits, whose link check covers the new pages."""

from __future__ import annotations

import json
import posixpath
import re
from datetime import date
from pathlib import Path

import pathspec.gitignore
import pytest

from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.settings import Settings
from networking_handbook.edit.scaffold import scaffold_files
from networking_handbook.hosting.audit import names_in_clear
from networking_handbook.site.paging import Limits
from networking_handbook.site.render import PEOPLE_INDEX, guidance_pages, people_index, plan_pages, render_page
from networking_handbook.site.structure import Site, build_site
from networking_handbook.site.urls import destination

from .conftest import HandbookDir, run_cli, run_mkdocs
from .html_tools import primary_nav_links
from .long_handbook import EVENTS, write_long_handbook
from .test_encryption import PASSWORD
from .test_generate import _readme_main_template, _readme_zensical_config
from .test_page_size import SLACK, _synthetic, log_call_today

TODAY = date(2026, 3, 1)
LIMITS = Limits(today=5, week=4, section=3, names=4, page=15, item_page=10)
SMALL, BIG = 300, 1200
ENCRYPTED = Limits().page + 10  # contacts: People, a tag and a topic in 2 pages (encrypting pages is slow)
_PAGER = re.compile(r'<nav class="handbook-pager".*?</nav>\n', re.S)
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _site(root: Path, contacts: int, **options: object) -> Site:
    data = _synthetic().write_realistic_handbook(root, contacts)
    result = load_handbook(data, root)
    assert not result.diagnostics
    return build_site(result.handbook, Settings(), TODAY, limits=LIMITS, **options)  # type: ignore[arg-type]


def _rendered(site: Site, *, people: bool = False) -> dict[str, str]:
    """Every page but the person pages (unless `people`), by path."""
    return {plan.path: render_page(site, plan).markdown for plan in plan_pages(site)
            if people or plan.template != "person.md.j2"}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Site]:
    return _site(tmp_path_factory.mktemp("small"), SMALL), _site(tmp_path_factory.mktemp("big"), BIG)


@pytest.fixture(scope="module")
def big_pages(sites: tuple[Site, Site]) -> dict[str, str]:
    return _rendered(sites[1], people=True)


def _rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ") and not line.startswith("| <span")]


def _first(kind: str, row: str) -> str:
    """The slug of the first person (`people`) or event linked in a table row."""
    found = re.search(rf"{kind}/([a-z0-9-]+)\.md\)", row)
    assert found, row
    return found.group(1)


def test_no_page_but_the_pager_grows_with_the_handbook(sites: tuple[Site, Site]) -> None:
    """The dashboard, the directories and each page of a long list are the same size at 300 and
    1,200 contacts, but for the pager, which names each page of its list (and the last page
    of a list, which fills up: each page holds at most `LIMITS.page` rows). The pages of the
    dashboard's lists hold whole months, so their rows vary: at most `LIMITS.item_page`."""
    small, big = (_rendered(site) for site in sites)
    same = [path for path in small.keys() & big if len(_rows(small[path])) == len(_rows(big[path]))
            or path in ("dashboard.md", "network.md", "tags/index.md")]
    grown = {path: (len(_PAGER.sub("", small[path])), len(_PAGER.sub("", big[path]))) for path in same
             if len(_PAGER.sub("", big[path])) > len(_PAGER.sub("", small[path])) + SLACK}
    assert not grown, f"pages that grew, (bytes at {SMALL}, at {BIG}): {grown}"
    assert {"dashboard.md", "people/index.md", "people/index/2.md", "events/index.md", "network.md",
            "tags/index.md"} <= set(same)
    assert max(len(_rows(big[path])) for path in big if path not in ("dashboard.md", "network.md")) == LIMITS.page
    assert max(len(_rows(big[path])) for path in big
               if path.startswith("dashboard/") and "ready-to-ask" not in path) == LIMITS.item_page


def test_every_long_list_holds_every_item_once_in_order(sites: tuple[Site, Site], big_pages: dict[str, str]) -> None:
    site = sites[1]
    lists: dict[int, list[str]] = {}
    plans = list(plan_pages(site))
    for plan in plans:
        if "pages" in plan.context:
            lists.setdefault(id(plan.context["pages"]), []).append(plan.path)

    def slugs(paths: list[str], kind: str = "people") -> list[str]:
        return [_first(kind, row) for path in paths for row in _rows(big_pages[path])]

    people = next(paths for paths in lists.values() if paths[0] == "people/index.md")
    assert slugs(people) == [row.slug for row in site.directory]
    assert sorted(slugs(people)) == sorted(site.handbook.contacts) and len(people) == -(-BIG // LIMITS.page)
    events = next(paths for paths in lists.values() if paths[0] == "events/index.md")
    assert sorted(slugs(events, "events")) == sorted(site.handbook.events)
    for tag_slug, (_, members) in site.tags.items():
        assert sorted(slugs(next(paths for paths in lists.values() if paths[0] == f"tags/{tag_slug}.md"))) == \
            sorted(members)
    paged_events = 0
    for slug, view in site.events.items():
        paths = next(paths for paths in lists.values() if paths[0] == f"events/{slug}.md")
        assert slugs(paths) == [person.slug for person in view.ordered()]
        assert sorted(slugs(paths)) == sorted(person.slug for person in view.people)
        paged_events += len(paths) > 1
    assert paged_events
    tags = next(paths for paths in lists.values() if paths[0] == "tags/index.md")
    assert [link for path in tags for link in re.findall(r"tags/([a-z0-9-]+)\.md\)", big_pages[path])] == list(site.tags)
    for key, (_, items, shown) in site.dashboard_lists.items():
        if len(items) > shown:
            paths = next(paths for paths in lists.values() if paths[0] == f"dashboard/{key}.md")
            assert slugs(paths) == [item.contact for item in items], key
    topics = [paths for paths in lists.values() if paths[0].startswith(("people/offering/", "people/needing/"))]
    assert topics
    for paths in topics:
        folder, name = paths[0].removesuffix(".md").split("/")[1:]
        key = next(key for (where, key), pages in site.topic_pages.items() if pages.paths[0] == paths[0])
        assert slugs(paths) == site.topics[folder][key], name


def test_the_dashboard_shows_the_most_urgent_and_links_to_all(big_pages: dict[str, str], sites: tuple[Site, Site]) -> None:
    site = sites[1]
    dashboard = big_pages["dashboard.md"]
    today = site.today_items()
    assert (f"These are the {LIMITS.today} most urgent of {len(today)}; all of them: "
            "[Today in full](dashboard/today.md).") in dashboard
    assert "These are the 3 most overdue of" in dashboard and "(dashboard/follow-up-new.md)" in dashboard
    for rule in ("follow-up-new", "check-in", "my-promise", "re-stoke", "today", "this-week"):
        assert "{#" + rule + "}" in dashboard  # the guide's links to the sections still land
    week = site.week_items()
    assert (f"These are the {LIMITS.week} due soonest of {len(week)}; all of them: "
            "[This week in full](dashboard/this-week.md).") in dashboard
    week_section = dashboard.split("{#this-week}")[1].split("{#birthdays}")[0]
    assert [_first("people", row) for row in _rows(week_section)] == [item.contact for item in week[:LIMITS.week]]
    today_section = dashboard.split("{#today}")[1].split("{#this-week}")[0]
    assert [_first("people", row) for row in _rows(today_section)] == [item.contact for item in today[:LIMITS.today]]
    assert "[Back to the dashboard](../../dashboard.md#today)" in big_pages["dashboard/today/2.md"]


def test_a_person_page_links_a_long_topic_list_to_everyone_under_it(big_pages: dict[str, str]) -> None:
    line = next(line for path, page in big_pages.items() if path.startswith("people/person-")
                for line in page.splitlines() if line.startswith("- **They need ") and "more (these" in line)
    assert re.search(r"; \[everyone who offers [a-z ]+\]\(\.\./people/offering/[a-z-]+\.md\)\)$", line), line


def test_every_link_of_the_pages_resolves(big_pages: dict[str, str]) -> None:
    known = big_pages.keys() | guidance_pages().keys()
    published = {destination(path, True) for path in known}
    broken = []
    for path, markdown in big_pages.items():
        for pager in _PAGER.findall(markdown):  # HTML: links as MkDocs writes them
            for href in re.findall(r'href="([^"]+)"', pager):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(destination(path, True)), href))
                if target + "/index.html" not in published:
                    broken.append((path, href))
        for target in _LINK.findall(markdown):
            if target.startswith(("http:", "https:", "mailto:", "tel:")):
                continue
            page, _, anchor = target.partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), page))
            lands = not anchor or resolved not in big_pages or "{#" + anchor + "}" in big_pages[resolved]
            if resolved not in known or not lands:
                broken.append((path, target))
    assert not broken, broken[:10]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_the_people_index_links_everyone_and_holds_nothing_private(site: HandbookDir, directory_urls: bool) -> None:
    for n in range(5):
        site.contact(f"p{n}", f"name: Person {n}\ncompany: Co\ntags: [a]\nprivate: secret {n}\nnotes: note {n}\n")
    result = load_handbook(site.root / "handbook", site.root)
    built = build_site(result.handbook, Settings(), TODAY, limits=Limits(page=2), directory_urls=directory_urls)
    text = people_index(built)
    assert text is not None and "secret" not in text and "note" not in text
    rows = json.loads(text)["people"]
    assert [row[0] for row in rows] == [f"Person {n}" for n in range(5)]
    pages = {destination(plan.path, directory_urls) for plan in plan_pages(built)}
    for row in rows:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(PEOPLE_INDEX), row[1]))
        assert (target + "/index.html" if directory_urls else target) in pages
    assert rows[0][2:] == ["Co", "a", "exploring", "fine"]
    markdown = render_page(built, next(plan for plan in plan_pages(built) if plan.path == "people/index/3.md")).markdown
    href = "../../index.json" if directory_urls else "../index.json"
    assert f'data-handbook-index="{href}"' in markdown


def test_an_encrypted_site_publishes_no_index_and_names_no_list_in_its_urls(site: HandbookDir) -> None:
    for n in range(5):
        site.contact(f"p{n}", f"name: Person {n}\ntags: [secret-club]\noffers: [{'design'}]\n")
    result = load_handbook(site.root / "handbook", site.root)
    built = build_site(result.handbook, Settings(), TODAY, opaque_key="k", limits=Limits(page=2))
    assert people_index(built) is None
    plans = list(plan_pages(built))
    paths = [plan.path for plan in plans]
    assert "people/index/2.md" not in paths and not any("secret" in path or "design" in path for path in paths)
    tag = [plan for plan in plans if plan.template == "people_list.md.j2"]
    assert len(tag) == 3
    for plan in tag:
        markdown = render_page(built, plan).markdown
        title = markdown.split("title: ", 1)[1].split("\n", 1)[0]
        assert "secret" not in title and title.startswith('"Tag ')
    people = render_page(built, next(plan for plan in plans if plan.path == "people/index.md")).markdown
    assert "data-handbook-index" not in people and "the site search finds anyone" in people


def test_the_readme_config_keeps_every_later_page_out_of_the_navigation() -> None:
    config = _readme_zensical_config()
    lines = config.split("not_in_nav: |\n", 1)[1].split("\nmarkdown_extensions", 1)[0].splitlines()
    spec = pathspec.gitignore.GitIgnoreSpec.from_lines([line.strip() for line in lines])  # as MkDocs reads it
    for path in ("people/index/2.md", "people/offering/design.md", "people/offering/design/2.md", "tags/all/2.md",
                 "events/index/2.md", "dashboard/today.md", "dashboard/today/2.md", "people/ana.md"):
        assert spec.match_file(path), path
    for path in ("people/index.md", "events/index.md", "tags/index.md", "dashboard.md", "index.md"):
        assert not spec.match_file(path), path


def test_a_long_handbook_builds_strictly_with_its_pages(tmp_path: Path) -> None:
    """`mkdocs build --strict` refuses a link to a page it does not have: every link of the
    new pages resolves. The limits are the real ones."""
    site = HandbookDir(tmp_path)
    site.options("today: 2026-03-01")
    names = write_long_handbook(site.root / "handbook")
    result = run_mkdocs("build", "--strict", cwd=site.root)
    assert result.returncode == 0, result.stderr
    out = site.root / "site"
    for page in ("people/index/3", "tags/all/3", "events/index/2", "dashboard/today/5", "dashboard/follow-up-new/5",
                 "people/offering/design/3"):
        assert (out / page / "index.html").is_file(), page
    index = json.loads((out / "people" / "index.json").read_text(encoding="utf-8"))["people"]
    assert sorted(row[0] for row in index) == sorted(names)
    dashboard = (out / "dashboard" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'These are the 50 most urgent of \d+; all of them: <a href="today/">Today in full</a>', dashboard)
    for page in ("people", "events", "tags/all", "dashboard/today"):
        html = (out / page / "index.html").read_text(encoding="utf-8")
        rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>")
        if page.startswith("dashboard"):  # whole months of the list (`test_a_dashboard_list_is_cut_by_month_due`)
            assert 0 < rows <= Limits().item_page, page
        else:
            assert rows == Limits().page, page
    assert EVENTS > Limits().page


def test_the_tags_list_is_paged_too(site: HandbookDir) -> None:
    for n in range(7):
        site.contact(f"p{n}", f"name: Person {n}\ntags: [tag-{n}, all]\n")
    result = load_handbook(site.root / "handbook", site.root)
    built = build_site(result.handbook, Settings(), TODAY, limits=Limits(page=3))
    pages = {plan.path: render_page(built, plan).markdown for plan in plan_pages(built)
             if plan.template == "tags.md.j2"}
    assert list(pages) == ["tags/index.md", "tags/index/2.md", "tags/index/3.md"]
    linked = [link for page in pages.values() for link in re.findall(r"\]\(\.\./(?:\.\./)?tags/([a-z0-9-]+)\.md\)", page)]
    assert [link for link in linked if link != "index"] == list(built.tags)  # each once, by slug
    assert '<a href="../../"><b>1</b> all – tag-1</a>' in pages["tags/index/3.md"]
    assert '<li aria-current="page"><b>3</b> tag-5 – tag-6</li>' in pages["tags/index/3.md"]
    assert '<a class="handbook-pager__step" href="../2/" rel="prev">' in pages["tags/index/3.md"]


def test_an_encrypted_long_site_names_nobody_outside_the_ciphertext(tmp_path: Path) -> None:
    """The later pages of every list, encrypted like the rest: ids for names, no people index,
    and `handbook audit site` finds no name in clear."""
    root = tmp_path / "encrypted"
    for path, data in scaffold_files(requirements="", encrypt=True).items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    write_long_handbook(root / "handbook", ENCRYPTED, events=20)
    result = run_mkdocs("build", "--strict", cwd=root, HANDBOOK_PASSWORD=PASSWORD, HANDBOOK_TODAY="2026-03-01")
    assert result.returncode == 0, result.stderr
    out = root / "site"
    assert not (out / "people" / "index.json").exists() and not (out / "people" / "index").exists()
    tags = [path.name for path in (out / "tags").iterdir() if path.is_dir() and path.name != "index"]
    assert len(tags) > 2 and all(re.fullmatch(r"[0-9a-f]{16}", name) for name in tags)  # `all` in 2 pages, and more
    later = [path for path in (out / "people").iterdir() if path.is_dir() and re.fullmatch(r"[0-9a-f]{16}", path.name)]
    assert len(later) >= ENCRYPTED + 1 + 2  # everyone's page, People's page 2, and the 2 of `design`
    handbook = load_handbook(root / "handbook", root).handbook
    assert [finding.format() for finding in names_in_clear(out, handbook)] == []
    audit = run_cli("audit", "site", cwd=root, HANDBOOK_TODAY="2026-03-01")
    assert audit.returncode == 0 and "0 findings" in audit.stderr, audit.stdout + audit.stderr


def test_the_generated_folder_keeps_the_later_pages_out_of_the_navigation(tmp_path: Path) -> None:
    """`handbook generate`, then plain MkDocs with the README's config (no plugin)."""
    site = HandbookDir(tmp_path)
    site.options("today: 2026-03-01")
    write_long_handbook(site.root / "handbook", ENCRYPTED, events=20)
    assert run_cli("generate", "--out", "generated", cwd=site.root).returncode == 0
    assert (site.root / "generated" / "people" / "index.json").is_file()
    (site.root / "zensical.yml").write_text(_readme_zensical_config(), encoding="utf-8")
    (site.root / "overrides").mkdir()
    (site.root / "overrides" / "main.html").write_text(_readme_main_template(), encoding="utf-8")
    built = run_mkdocs("build", "--strict", "-f", "zensical.yml", cwd=site.root)
    assert built.returncode == 0, built.stderr
    out = site.root / "site"
    assert (out / "people" / "index" / "2" / "index.html").is_file() and (out / "people" / "index.json").is_file()
    nav = primary_nav_links(out, "dashboard")
    assert "../people/" in nav and "../tags/" in nav
    assert not [link for link in nav if re.search(r"people/.|dashboard/.|tags/.|events/.", link)], nav


def test_a_dashboard_list_is_cut_by_month_due(sites: tuple[Site, Site]) -> None:
    """Each page of a dashboard list holds whole months due, as many as fit in
    `LIMITS.item_page` rows (a month longer than that fills pages of its own), and is named
    by them in the pager."""
    site = sites[1]
    cut = 0
    for key, (_, items, _) in site.dashboard_lists.items():
        pages = site.item_pages(key, items)
        for number in range(1, pages.count + 1):
            rows = pages.page(number)
            months = sorted({item.due.strftime("%Y-%m") for item in rows})
            assert 0 < len(rows) <= LIMITS.item_page or not items
            label = pages.labels[number - 1]
            if ", part " in label:  # one month's rows, more than a page holds
                assert months == [label.split(",")[0]]
                continue
            assert label == " – ".join(dict.fromkeys((months[0], months[-1]))) if rows else label == ""
            if number < pages.count and ", part " not in pages.labels[number]:
                following = [item for item in pages.page(number + 1) if item.due.strftime("%Y-%m") == pages.labels[
                    number].split(" – ")[0]]
                assert len(rows) + len(following) > LIMITS.item_page  # the next month did not fit
                cut += 1
    assert cut > 5


def test_a_follow_up_done_changes_one_page_of_a_dashboard_list(tmp_path: Path) -> None:
    """A call logged today ends that person's item: the list's first page (which counts the
    items) and the page of that item's month change, no other page of the list (in pages of
    exactly `item_page` rows, every later page did: `mkdocs serve --dirty` built them all)."""
    data = _synthetic().write_realistic_handbook(tmp_path, SMALL)

    def lists() -> tuple[Site, dict[str, str]]:
        built = build_site(load_handbook(data, tmp_path).handbook, Settings(), TODAY, limits=LIMITS)
        return built, {plan.path: render_page(built, plan).markdown for plan in plan_pages(built)
                       if plan.path.startswith("dashboard/today")}

    site, before = lists()
    pages = site.item_pages("today", site.today_items())
    assert pages.count > 5
    middle = pages.page(pages.count // 2)
    item = next(item for item in middle if item.rule in ("check-in", "re-stoke"))
    log_call_today(data / "contacts" / f"{item.contact}.yml")
    site, after = lists()
    assert item not in site.today_items()
    changed = sorted(path for path in after if after[path] != before.get(path))
    assert len(after) == len(before)
    # the pages with a row of theirs: the item gone, and their other rows show the new last touch
    theirs = {pages.paths[number - 1] for number in range(1, pages.count + 1)
              if any(other.contact == item.contact for other in pages.page(number))}
    assert changed == sorted({"dashboard/today.md", *theirs}), changed
    assert len(changed) < pages.count // 2
