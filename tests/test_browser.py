"""The built example site in headless Debian Chromium: navigate, sort, filter, and check that
no request leaves localhost."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import REPO, init_cli, run_cli, run_mkdocs

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    if os.environ.get("HANDBOOK_REQUIRE_BROWSER"):
        raise RuntimeError("Debian's chromium is required for the browser tests (apt-get install chromium)")
    pytest.skip("Debian's chromium is not installed (CI installs it)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def served_site(example_site: Path) -> Iterator[str]:
    with serving(example_site) as url:
        yield url


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


def test_dashboard_person_and_people_table(browser, served_site: str) -> None:
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()

    page.goto(f"{served_site}/dashboard/")
    assert "Computed for Sunday, 1 March 2026" in page.inner_text("article")
    page.locator("article a[href$='people/tomas-ferreira/']").first.click()
    page.wait_for_url("**/people/tomas-ferreira/")
    assert page.inner_text("article h1").rstrip("¶") == "Tomás Ferreira"
    assert page.title().startswith("Tomás Ferreira")

    page.goto(f"{served_site}/people/")
    rows = page.locator("article table tbody tr")
    assert rows.count() == 16
    page.fill("input.handbook-filter", "founder")
    visible = [row for row in rows.all() if row.is_visible()]
    assert 0 < len(visible) < 16
    assert all("founder" in row.inner_text().lower() for row in visible)
    page.fill("input.handbook-filter", "")
    assert len([row for row in rows.all() if row.is_visible()]) == 16

    name_header = page.locator("article table thead th").first
    name_header.click()
    names = [cell.inner_text() for cell in page.locator("article table tbody tr td:first-child").all()]
    assert names == sorted(names, key=str.casefold)
    assert name_header.get_attribute("aria-sort") == "ascending"
    name_header.click()
    reversed_names = [cell.inner_text() for cell in page.locator("article table tbody tr td:first-child").all()]
    assert reversed_names == names[::-1]

    page.locator("article table tbody a", has_text="Diego Álvarez").click()
    page.wait_for_url("**/people/diego-alvarez/")
    assert "Ready to ask: yes" in page.inner_text("article")
    page.wait_for_load_state("networkidle")
    context.close()

    assert requests, "no requests were recorded"
    outside = [url for url in requests if not url.startswith((served_site, "data:", "blob:"))]
    assert outside == [], f"requests left localhost: {outside}"


def search(page, text: str) -> str:
    """Type into the site search and return the result list's HTML once it has answered."""
    page.click("input.md-search__input")
    page.fill("input.md-search__input", "")
    page.keyboard.type(text, delay=50)
    page.wait_for_function("!document.querySelector('.md-search-result__meta').innerText"
                           ".includes('Type to start')", timeout=15000)
    page.wait_for_timeout(300)
    return page.inner_html(".md-search-result")


def test_encrypted_site_unlocks_pages_and_search_with_the_password(browser, tmp_path: Path,
                                                                   package_index: Path) -> None:
    password = "Tr0ub4dor-correct-horse-battery-staple-9f2c"
    root = tmp_path / "encrypted"
    assert init_cli("--encrypt", str(root), index=package_index, cwd=tmp_path).returncode == 0
    result = run_mkdocs("build", "--strict", cwd=root, HANDBOOK_PASSWORD=password)
    assert result.returncode == 0, result.stderr
    person = next(p.name for p in (root / "site" / "people").iterdir() if p.is_dir())
    with serving(root / "site") as site:
        context = browser.new_context()
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.goto(f"{site}/guide/")
        # Locked: every page is encrypted, so the search finds nothing.
        assert f"people/{person}" not in search(page, "Alex")
        assert "No matching documents" in page.inner_text(".md-search-result")

        page.goto(f"{site}/people/{person}/")
        assert "Alex Example" not in page.inner_text("body")
        assert page.title().startswith(f"Person {person}")
        page.fill("#mkdocs-content-password", "not the password")
        page.press("#mkdocs-content-password", "Enter")
        page.wait_for_timeout(1500)
        assert "Alex Example" not in page.inner_text("body")
        assert f"people/{person}" not in search(page, "Alex")

        page.fill("#mkdocs-content-password", password)
        with page.expect_navigation(timeout=30000):  # unlocked: the tab reloads once for the search
            page.press("#mkdocs-content-password", "Enter")
        page.wait_for_function("(document.querySelector('article') || document.body).innerText"
                               ".includes('alex@example.org')", timeout=30000)
        text = page.inner_text("article")
        assert "alex@example.org" in text and "Product lead at Example Co" in text

        # Unlocked: the same search now finds the person, here and on other pages of the tab.
        assert f"people/{person}" in search(page, "Alex")
        page.goto(f"{site}/guide/")
        assert f"people/{person}" in search(page, "Alex")
        assert "guide/give-first/" in search(page, "give first")

        # A new tab has not unlocked anything: the search is locked again.
        other = context.new_page()
        other.goto(f"{site}/guide/")
        assert f"people/{person}" not in search(other, "Alex")
        context.close()
    outside = [url for url in requests if not url.startswith((site, "data:", "blob:"))]
    assert outside == [], f"requests left localhost: {outside}"


