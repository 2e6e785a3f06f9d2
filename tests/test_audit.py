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
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from networking_handbook.hosting.encryption import SAFE_SETTINGS

from .conftest import REPO, run_cli, run_mkdocs
from .test_encryption import PASSWORD

CANARY = 'Canary <&> "Zoë" private-7f3a'


@pytest.fixture(scope="module")
def canary_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example handbook with a canary in the `private` field of every contact."""
    copy = tmp_path_factory.mktemp("canary") / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".git", ".venv", "site", "*.egg-info", "__pycache__"))
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


@pytest.fixture(scope="module")
def encrypted_repo(canary_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The canary handbook with the encryption `handbook init --encrypt` sets up, built."""
    copy = tmp_path_factory.mktemp("encrypted") / "repo"
    shutil.copytree(canary_repo, copy)
    with (copy / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(SAFE_SETTINGS)
    result = run_mkdocs("build", "--strict", cwd=copy, HANDBOOK_PASSWORD=PASSWORD)
    assert result.returncode == 0, result.stderr
    return copy


def _audit_planted(plant: dict[str, Any], request: pytest.FixtureRequest,
                   tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`handbook audit` on a copy of the clean build, or of the encrypted one when the
    plant says `encrypted`, with the plant put in."""
    repo = request.getfixturevalue("encrypted_repo" if plant.get("encrypted") else "canary_repo")
    built = repo / "site" if plant.get("encrypted") else request.getfixturevalue("built")
    site = tmp_path / "site"
    shutil.copytree(built, site)
    _plant(site, plant)
    return run_cli("audit", str(site), cwd=repo)


@pytest.mark.parametrize("plant_file", sorted(PLANTS.glob("*.yml")), ids=lambda path: path.stem)
def test_audit_catches_each_planted_leak(plant_file: Path, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Each file of audit_plants/ is a leak planted in a copy of the clean build, the kind
    of finding the audit must report and, as `detail`, words its line must hold; adding a
    case is adding a file. The private text is never printed (outside a planted file's name).
    A plant marked `encrypted` goes into the encrypted build (names must not be in clear)."""
    plant = yaml.safe_load(plant_file.read_text(encoding="utf-8"))
    result = _audit_planted(plant, request, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if f": {plant['finding']}: " in line]
    assert lines, result.stdout
    assert any(plant.get("detail", "") in line for line in lines), result.stdout
    printed = result.stdout.replace(plant["file"], "")
    assert CANARY not in printed and "second line" not in printed  # the contact is named, never the text


CLEAN = Path(__file__).parent / "audit_clean"


@pytest.mark.parametrize("case_file", sorted(CLEAN.glob("*.yml")), ids=lambda path: path.stem)
def test_audit_finds_nothing_in_each_harmless_change(case_file: Path, request: pytest.FixtureRequest,
                                                      tmp_path: Path) -> None:
    """Each file of audit_clean/ is a change in the plant format that looks like a leak and is
    not one (escaped markup, a tag named `JavaScript`, an inline SVG picture, a data image):
    the audit must pass it."""
    result = _audit_planted(yaml.safe_load(case_file.read_text(encoding="utf-8")), request, tmp_path)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout


def test_the_corpus_plants_every_kind_of_leak() -> None:
    plants = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in PLANTS.glob("*.yml")]
    assert len(plants) >= 60
    assert {plant["finding"] for plant in plants} == {
        "live HTML", "external fetch", "leak", "leak in the file name", "sitemap", "source file", "not private",
        "too large to audit", "name in clear (text)", "name in clear (id or link)", "name in clear (title)"}


def test_encrypted_mode_also_guards_emails_and_phones(built: Path, canary_repo: Path) -> None:
    result = run_cli("audit", "--encrypted", str(built), cwd=canary_repo)
    assert result.returncode == 1
    assert "leak: email of ana-souza" in result.stdout
    for place, what in (("file name", "slug of ana-souza"), ("title", "name of ana-souza"),
                        ("id or link", "slug of ana-souza"), ("file name", "a tag of ana-souza"),
                        ("text", "name of ana-souza")):
        assert f": name in clear ({place}): {what}\n" in result.stdout, result.stdout


# Text that would run, fetch, redirect or restyle if it reached a page as HTML, and text that
# looks encoded: a site that escapes it all must pass the audit with no finding at all.
HOSTILE = ['<a href="javascript:alert(1)">x</a>', "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
           "<svg onload=alert(1)>", "<svg/onload=alert(1)>", "javascript:alert(1)", "JaVaScRiPt&colon;alert(1)",
           "{{ 7*7 }}", "{% raw %}", "<style>*{display:none}</style>", '<base href="https://evil.example/">',
           '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
           '<form action="https://evil.example/">', '<iframe src="//evil.example/"></iframe>',
           "background:url(https://tracker.example/p.gif)", "@import 'https://tracker.example/x.css';",
           "Q2FuYXJ5IGlzIGEgcHVibGljIGJpcmQ=", "100%25 sure %3Cscript%3E", "<urlset><url>x</url></urlset>",
           "&lt;script&gt; &#106;avascript:", '"onmouseover="alert(1)', "\\u003cscript\\u003e"]


def _hostile_contact() -> str:
    text = lambda i: json.dumps(f"{HOSTILE[i % len(HOSTILE)]} {HOSTILE[(i + 7) % len(HOSTILE)]}")  # noqa: E731
    notes = "".join(f"  - {line}\n" for line in HOSTILE) + "  - [click](javascript:alert(1))\n"
    return (f"name: {text(0)}\npronouns: {text(1)}\ncompany: {text(9)}\nrole: {text(3)}\nindustry: {text(4)}\n"
            f"location: {text(5)}\nemails: [eve@example.org]\n"
            "links:\n  site: https://example.org/?q=%22onmouseover%3D%22alert(1)&x=<script>\n"
            "tags: [JavaScript, onload, script, style, javascript-alert-1]\n"
            f"met:\n  on: 2026-01-10\n  at: python-meetup-feb-2026\n  how: {text(6)}\n"
            f"benefit: {text(7)}\nneeds: [{text(8)}, {text(10)}]\noffers: [{text(11)}, {text(12)}]\n"
            f"interactions:\n  - on: 2026-02-01\n    kind: call\n    note: {text(13)}\n    asked: {text(14)}\n"
            f"    gave: {text(15)}\n"
            f"promises:\n  - by: me\n    what: {text(16)}\n    due: 2026-03-20\n"
            f"notes: |\n{notes}private: {json.dumps(HOSTILE[1] + ' hostile-private 4e1f')}\n")


def _hostile_event() -> str:
    text = lambda i: json.dumps(f"{HOSTILE[i % len(HOSTILE)]} {HOSTILE[(i + 3) % len(HOSTILE)]}")  # noqa: E731
    notes = "".join(f"  {line}\n\n" for line in HOSTILE)
    return (f"name: {text(3)}\non: 2026-02-20\nkind: meetup\nwhere: {text(9)}\n"
            f"url: https://example.org/javascript:alert(1)\ngoals: {text(2)}\n"
            f"people: [eve-hostile]\nnotes: |\n{notes}")


@pytest.fixture(scope="module")
def hostile_repo(canary_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The canary handbook with a person and an event whose every text field is hostile."""
    copy = tmp_path_factory.mktemp("hostile") / "repo"
    shutil.copytree(canary_repo, copy)
    (copy / "handbook" / "contacts" / "eve-hostile.yml").write_text(_hostile_contact(), encoding="utf-8")
    (copy / "handbook" / "events" / "hostile-meetup.yml").write_text(_hostile_event(), encoding="utf-8")
    result = run_cli("check", cwd=copy)
    assert result.returncode == 0, result.stdout + result.stderr
    return copy


@pytest.mark.parametrize("encrypted", [False, True], ids=["clear", "encrypted"])
@pytest.mark.parametrize("handbook", ["example", "hostile"])
def test_escaped_sites_have_no_finding(handbook: str, encrypted: bool, canary_repo: Path, hostile_repo: Path,
                                       tmp_path: Path) -> None:
    """The example, and a handbook whose every field holds markup, scripts, script URLs,
    template syntax and encoded-looking text: built by the real plugin, clear and encrypted,
    the audit finds nothing (escaped text is not live HTML; a tag `JavaScript` is no link)."""
    repo = tmp_path / "repo"
    shutil.copytree(hostile_repo if handbook == "hostile" else canary_repo, repo, ignore=shutil.ignore_patterns("site"))
    if encrypted:
        with (repo / "mkdocs.yml").open("a", encoding="utf-8") as config:
            config.write(SAFE_SETTINGS)
    feed = {} if encrypted else {"HANDBOOK_CALENDAR_SECRET": "feed-secret-0123456789abcdefgh"}  # clear sites only
    result = run_mkdocs("build", "--strict", cwd=repo, HANDBOOK_PASSWORD=PASSWORD, **feed)
    assert result.returncode == 0, result.stderr
    assert encrypted or list((repo / "site").rglob("*.ics"))  # the calendar feed, the hostile event in it
    result = run_cli("audit", "site", cwd=repo)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout
    mode = "encrypted site" if encrypted else "site"
    assert f"of the {mode} audited: 0 findings" in result.stderr
    if handbook == "hostile" and not encrypted:
        page = (repo / "site" / "people" / "eve-hostile" / "index.html").read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the hostile text is on the page, escaped
