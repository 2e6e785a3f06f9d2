"""The optional encryption layer: safe settings from `handbook init --encrypt`, refusals of
unsafe ones, and person pages whose URLs and titles reveal no names."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from pathlib import Path

import pytest

from networking_handbook.build import configure
from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.site_config import read_site_config
from networking_handbook.hosting.audit import names_in_clear, names_of
from networking_handbook.site.structure import opaque_id

from .conftest import init_cli, run_cli, run_mkdocs

PASSWORD = "Tr0ub4dor-correct-horse-battery-staple-9f2c"  # over the 100 bits encryptcontent asks for


@pytest.fixture(scope="module")
def encrypted_handbook(tmp_path_factory: pytest.TempPathFactory, package_index: Path) -> Path:
    root = tmp_path_factory.mktemp("encrypted") / "handbook-site"
    result = init_cli("--encrypt", str(root), index=package_index, cwd=root.parent)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def encrypted_site(encrypted_handbook: Path) -> Path:
    result = run_mkdocs("build", "--strict", cwd=encrypted_handbook, HANDBOOK_PASSWORD=PASSWORD)
    assert result.returncode == 0, result.stderr
    return encrypted_handbook / "site"


def test_person_and_event_pages_hide_names_in_urls_titles_and_navigation(encrypted_site: Path) -> None:
    for folder, title in (("people", "Person"), ("events", "Event")):
        pages = [p.name for p in (encrypted_site / folder).iterdir() if p.is_dir()]
        assert len(pages) == 1 and re.fullmatch(r"[0-9a-f]{16}", pages[0])
        page = (encrypted_site / folder / pages[0] / "index.html").read_text()
        assert re.search(rf"<title>{title} [0-9a-f]{{16}} - ", page)
    for path in encrypted_site.rglob("*"):
        assert "alex" not in path.as_posix().lower() and "meetup" not in path.as_posix().lower()
        if path.suffix in (".html", ".json", ".xml", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "Alex Example" not in text and "alex@example.org" not in text, path
            assert "First meetup" not in text, path


def test_nothing_outside_the_ciphertext_names_a_person_event_or_tag(
        encrypted_site: Path, encrypted_handbook: Path) -> None:
    """URLs, file names, `<title>`, ids and anchors, tables of contents, search indexes and
    feeds: where the theme shows a page's heading (the "Skip to content" link, the table of
    contents), tag pages and their titles."""
    handbook = load_handbook(encrypted_handbook / "handbook", encrypted_handbook).handbook
    assert {"Alex Example", "alex-example", "mentor", "First meetup", "first-meetup"} <= {
        text for _, text in names_of(handbook)}
    assert [finding.format() for finding in names_in_clear(encrypted_site, handbook)] == []
    [tag_page] = [p for p in (encrypted_site / "tags").iterdir() if p.is_dir()]
    assert re.fullmatch(r"[0-9a-f]{16}", tag_page.name)
    assert re.search(r"<title>Tag [0-9a-f]{16} - ", (tag_page / "index.html").read_text())
    for folder in ("people", "events"):
        [page] = [p for p in (encrypted_site / folder).iterdir() if p.is_dir()]
        text = (page / "index.html").read_text()
        assert '<a href="#page" class="md-skip">' in text
        assert re.search(r'data-md-type="toc"\s+hidden', text)


def _cheap_ids(password: str, name: str) -> set[str]:
    """What a page id would be under derivations cheaper than the page encryption's KDF."""
    keys = [password.encode(), hashlib.sha256(password.encode()).digest(),
            hashlib.sha256(password.encode()).hexdigest().encode()]
    found = set()
    for key in keys:
        for message in (name, name.split("/")[1]):
            digest = hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
            found |= {digest[:16], digest[-16:], hashlib.sha256(key + message.encode()).hexdigest()[:16]}
    return found


