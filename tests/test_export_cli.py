"""`handbook export` as a user runs it, and the calendar feed the site publishes."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import vobject

from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.settings import Settings
from networking_handbook.site.structure import build_site

from .conftest import REPO, HandbookDir, run_cli, run_mkdocs

SECRET = "s3cret-feed-path-0123456789abcdef"
EXAMPLE_SLUGS = sorted(p.stem for p in (REPO / "handbook" / "contacts").glob("*.yml"))


def test_vcard_export_to_a_file_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "people.vcf"
    result = run_cli("export", "vcard", "--out", str(out), cwd=REPO)
    assert result.returncode == 0, result.stderr
    cards = list(vobject.readComponents(out.read_text(encoding="utf-8")))
    assert sorted(card.uid.value.removeprefix("networking-handbook:") for card in cards) == EXAMPLE_SLUGS
    mentors = run_cli("export", "vcard", "--tag", "mentor", cwd=REPO).stdout
    assert "FN:Ana Souza" in mentors and "FN:Diego" not in mentors


def test_json_and_csv_exports_load_back_into_the_same_people() -> None:
    data = json.loads(run_cli("export", "json", cwd=REPO).stdout)
    assert sorted(data["contacts"]) == EXAMPLE_SLUGS
    assert data["contacts"]["ana-souza"]["name"] == "Ana Souza"
    rows = list(csv.DictReader(io.StringIO(run_cli("export", "csv", cwd=REPO).stdout)))
    assert sorted(row["slug"] for row in rows) == EXAMPLE_SLUGS
    assert {row["slug"]: row["name"] for row in rows}["zoe-muller"] == "Zoë Müller"


def _exported_slugs(output_format: str, text: str) -> list[str]:
    if output_format == "json":
        return list(json.loads(text)["contacts"])
    if output_format == "csv":
        return [row["slug"] for row in csv.DictReader(io.StringIO(text))]
    return [card.uid.value.removeprefix("networking-handbook:") for card in vobject.readComponents(text)]


@pytest.mark.parametrize("output_format", ["vcard", "csv", "json"])
def test_tag_selects_the_people_of_that_tag_page(site: HandbookDir, output_format: str) -> None:
    """`--tag job-hunting` exports whom the site lists on `tags/job-hunting/`, `Job hunting` included."""
    site.contact("ana", "name: Ana\ntags: [Job hunting]\n")
    site.contact("bo", "name: Bo\ntags: [job-hunting, Łódź]\n")
    site.contact("cy", "name: Cy\ntags: [jobs, lodz]\n")
    handbook = load_handbook(site.root / "handbook", site.root).handbook
    pages = build_site(handbook, Settings(), date(2026, 3, 1)).tags
    assert {page: slugs for page, (_, slugs) in pages.items()} == {
        "job-hunting": ["ana", "bo"], "jobs": ["cy"], "lodz": ["bo", "cy"]}
    for tag, page in [("job-hunting", "job-hunting"), ("Job Hunting", "job-hunting"), ("łódź", "lodz")]:
        result = run_cli("export", output_format, "--tag", tag, cwd=site.root)
        assert result.returncode == 0, result.stderr
        assert _exported_slugs(output_format, result.stdout) == pages[page][1], tag


def test_export_refuses_a_handbook_with_errors(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nstage: nope\n")
    result = run_cli("export", "json", cwd=site.root)
    assert result.returncode == 1
    assert "handbook/contacts/ana.yml:2:8: error:" in result.stderr and result.stdout == ""


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".git", ".venv", "site", "*.egg-info", "__pycache__"))
    config = copy / "mkdocs.yml"
    config.write_text(config.read_text().replace('site_url: ""', "site_url: https://handbook.example.org/"))
    return copy


def test_the_site_publishes_the_calendar_feed_at_a_secret_path(example_copy: Path, tmp_path: Path) -> None:
    feeds = []
    for build in ("first", "second"):
        result = run_mkdocs("build", "--strict", "-d", str(tmp_path / build), cwd=example_copy,
                            HANDBOOK_CALENDAR_SECRET=SECRET)
        assert result.returncode == 0, result.stderr
        feeds.append((tmp_path / build / "calendar" / SECRET / "handbook.ics").read_bytes())
    assert feeds[0] == feeds[1], "two builds on one day must give the same feed"
    calendar = vobject.readOne(feeds[0].decode("utf-8"))
    events = calendar.contents["vevent"]
    uids = [event.uid.value for event in events]
    assert len(uids) == len(set(uids))
    summaries = {event.summary.value for event in events}
    assert "Follow up with Lena Kowalski (met 2026-02-26 at London Python Meetup, February)" in summaries
    lena = next(e for e in events if e.summary.value.startswith("Follow up with Lena"))
    assert lena.dtstart.value.isoformat() == "2026-02-27"
    assert lena.url.value == "https://handbook.example.org/people/lena-kowalski/"
    assert any(e.summary.value.startswith("Birthday:") for e in events)
    assert any(e.summary.value == "DevConf Lisbon 2025" for e in events)

    assert run_cli("export", "ics", "--out", str(tmp_path / "mine.ics"), cwd=example_copy).returncode == 0
    assert (tmp_path / "mine.ics").read_bytes() == feeds[0], "`handbook export ics` writes the same file"

    # Logging the follow-up removes that entry and leaves every other UID alone.
    run_cli("log", "lena-kowalski", "--kind", "email", "--on", "2026-02-28", cwd=example_copy)
    after = vobject.readOne(run_cli("export", "ics", cwd=example_copy).stdout)
    later = {event.uid.value for event in after.contents["vevent"]}
    overdue = lena.uid.value.replace("@", ".overdue@")  # the same item, shown on the feed's day
    assert overdue in uids
    assert lena.uid.value not in later and overdue not in later
    assert set(uids) - {lena.uid.value, overdue} <= later


def test_no_feed_without_a_secret_and_a_clear_error_for_a_weak_one(example_copy: Path, tmp_path: Path) -> None:
    result = run_mkdocs("build", "--strict", "-d", str(tmp_path / "plain"), cwd=example_copy)
    assert result.returncode == 0
    assert not (tmp_path / "plain" / "calendar").exists()
    weak = run_mkdocs("build", "-d", str(tmp_path / "weak"), cwd=example_copy, HANDBOOK_CALENDAR_SECRET="short")
    assert weak.returncode == 1
    assert "HANDBOOK_CALENDAR_SECRET must be at least 24 letters" in weak.stderr


def test_generate_writes_the_same_markdown_pages_for_other_generators(tmp_path: Path) -> None:
    result = run_cli("generate", "--out", str(tmp_path / "pages"), cwd=REPO)
    assert result.returncode == 0, result.stderr
    pages = tmp_path / "pages"
    assert sorted(p.stem for p in (pages / "people").glob("*.md") if p.stem != "index") == EXAMPLE_SLUGS
    assert (pages / "dashboard.md").read_text().startswith("---\nrender_macros: false\n---\n\n# Dashboard")
    assert (pages / "guide" / "follow-up.md").exists()
    assert "# Diego Álvarez" in (pages / "people" / "diego-alvarez.md").read_text()