def test_a_live_site_relabels_due_dates_for_the_viewers_day(browser, tmp_path: Path) -> None:
    import datetime as dt

    from .conftest import HandbookDir
    site = HandbookDir(tmp_path / "live")
    today = dt.date.today()
    site.contact("ana", f"name: Ana\npromises: [{{by: me, what: the deck, due: {today.isoformat()}}}]\n")
    result = run_mkdocs("build", "--strict", cwd=site.root)  # no `today`: the clock's day
    assert result.returncode == 0, result.stderr
    html = (site.root / "site" / "dashboard" / "index.html").read_text()
    assert f'<span class="handbook-when" data-due="{today.isoformat()}">due today</span>' in html
    with serving(site.root / "site") as url:
        page = browser.new_page()
        later = dt.datetime.combine(today + dt.timedelta(days=10), dt.time(12))
        page.clock.set_fixed_time(later)
        page.goto(f"{url}/dashboard/")
        assert page.inner_text("span.handbook-when") == "10 days overdue"
        page.close()


PHONE = {"width": 390, "height": 844}
# The page's boxes that scroll sideways to show all they hold (code blocks may: they are code).
_SCROLLED_SIDEWAYS = """() => Array.from(document.querySelectorAll("article *")).filter(element => {
    const overflow = getComputedStyle(element).overflowX;
    return (overflow === "auto" || overflow === "scroll") && !element.closest("pre")
        && element.scrollWidth > element.clientWidth + 1;
}).map(element => element.className || element.tagName)"""


def test_no_page_scrolls_sideways_on_a_phone(browser, example_site: Path, served_site: str) -> None:
    pages = sorted(path.parent.relative_to(example_site).as_posix() for path in example_site.rglob("index.html")
                   if path.relative_to(example_site).parts[0] not in ("assets", "search"))
    for kind in ("people/", "events/", "tags/", "guide/", "dashboard", "hosting"):
        assert any(page.startswith(kind) for page in pages), kind
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    wide = {}
    for path in pages:
        page.goto(f"{served_site}/{'' if path == '.' else path + '/'}")
        width = page.evaluate("document.documentElement.scrollWidth")
        scrolled = page.evaluate(_SCROLLED_SIDEWAYS)  # a table in a scroll box hides its last columns
        if width > PHONE["width"] or scrolled:
            wide[path] = (width, scrolled)
    context.close()
    assert wide == {}, f"pages wider than the phone: {wide}"


def test_today_on_a_phone_matches_handbook_due_with_actions_to_tap(browser, served_site: str) -> None:
    due = json.loads(run_cli("due", "--json", cwd=REPO).stdout)["items"]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    for path in ("dashboard/", ""):
        page.goto(f"{served_site}/{path}")
        rows = page.locator("h2#today ~ * table").first.locator("tbody tr")
        assert rows.count() == len(due), path
        assert f"{len(due)} to do today" in page.inner_text("article")
        names = [row.locator("td").nth(1).inner_text().strip() for row in rows.all()]
        assert [name.split(maxsplit=1)[1] for name in names][:1] == ["Fatima Zahra Benali"]
        for row in rows.all():
            assert row.bounding_box()["width"] <= PHONE["width"]
            actions = row.locator("a.handbook-action")
            assert actions.count() >= 1, row.inner_text()
            for action in [*actions.all(), row.locator("td").nth(1).locator("a").first]:
                box = action.bounding_box()
                assert box["height"] >= 44 and box["width"] >= 44, (action.inner_text(), box)
    page.goto(f"{served_site}/people/")
    for name in page.locator("article table tbody td:first-child > a").all():
        assert name.bounding_box()["height"] >= 44, name.inner_text()
    context.close()


