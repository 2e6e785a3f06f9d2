"""The example site built with the real `mkdocs build --strict`, and its pages checked."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from networking_handbook.core.handbook import load_handbook

from .conftest import REPO, HandbookDir, run_mkdocs
from .html_tools import article, primary_nav_links


def _fingerprint(*folders: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "site"
    before = _fingerprint(REPO / "handbook", REPO / "docs_src")
    result = run_mkdocs("build", "--strict", "-d", str(out), cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert _fingerprint(REPO / "handbook", REPO / "docs_src") == before, "the build wrote the user's files"
    return out


def test_dashboard(example_site: Path) -> None:
    page = article(example_site, "dashboard")
    assert "Computed for Sunday, 1 March 2026 (2026-03-01)" in page.text
    assert "3 of 5 touches this week (since Monday 2026-02-23). Streak: 2 weeks in a row" in page.text
    ids = [attrs.get("id") for tag, attrs in page.tags if tag == "h2"]
    assert ids == ["weekly-rhythm", "follow-up-new", "check-in", "my-promise", "their-promise",
                   "re-stoke", "state-benefit", "ready-to-ask", "beyond-your-circle"]
    industries = [c.industry for c in load_handbook(REPO / "handbook", REPO).handbook.contacts.values()
                  if c.industry and c.stage != "archived"]
    outside = sum(industry.casefold() != "software" for industry in industries)
    assert f"{outside} of the {len(industries)} people whose industry you noted work outside software" in page.text
    html = (example_site / "dashboard" / "index.html").read_text()
    follow_up = html[html.index('id="follow-up-new"'):html.index('id="check-in"')]
    # Overdue first, then the next 7 days; each row links to the person; the section to its guide.
    rows = re.findall(r'<td>(\d{4}-\d{2}-\d{2})</td>\s*<td>([^<]+)</td>\s*<td><a href="([^"]+)"', follow_up)
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
    assert not [link for link in article(example_site, "people/diego-alvarez").links() if "subject=" in link]


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
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".git", ".venv", "site", "*.egg-info"))
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