def test_page_ids_cost_a_guess_as_much_as_the_page_encryption(
        encrypted_site: Path, encrypted_handbook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One page URL and a guessable slug must not let anyone test passwords faster than the
    pages' own PBKDF2: the ids' key is derived once per build with at least its iterations."""
    derivations: list[tuple[bytes, int]] = []
    pbkdf2 = hashlib.pbkdf2_hmac

    def spy(name: str, password: bytes, salt: bytes, iterations: int, dklen: int | None = None) -> bytes:
        derivations.append((password, iterations))
        return pbkdf2(name, password, salt, iterations, dklen)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", spy)
    monkeypatch.setenv("HANDBOOK_PASSWORD", PASSWORD)
    site, _ = read_site_config(encrypted_handbook / "mkdocs.yml", "mkdocs.yml")
    setup = configure(site)
    assert setup.opaque_key and site.encryption
    assert derivations == [(PASSWORD.encode(), derivations[0][1])]  # once per build, from the password
    assert derivations[0][1] >= 10 ** site.encryption["kdf_pow"] >= 10**6
    for folder, slug in (("people", "alex-example"), ("events", "first-meetup")):
        [page] = [p.name for p in (encrypted_site / folder).iterdir() if p.is_dir()]
        assert page == opaque_id(setup.opaque_key, f"{folder}/{slug}")
        assert page not in _cheap_ids(PASSWORD, f"{folder}/{slug}")


def test_encrypted_pages_are_searchable_only_in_the_encrypted_index(encrypted_site: Path) -> None:
    index = json.loads((encrypted_site / "search" / "search_index.json").read_text())
    assert index["docs"] == []  # every page is encrypted, so nothing is indexed in clear
    locked = json.loads((encrypted_site / "search" / "encrypted_search_index.json").read_text())
    assert locked and all(re.fullmatch(r"[A-Za-z0-9+/=]+;[A-Za-z0-9+/=]+", bundle) for bundle in locked.values())
    # The script that opens them once unlocked runs before the theme's search (browser-tested).
    head = (encrypted_site / "people" / "index.html").read_text().split("</head>")[0]
    assert '<script src="../assets/handbook/unlocked-search.js"></script>' in head
    assert head.index("unlocked-search.js") < head.index("<title>")


def test_search_can_leave_encrypted_pages_out_entirely(encrypted_handbook: Path, tmp_path: Path) -> None:
    config = encrypted_handbook / "mkdocs.yml"
    original = config.read_text()
    try:
        config.write_text(original.replace("search_index: dynamically", "search_index: encrypted"))
        result = run_mkdocs("build", "--strict", "-d", str(tmp_path / "site"), cwd=encrypted_handbook,
                            HANDBOOK_PASSWORD=PASSWORD)
    finally:
        config.write_text(original)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "site" / "search" / "search_index.json").read_text())["docs"] == []
    assert not (tmp_path / "site" / "search" / "encrypted_search_index.json").exists()
    assert not (tmp_path / "site" / "assets" / "handbook" / "unlocked-search.js").exists()


def test_audit_detects_the_encrypted_mode_and_finds_nothing(encrypted_site: Path, encrypted_handbook: Path) -> None:
    result = run_cli("audit", "site", cwd=encrypted_handbook)
    assert result.returncode == 0, result.stdout
    assert "of the encrypted site audited: 0 findings" in result.stderr


UNSAFE = {
    "weak key derivation": (("kdf_pow: 6", "kdf_pow: 5"), "set `kdf_pow: 6` or more"),
    "search index in clear": (("search_index: dynamically", "search_index: clear"),
                              "set `search_index: dynamically` (or `encrypted`)"),
    "search without the tab's keys": (("webcrypto: true", "webcrypto: true\n      remember_keys: false"),
                                       "keep `remember_keys: true` with `search_index: dynamically`"),
    "password in the file": (("global_password: !ENV HANDBOOK_PASSWORD", f"global_password: {PASSWORD}"),
                             "the password must come from the environment"),
    "crypto from a CDN": (("webcrypto: true", "webcrypto: false"), "keep `webcrypto: true`"),
    "offline search": (("  - search\n", "  - search\n  - offline\n"),
                       "the offline plugin builds a search index outside the encryption"),
}


@pytest.mark.parametrize("case", sorted(UNSAFE))
def test_unsafe_encryption_settings_are_refused(case: str, encrypted_handbook: Path, tmp_path: Path) -> None:
    (old, new), message = UNSAFE[case]
    config = encrypted_handbook / "mkdocs.yml"
    original = config.read_text()
    assert old in original
    try:
        config.write_text(original.replace(old, new))
        result = run_mkdocs("build", "-d", str(tmp_path / "site"), cwd=encrypted_handbook, HANDBOOK_PASSWORD=PASSWORD)
    finally:
        config.write_text(original)
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines()
            if re.match(r"mkdocs\.yml:\d+:\d+: error: the encryption settings are not safe: ", line) and message in line
            ], result.stderr


def test_no_file_of_the_site_folder_holds_the_password(encrypted_site: Path, encrypted_handbook: Path) -> None:
    """encryptcontent's cache would keep the password as a YAML key: it is switched off."""
    assert encrypted_site.is_dir()
    holding = [path for path in encrypted_handbook.rglob("*")
               if path.is_file() and PASSWORD.encode() in path.read_bytes()]
    assert holding == []


@pytest.mark.parametrize("setting", ['cache_file: .cache/encryptcontent.cache', None])
def test_the_encryption_cache_is_refused(setting: str | None, encrypted_handbook: Path, tmp_path: Path) -> None:
    config = encrypted_handbook / "mkdocs.yml"
    original = config.read_text()
    try:
        config.write_text(original.replace('      cache_file: ""', f"      {setting}" if setting else ""))
        result = run_mkdocs("build", "-d", str(tmp_path / "site"), cwd=encrypted_handbook, HANDBOOK_PASSWORD=PASSWORD)
    finally:
        config.write_text(original)
    assert result.returncode == 1
    assert "set `cache_file: \"\"`: encryptcontent's cache keeps the password itself" in result.stderr, result.stderr


def test_a_missing_password_is_a_clear_error(encrypted_handbook: Path, tmp_path: Path) -> None:
    result = run_mkdocs("build", "-d", str(tmp_path / "site"), cwd=encrypted_handbook)
    assert result.returncode == 1
    assert "export HANDBOOK_PASSWORD" in result.stderr


def test_check_warns_of_a_missing_password_that_the_build_refuses(encrypted_handbook: Path, tmp_path: Path) -> None:
    """The author's shell need not hold the build's secret: `handbook check` (the pre-commit
    hook) warns, `mkdocs build` fails, and both name the same line of mkdocs.yml."""
    checked = run_cli("check", cwd=encrypted_handbook)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    [warning] = [line for line in checked.stdout.splitlines() if ": warning: " in line]
    assert re.fullmatch(r"mkdocs\.yml:\d+:\d+: warning: the encryption password is not set: export "
                        r"HANDBOOK_PASSWORD \(mkdocs\.yml reads it with `!ENV HANDBOOK_PASSWORD`\)", warning)
    built = run_mkdocs("build", "-d", str(tmp_path / "site"), cwd=encrypted_handbook)
    assert warning.replace(": warning: ", ": error: ") in built.stderr.splitlines()
    assert run_cli("check", cwd=encrypted_handbook, HANDBOOK_PASSWORD=PASSWORD).stdout == ""


def test_generate_warns_that_its_pages_are_not_encrypted(encrypted_handbook: Path, tmp_path: Path) -> None:
    """The generated folder is plain Markdown: only a build running encryptcontent encrypts it."""
    result = run_cli("generate", "--out", str(tmp_path / "out"), cwd=encrypted_handbook, HANDBOOK_PASSWORD=PASSWORD)
    assert result.returncode == 0, result.stderr
    assert "warning: this site is encrypted, but the pages in" in result.stderr
    assert "publishes every page unencrypted" in result.stderr
