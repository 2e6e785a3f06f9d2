"""A site that leaks nothing: the example built with canaries in every private field passes
`handbook audit`; then each kind of leak, planted on purpose, is caught."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, run_cli, run_mkdocs

CANARY = 'Canary <&> "Zoë" private-7f3a'


@pytest.fixture(scope="module")
def canary_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example handbook with a canary in the `private` field of every contact."""
    copy = tmp_path_factory.mktemp("canary") / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".git", ".venv", "site", "*.egg-info"))
    for path in (copy / "handbook" / "contacts").glob("*.yml"):
        lines = [line for line in path.read_text().splitlines(keepends=True)]
        text = "".join(lines)
        text = re.sub(r"(?ms)^private:.*?(?=^\S|\Z)", "", text)  # replace what the example had
        slug = path.stem
        path.write_text(text + f"private: |\n  {CANARY} {slug}\n  second line {slug} 9c1d\n")
    assert run_cli("check", cwd=copy).returncode == 0
    return copy


@pytest.fixture(scope="module")
def built(canary_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("built") / "site"
    result = run_mkdocs("build", "--strict", "-d", str(site), cwd=canary_repo,
                        HANDBOOK_CALENDAR_SECRET="feed-secret-0123456789abcdefgh")
    assert result.returncode == 0, result.stderr
    return site


def test_the_built_site_is_private_by_default(built: Path) -> None:
    assert not (built / "sitemap.xml").exists() and not (built / "sitemap.xml.gz").exists()
    assert (built / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    pages = list(built.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        assert '<meta name="robots" content="noindex, nofollow, noarchive">' in page.read_text(), page
    assert not [p for p in built.rglob("*") if p.suffix in (".yml", ".yaml", ".md")]


def test_audit_finds_nothing_in_the_canary_build(built: Path, canary_repo: Path) -> None:
    result = run_cli("audit", str(built), cwd=canary_repo)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert "0 findings" in result.stderr


PLANTS = Path(__file__).parent / "audit_plants"


def _plant(site: Path, plant: dict[str, str]) -> None:
    """Put one planted leak into a built site: text appended to a file (made if missing),
    a gzip file, or a document added to the search index with its JSON escaped to ASCII."""
    path = site / plant["file"]
    path.parent.mkdir(parents=True, exist_ok=True)
    if "append" in plant:
        path.write_text((path.read_text() if path.exists() else "") + plant["append"], encoding="utf-8")
    elif "gzip" in plant:
        path.write_bytes(gzip.compress(plant["gzip"].encode()))
    else:
        data = json.loads(path.read_text())
        data["docs"].append({"location": "x/", "title": "x", "text": plant["search_doc"]})
        path.write_text(json.dumps(data, ensure_ascii=True))


@pytest.mark.parametrize("plant_file", sorted(PLANTS.glob("*.yml")), ids=lambda path: path.stem)
def test_audit_catches_each_planted_leak(plant_file: Path, built: Path, canary_repo: Path, tmp_path: Path) -> None:
    """Each file of audit_plants/ is a leak planted in a copy of the clean build, and the
    kind of finding the audit must report; adding a case is adding a file."""
    plant = yaml.safe_load(plant_file.read_text(encoding="utf-8"))
    site = tmp_path / "site"
    shutil.copytree(built, site)
    _plant(site, plant)
    result = run_cli("audit", str(site), cwd=canary_repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f": {plant['finding']}: " in result.stdout, result.stdout
    assert CANARY not in result.stdout  # findings name the contact, never the private text


def test_encrypted_mode_also_guards_emails_and_phones(built: Path, canary_repo: Path) -> None:
    result = run_cli("audit", "--encrypted", str(built), cwd=canary_repo)
    assert result.returncode == 1
    assert "leak: email of ana-souza" in result.stdout
    for place, what in (("file name", "slug of ana-souza"), ("title", "name of ana-souza"),
                        ("id or link", "slug of ana-souza"), ("file name", "a tag of ana-souza"),
                        ("text", "name of ana-souza")):
        assert f": name in clear ({place}): {what}\n" in result.stdout, result.stdout