def test_every_picture_says_what_it_shows(browser, served_site: str) -> None:
    page = browser.new_page()
    for path in ("dashboard/", "people/", "people/diego-alvarez/", "tags/founder/", ""):
        page.goto(f"{served_site}/{path}")
        pictures = page.locator("article svg[class^='handbook-']")
        assert pictures.count() > 0, path
        for picture in pictures.all():
            label = picture.get_attribute("aria-label")
            assert picture.get_attribute("role") == "img" and label, path
            assert picture.locator(":scope > title").text_content() == label
        for figure in page.locator("figure.handbook-picture").all():
            assert figure.locator("figcaption").inner_text() == figure.locator("svg").get_attribute("aria-label")
    page.goto(f"{served_site}/dashboard/")
    text = page.inner_text("article")
    touches, goal, streak = re.search(r"(\d+) of (\d+) touches this week .*Streak: (\d+) week", text).groups()
    rhythm = page.locator("svg.handbook-rhythm").get_attribute("aria-label")
    assert f": {touches} this week against a goal of {goal};" in rhythm and f"streak {streak} week" in rhythm
    bars = page.locator("svg.handbook-rhythm rect title").all_text_contents()
    assert len(bars) == 26 and bars[-1].endswith(f": {touches} touches")
    page.goto(f"{served_site}/people/diego-alvarez/")
    strip = page.locator("svg.handbook-strip").get_attribute("aria-label")
    gives = re.search(r"(\d+) gives", strip).group(1)
    cells = page.locator("svg.handbook-strip g.handbook-strip__gives text").all_text_contents()
    assert sum(map(int, cells)) == int(gives)
    page.close()


WIDE = {"width": 1400, "height": 900}


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from .conftest import HandbookDir
    from .long_handbook import write_long_handbook
    site = HandbookDir(tmp_path_factory.mktemp("long"))
    site.options("today: 2026-03-01")
    write_long_handbook(site.root / "handbook")
    result = run_mkdocs("build", "--strict", cwd=site.root)
    assert result.returncode == 0, result.stderr
    with serving(site.root / "site") as url:
        yield url


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_a_paged_people_list_finds_anyone_from_any_page(browser, long_site: str, viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(f"{long_site}/people/")
    table = page.locator("article table").first
    assert table.locator("tbody tr").count() == 200
    assert "Xavi Quispe" not in table.inner_text()  # on page 3
    page.fill("input.handbook-filter", "xavi QUISPE")
    found = page.locator(".handbook-found li")
    found.first.wait_for()
    assert found.count() == 1 and found.first.locator("a").inner_text() == "Xavi Quispe"
    assert "Company 39" in found.first.inner_text() and "overdue" in found.first.inner_text()
    assert "1 of 450 people match." in page.inner_text(".handbook-found")
    assert not table.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    box = found.first.locator("a").bounding_box()
    assert box is not None and box["height"] >= 44
    page.fill("input.handbook-filter", "company 1")  # Company 1 and Company 10 to 19
    page.wait_for_function("document.querySelector('.handbook-found p').innerText.startsWith('The first 50')")
    assert found.count() == 50
    page.fill("input.handbook-filter", "nobody-at-all")
    page.wait_for_function("document.querySelector('.handbook-found p').innerText.startsWith('Nobody')")
    page.fill("input.handbook-filter", "")
    assert table.is_visible() and not page.locator(".handbook-found").is_visible()
    page.fill("input.handbook-filter", "xavi quispe")
    found.first.locator("a").click()
    page.wait_for_url("**/people/person-439/")
    assert page.inner_text("article h1").rstrip("¶") == "Xavi Quispe"
    page.goto(f"{long_site}/people/index/3/")  # the same from a later page, two folders down
    page.fill("input.handbook-filter", "ana abreu")
    found.first.wait_for()
    assert found.first.locator("a").get_attribute("href") is not None
    found.first.locator("a").click()
    page.wait_for_url("**/people/person-0/")
    context.close()
    outside = [url for url in requests if not url.startswith((long_site, "data:", "blob:"))]
    assert outside == [], f"requests left localhost: {outside}"


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_no_page_of_a_long_list_scrolls_sideways(browser, long_site: str, viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    wide = {}
    for path in ("", "dashboard/", "dashboard/today/", "dashboard/today/5/", "dashboard/follow-up-new/", "people/",
                 "people/index/3/", "tags/all/", "tags/all/3/", "events/", "events/index/2/", "people/offering/design/",
                 "people/person-0/"):
        page.goto(f"{long_site}/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        scrolled = page.evaluate(_SCROLLED_SIDEWAYS)
        if width > viewport["width"] or scrolled:
            wide[path] = (width, scrolled)
    assert page.locator(".handbook-pager").count() == 0  # a person page has no pager
    page.goto(f"{long_site}/people/index/2/")
    pager = page.locator("nav.handbook-pager")
    assert "Page 2 of 3" in pager.inner_text()
    pager.locator("a[rel=next]").click()
    page.wait_for_url("**/people/index/3/")
    page.locator("nav.handbook-pager summary").click()
    page.locator("nav.handbook-pager li a").first.click()  # page 1, named by its first and last names
    page.wait_for_url("**/people/")
    context.close()
    assert wide == {}, f"pages wider than the screen: {wide}"
