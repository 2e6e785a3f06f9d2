"""The example site built with the real `mkdocs build --strict`, and its pages checked."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from networking_handbook.core.handbook import load_handbook

from .conftest import REPO, HandbookDir, run_cli, run_mkdocs
from .html_tools import article, primary_nav_links


def test_dashboard(example_site: Path) -> None:
    page = article(example_site, "dashboard")
    assert "Computed for Sunday, 1 March 2026 (2026-03-01)" in page.text
    assert "3 of 5 touches this week (since Monday 2026-02-23). Streak: 2 weeks in a row" in page.text
    ids = [attrs.get("id") for tag, attrs in page.tags if tag == "h2"]
    assert ids == ["today", "this-week", "birthdays", "weekly-rhythm", "follow-up-new", "check-in", "my-promise",
                   "their-promise", "re-stoke", "state-benefit", "ready-to-ask", "beyond-your-circle"]
    industries = [c.industry for c in load_handbook(REPO / "handbook", REPO).handbook.contacts.values()
                  if c.industry and c.stage != "archived"]
    outside = sum(industry.casefold() != "software" for industry in industries)
    assert f"{outside} of the {len(industries)} people whose industry you noted work outside software" in page.text
    html = (example_site / "dashboard" / "index.html").read_text()
    follow_up = html[html.index('id="follow-up-new"'):html.index('id="check-in"')]
    # Overdue first, then the next 7 days; each row links to the person; the section to its guide.
    rows = re.findall(r'<td>(\d{4}-\d{2}-\d{2})</td>\s*<td><svg [^>]*aria-label="[a-z ]+">.*?</svg> ([^<]+)</td>'
                      r'\s*<td><a href="([^"]+)"', follow_up)
    assert rows == [
        ("2026-02-13", "16 days overdue", "../people/tomas-ferreira/"),
        ("2026-02-27", "2 days overdue", "../people/lena-kowalski/"),
        ("2026-03-02", "in 1 day", "../people/ines-carvalho/"),
    ]
    assert '<a href="../guide/follow-up/">Why this matters</a>' in follow_up
    assert "handbook-when" not in html  # a fixed `today`: labels are not relabelled in the browser
    assert "../guide/long-game/" in html and "../guide/make-time/" in html


def test_person_page(example_site: Path) -> None:
    page = article(example_site, "people/diego-alvarez")
    text = page.text
    assert text.startswith("Diego Álvarez")
    assert "Founder at Mercado Nube · Madrid, Spain · he/him" in text
    assert "mailto:diego@mercadonube.example.com" in page.links()
    assert "Ready to ask: yes (3 of 3 gives since the last ask)" in text
    assert "You promised Diego Álvarez: Send Diego the pricing page teardown" in text
    dates = re.findall(r"(\d{4}-\d{2}-\d{2}) · ", text)
    assert dates == sorted(dates, reverse=True) and len(dates) == 8
    assert "../fatima-benali/" in page.links()  # introduced, and at the same events


def test_follow_up_draft_on_person_with_open_follow_up(example_site: Path) -> None:
    links = article(example_site, "people/tomas-ferreira").links()
    draft = [link for link in links if link.startswith("mailto:") and "subject=" in link]
    assert len(draft) == 1
    assert "subject=Great%20to%20meet%20you%20at%20Remote%20Onboarding%20Workshop" in draft[0]
    assert "body=Hi%20Tom%C3%A1s" in draft[0]
    assert "As%20promised%3A%20Send%20the%20remote%20onboarding%20template." in draft[0]  # the open promise
    # Without an open follow-up, the draft is for the most urgent item: here a promise.
    diego = [link for link in article(example_site, "people/diego-alvarez").links() if "subject=" in link]
    assert len(diego) == 1
    assert "subject=As%20promised%3A%20Send%20Diego%20the%20pricing%20page%20teardown&" in diego[0]
    archived = article(example_site, "people/samuel-okafor")  # nothing open, so no draft
    assert not [link for link in archived.links() if "subject=" in link]


def test_people_directory_and_navigation(example_site: Path) -> None:
    page = article(example_site, "people")
    assert ("input", {"type": "search", "class": "handbook-filter",
                      "placeholder": "Filter by name, company, tag or stage", "aria-label": "Filter people"}) in page.tags
    people = sorted(p.stem for p in (REPO / "handbook" / "contacts").glob("*.yml"))
    assert sorted(link.strip("/") for link in page.links() if re.fullmatch(r"[a-z0-9-]+/", link)) == people
    nav = primary_nav_links(example_site, "dashboard")
    assert "../people/" in nav and "../events/" in nav and "../guide/follow-up/" in nav
    assert not [link for link in nav if re.search(r"people/[a-z]", link)], "person pages must stay out of the nav"


def test_events(example_site: Path) -> None:
    listing = article(example_site, "events")
    order = [link for link in listing.links() if re.fullmatch(r"[a-z0-9-]+/", link)]
    assert order[0] == "python-meetup-feb-2026/" and order[-1] == "devconf-lisbon-2025/"
    page = article(example_site, "events/devconf-lisbon-2025")
    assert "When: 2025-11-12 to 2025-11-14" in page.text
    assert "followed up late (2025-11-14, 2 days after)" in page.text
    workshop = article(example_site, "events/remote-work-workshop")
    assert "Tomás Ferreira still open" in workshop.text


def test_tags_and_guide(example_site: Path) -> None:
    assert "Mercado Nube" in article(example_site, "tags/founder").text
    guides = sorted(p.parent.name for p in (example_site / "guide").glob("*/index.html"))
    assert guides == ["beyond-your-circle", "first-contact", "follow-up", "give-first", "long-game",
                      "make-opportunities", "make-time", "myths", "online-presence"]
    assert (example_site / "guide" / "index.html").exists()
    for page in ["guide", *(f"guide/{name}" for name in guides)]:
        assert "In your handbook" in article(example_site, page).text


def test_private_notes_never_published(example_site: Path) -> None:
    privates = [line.split(":", 1)[1].strip() for path in (REPO / "handbook" / "contacts").glob("*.yml")
                for line in path.read_text().splitlines() if line.startswith("private:")]
    assert privates, "the example should use `private`"
    for path in example_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".js"):
            content = path.read_text(encoding="utf-8", errors="replace")
            for private in privates:
                if len(private) > 3 and private not in ("|", ">"):
                    assert private not in content, (path, private)


def test_properdocs_builds_the_example_strictly(tmp_path: Path) -> None:
    result = run_mkdocs("build", "--strict", "-f", "mkdocs.yml", "-d", str(tmp_path / "site"),
                        cwd=REPO, program="properdocs")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert "Diego Álvarez" in (tmp_path / "site" / "people" / "diego-alvarez" / "index.html").read_text()


def test_a_docs_file_replaces_a_guide_page(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".git", ".venv", "site", "*.egg-info", "__pycache__"))
    (copy / "docs_src" / "guide").mkdir()
    (copy / "docs_src" / "guide" / "myths.md").write_text("# Our own myths\n\nWritten by us.\n")
    result = run_mkdocs("build", "--strict", "-d", str(tmp_path / "site"), cwd=copy)
    assert result.returncode == 0, result.stderr
    assert article(tmp_path / "site", "guide/myths").text == "Our own myths ¶ Written by us."


def test_build_fails_listing_every_data_error(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nstage: sleeping\n")
    site.contact("bo", "name: Bo\nmet: {at: nowhere}\n")
    site.event("meetup", "name: Meetup\non: 2026-02-30\n")
    for strict in ([], ["--strict"]):
        result = run_mkdocs("build", *strict, cwd=site.root)
        assert result.returncode == 1
        assert "3 errors in the handbook:" in result.stderr
        for line in ("handbook/contacts/ana.yml:2:8: error: `sleeping` is not a valid `stage`",
                     "handbook/contacts/bo.yml:2:11: error: unknown event `nowhere`",
                     "handbook/events/meetup.yml:2:5: error: `2026-02-30` is not a real date"):
            assert line in result.stderr
        assert "Traceback" not in result.stderr
        assert not (site.root / "site").exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda s: s.contact("index", "name: Index Person\n"),  # caught as early as `handbook check`
         "handbook/contacts/index.yml:1:1: error: `index` cannot be a slug: its page would replace `people/`"),
        (lambda s: (s.root / "docs" / "dashboard.md").write_text("# Mine\n"),
         "the dashboard would be published at `dashboard/index.html`, which docs/dashboard.md already uses"),
        (lambda s: s.contact("ana", "name: Ana\ntags: [index]\n"),
         "the tag `index` would be published at `tags/index.html`, which the tags list already uses"),
    ],
    ids=["contact-named-index", "docs-file-on-dashboard", "tag-named-index"],
)
def test_colliding_urls_are_refused(site: HandbookDir, make, message: str) -> None:
    make(site)
    result = run_mkdocs("build", cwd=site.root)
    assert result.returncode == 1
    assert message in result.stderr, result.stderr


def test_search_index_has_people_but_not_private_text(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana Canary\nprivate: SECRET-CANARY-1234\nnotes: Likes sailing\n")
    result = run_mkdocs("build", "--strict", cwd=site.root)
    assert result.returncode == 0, result.stderr
    index = json.loads((site.root / "site" / "search" / "search_index.json").read_text())
    texts = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert "Ana Canary" in texts and "Likes sailing" in texts
    assert "SECRET-CANARY-1234" not in texts


def test_needs_and_offers_suggest_introductions(example_site: Path) -> None:
    """Topics compare trimmed and lower-cased: Fatima's `user research` is Inês's `User research`."""
    fatima = article(example_site, "people/fatima-benali")
    assert "They need user research, which these people offer: Inês Carvalho" in fatima.text
    assert "../ines-carvalho/" in fatima.links()
    assert "They offer User research, which these people need: Fatima Zahra Benali" in (
        article(example_site, "people/ines-carvalho").text)


def _today_rows(html: str) -> list[str]:
    """The person links of the Today table, in order."""
    start = html.index('id="today"')
    today = html[start:html.find("<h2", start + 1)]
    return re.findall(r'<td><svg class="handbook-avatar[^"]*"[^>]*>.*?</svg> <a href="[./]*people/([a-z0-9-]+)/"', today)


def test_today_is_what_handbook_due_lists(example_site: Path) -> None:
    due = json.loads(run_cli("due", "--json", cwd=REPO).stdout)["items"]
    assert due, "the example should have items due"
    for page in ("dashboard/index.html", "index.html"):  # the dashboard, and the home page's marker
        html = (example_site / page).read_text(encoding="utf-8")
        assert f"<strong>{len(due)} to do today</strong>" in html, page
        assert _today_rows(html) == [item["contact"] for item in due], page
    home = article(example_site, "")
    assert "handbook:today" not in (example_site / "index.html").read_text()
    assert "../people/" not in home.links() and "people/tomas-ferreira/" in home.links()


def test_today_rows_have_actions(example_site: Path) -> None:
    html = (example_site / "dashboard" / "index.html").read_text(encoding="utf-8")
    today = html[html.index('id="today"'):html.index('id="this-week"')]
    rows = today.split("<tr>")[2:]
    assert rows and all('class="handbook-action" href="mailto:' in row or "tel:" in row for row in rows)
    tomas = next(row for row in rows if "people/tomas-ferreira/" in row)
    assert 'href="tel:+447700900104"' in tomas and "Last, 26 February 2026 (event): Said hi by the pizza." in tomas
    assert '<a href="../guide/follow-up/">Follow up new people</a>' in tomas  # the rule in words, to its guide


def test_birthdays_and_this_week(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nbirthday: --03-10\n")
    site.contact("bo", "name: Bo\nbirthday: 1990-03-20\n")  # 19 days away: not shown
    site.contact("cy", "name: Cy\nbirthday: --03-01\npromises: [{by: me, what: the deck, due: 2026-03-04}]\n")
    site.contact("di", "name: Di\nbirthday: --03-02\nstage: archived\n")
    result = run_mkdocs("build", "--strict", cwd=site.root, HANDBOOK_TODAY="2026-03-01")
    assert result.returncode == 0, result.stderr
    text = article(site.root / "site", "dashboard").text
    assert "Birthdays 1 March (today): Cy 10 March (in 9 days): Ana Weekly rhythm" in text
    week = text[text.index("This week"):text.index("Birthdays")]
    assert "You promised Cy: the deck" in week and "in 3 days" in week
    assert "0 to do today : nothing is overdue or due today." in text


def test_person_brief_in_human_words(example_site: Path) -> None:
    page = article(example_site, "people/diego-alvarez")
    brief = page.text[page.text.index("Before you meet"):page.text.index("Last 12 months")]
    assert "How you met: 20 November 2024. Cold email after my post" in brief
    assert ("Last touch: 27 February 2026 (2 days ago), message: He asked where the teardown is." in brief)
    assert "Needs: Senior backend hires, Pricing page" in brief and "Offers: Marketplace pricing" in brief
    assert "Open items" in brief and "Draft an email Call" in brief
    details = page.text[page.text.index("Details ¶"):]
    assert "Stage: active · check in every 3 months" in details
    assert "LinkedIn: https://www.linkedin.com/in/diego-alvarez-founder-example" in details
    assert "Website: https://mercadonube.example.com" in details
    assert "Phone: +34 600 000 110" in details and "tel:+34600000110" in page.links()
    ana = article(example_site, "people/ana-souza")
    assert "Email: ana.souza@example.org" in ana.text and "mailto:" not in ana.text  # a `links:` mail link
    sections = [attrs.get("id") for tag, attrs in page.tags if tag == "h2"]
    assert sections[:2] == ["brief", "last-12-months"] and sections.index("timeline") < sections.index("details")


def test_birthday_in_words(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nbirthday: --07-09\ncadence: 1w\n")
    site.contact("bo", "name: Bo\nbirthday: 1990-12-01\n")
    assert run_mkdocs("build", "--strict", cwd=site.root).returncode == 0
    ana = article(site.root / "site", "people/ana").text
    assert "Birthday: 9 July" in ana and "check in every week" in ana
    assert "Birthday: 1 December 1990" in article(site.root / "site", "people/bo").text


def test_people_table_in_words_and_first_meetings(example_site: Path) -> None:
    html = (example_site / "people" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"\d{4}-\d{2}-\d{2} (follow-up-new|check-in|my-promise|their-promise|re-stoke|state-benefit)<",
                         html)
    lena = article(example_site, "people").text
    # Lena was met at an event without `met.on`: not a touch (SPEC 3), so the cell says when you met.
    assert "Lena Kowalski Vistula Data exploring 2026-02-26 (met) 2026-02-27 follow up new people" in lena
    assert "2026-08-18 re-stoke dormant ties" in lena
    brief = article(example_site, "people/lena-kowalski").text
    assert "How you met: 26 February 2026 at London Python Meetup, February . Gave the pydantic" in brief
    assert "Last touch: none yet since you met, 3 days ago" in brief


def test_tag_pages_show_last_touch_and_next_due(example_site: Path) -> None:
    page = article(example_site, "tags/founder")
    headings = [text for text in ("Last touch", "Next due") if text in page.text]
    assert headings == ["Last touch", "Next due"]
    assert "Diego Álvarez Mercado Nube founder, customer active 2026-02-27 2026-02-25 your promises" in page.text
    assert any(tag == "svg" and "handbook-mark" in (attrs.get("class") or "") for tag, attrs in page.tags)


def _svgs(html: str) -> list[str]:
    """Our pictures (not the theme's icons)."""
    return re.findall(r'<svg class="handbook-.*?</svg>', html, re.S)


def test_pictures_are_small_and_labelled(example_site: Path) -> None:
    for path in sorted((example_site / "people").glob("*/index.html")):
        html = path.read_text(encoding="utf-8")
        assert sum(len(svg.encode()) for svg in _svgs(html)) <= 15_000, path  # the page's growth for pictures
    for page in ("dashboard", "people", "tags/founder", "people/diego-alvarez", ""):
        html = (example_site / page / "index.html").read_text(encoding="utf-8")
        for svg in _svgs(html):
            label = re.search(r'role="img" aria-label="([^"]+)"><title>([^<]+)</title>', svg)
            assert label and label.group(1) == label.group(2), svg[:200]
            assert "style" not in svg and "href" not in svg and "<script" not in svg
    dashboard = article(example_site, "dashboard").text
    assert ("Touches per week for the last 26 weeks: 3 this week against a goal of 5; "
            "2 of 26 weeks reached the goal; streak 2 weeks.") in dashboard
    diego = article(example_site, "people/diego-alvarez").text
    assert "The last 12 months with Diego Álvarez, April 2025 to March 2026: 6 touches, 4 gives, 1 ask, 1 promise." in diego


def test_the_built_example_passes_the_audit(example_site: Path) -> None:
    result = run_cli("audit", str(example_site), cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_today_marker_is_replaced_on_the_home_page_only(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\npromises: [{by: me, what: the deck, due: 2026-02-27}]\n")
    (site.root / "docs" / "index.md").write_text("# Home\n\n<!-- handbook:today -->\n\nMore.\n")
    (site.root / "docs" / "other.md").write_text("# Other\n\n<!-- handbook:today -->\n")
    result = run_mkdocs("build", "--strict", cwd=site.root, HANDBOOK_TODAY="2026-03-01")
    assert result.returncode == 0, result.stderr
    home = article(site.root / "site", "")
    assert "Home Today 1 to do today : 1 overdue, 0 due today" in home.text and home.text.endswith("More.")
    assert "people/ana/" in home.links()
    other = (site.root / "site" / "other" / "index.html").read_text()
    assert "<!-- handbook:today -->" in other and "to do today" not in other
