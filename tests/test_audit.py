"""A site that leaks nothing: the example built with canaries in every private field passes
`handbook audit`; then each kind of leak, planted on purpose, is caught."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

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


def _append(relative: str, text: str) -> Callable[[Path], None]:
    def plant(site: Path) -> None:
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((path.read_text() if path.exists() else "") + text, encoding="utf-8")
    return plant


def _gzipped(site: Path) -> None:
    (site / "assets" / "extra.txt.gz").write_bytes(gzip.compress(f"{CANARY} ana-souza".encode()))


def _json_escaped(site: Path) -> None:
    index = site / "search" / "search_index.json"
    data = json.loads(index.read_text())
    data["docs"].append({"location": "x/", "title": "x", "text": f"{CANARY} ana-souza"})
    index.write_text(json.dumps(data, ensure_ascii=True))  # "Zo\u00eb": found only once decoded


LEAKS = {
    "private in page text": (_append("people/ana-souza/index.html", "<p>Canary &lt;&amp;&gt; &quot;Zo&#235;&quot; "
                                                                    "private-7f3a ana-souza</p>"), "leak"),
    "private in an attribute": (_append("index.html", '<a title="second line ana-souza 9c1d">x</a>'), "leak"),
    "private in the search index": (_json_escaped, "leak"),
    "private in a compressed file": (_gzipped, "leak"),
    "private in a script": (_append("assets/handbook/handbook.js", "// second line diego-alvarez 9c1d\n"), "leak"),
    "private in a file name": (_append("second line ana-souza 9c1d.txt", "x"), "leak in the file name"),
    "sitemap": (_append("sitemap.xml", "<urlset></urlset>"), "sitemap"),
    "compressed sitemap": (lambda site: (site / "sitemap.xml.gz").write_bytes(gzip.compress(b"<urlset/>")), "sitemap"),
    "script from a CDN": (_append("index.html", '<script src="https://cdn.example.com/x.js"></script>'),
                          "external fetch"),
    "web font stylesheet": (_append("index.html", '<link rel="stylesheet" href="//fonts.example.com/css">'),
                            "external fetch"),
    "image from another host": (_append("people/index.html", "<img src=http://tracker.example/p.gif>"),
                                "external fetch"),
    "CSS import": (_append("assets/handbook/handbook.css", "@import 'https://fonts.example.com/x.css';"),
                   "external fetch"),
    "a notes file": (_append("people/ana-souza.yml", "name: Ana\n"), "source file"),
    "a Markdown source": (_append("notes.md", "# notes\n"), "source file"),
    "a cache": (_append(".cache/plugin/encryptcontent/cache", "x"), "source file"),
    "an event handler": (_append("people/ana-souza/index.html", "<img src=x onerror=alert(1)>"), "live HTML"),
    "a javascript link": (_append("people/ana-souza/index.html", '<a href="javascript:alert(1)">x</a>'), "live HTML"),
    "an iframe": (_append("events/index.html", "<iframe></iframe>"), "live HTML"),
}


@pytest.mark.parametrize("leak", sorted(LEAKS))
def test_audit_catches_each_planted_leak(leak: str, built: Path, canary_repo: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built, site)
    plant, kind = LEAKS[leak]
    plant(site)
    result = run_cli("audit", str(site), cwd=canary_repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f": {kind}: " in result.stdout, result.stdout
    assert CANARY not in result.stdout  # findings name the contact, never the private text


def test_encrypted_mode_also_guards_emails_and_phones(built: Path, canary_repo: Path) -> None:
    result = run_cli("audit", "--encrypted", str(built), cwd=canary_repo)
    assert result.returncode == 1
    assert "leak: email of ana-souza" in result.stdout
