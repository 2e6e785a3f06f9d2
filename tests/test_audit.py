"""A site that leaks nothing: the example built with canaries in every private field passes
`handbook audit`; then each kind of leak, planted on purpose, is caught."""

from __future__ import annotations

import base64
import bz2
import gzip
import io
import json
import lzma
import re
import shutil
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def _zipped(data: bytes) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as writer:
        writer.writestr("notes.txt", data)
    return archive.getvalue()


LAYERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.compress, "zlib": zlib.compress, "bz2": bz2.compress, "xz": lzma.compress,
    "base64": base64.b64encode, "zip": _zipped}


def _plant(site: Path, plant: dict[str, Any]) -> None:
    """Put one planted leak into a built site: `append` text to a file (made if missing);
    `replace` each key by its value in a file (each must be there); `delete` the file; add
    a `search_doc` to the search index, its JSON escaped to ASCII; or write the file anew
    from `content` (text, in `encoding`, UTF-8 by default) or `bytes_b64`, packed by each
    of `layers` in turn (gzip, zlib, bz2, xz, base64, zip: one member)."""
    path = site / plant["file"]
    path.parent.mkdir(parents=True, exist_ok=True)
    if "append" in plant:
        path.write_text((path.read_text() if path.exists() else "") + plant["append"], encoding="utf-8")
    elif "replace" in plant:
        text = path.read_text(encoding="utf-8")
        for old, new in plant["replace"].items():
            assert old in text, old
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    elif plant.get("delete"):
        path.unlink()
    elif "search_doc" in plant:
        data = json.loads(path.read_text())
        data["docs"].append({"location": "x/", "title": "x", "text": plant["search_doc"]})
        path.write_text(json.dumps(data, ensure_ascii=True))
    else:
        content = base64.b64decode(plant["bytes_b64"]) if "bytes_b64" in plant else \
            plant["content"].encode(plant.get("encoding", "utf-8"))
        for layer in plant.get("layers", []):
            content = LAYERS[layer](content)
        path.write_bytes(content)


@pytest.mark.parametrize("plant_file", sorted(PLANTS.glob("*.yml")), ids=lambda path: path.stem)
def test_audit_catches_each_planted_leak(plant_file: Path, built: Path, canary_repo: Path, tmp_path: Path) -> None:
    """Each file of audit_plants/ is a leak planted in a copy of the clean build, the kind
    of finding the audit must report and, as `detail`, words its line must hold; adding a
    case is adding a file. The private text is never printed (outside a planted file's name)."""
    plant = yaml.safe_load(plant_file.read_text(encoding="utf-8"))
    site = tmp_path / "site"
    shutil.copytree(built, site)
    _plant(site, plant)
    result = run_cli("audit", str(site), cwd=canary_repo)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if f": {plant['finding']}: " in line]
    assert lines, result.stdout
    assert any(plant.get("detail", "") in line for line in lines), result.stdout
    printed = result.stdout.replace(plant["file"], "")
    assert CANARY not in printed and "second line" not in printed  # the contact is named, never the text


def test_the_corpus_plants_every_kind_of_leak() -> None:
    plants = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in PLANTS.glob("*.yml")]
    assert len(plants) >= 60
    assert {plant["finding"] for plant in plants} == {
        "live HTML", "external fetch", "leak", "leak in the file name", "sitemap", "source file", "not private",
        "too large to audit"}


def test_encrypted_mode_also_guards_emails_and_phones(built: Path, canary_repo: Path) -> None:
    result = run_cli("audit", "--encrypted", str(built), cwd=canary_repo)
    assert result.returncode == 1
    assert "leak: email of ana-souza" in result.stdout
    for place, what in (("file name", "slug of ana-souza"), ("title", "name of ana-souza"),
                        ("id or link", "slug of ana-souza"), ("file name", "a tag of ana-souza"),
                        ("text", "name of ana-souza")):
        assert f": name in clear ({place}): {what}\n" in result.stdout, result.stdout
