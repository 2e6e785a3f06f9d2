"""The cache between runs (core/parse_cache.py): the commands print exactly the same with no
cache, a cold one, a warm one and a damaged one; an edit that keeps the size and modification
time is seen; the cache lives, private, in the user's cache folder."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import time
from pathlib import Path

import pytest

from networking_handbook.core import parse_cache, validate
from networking_handbook.core.handbook import FileCache, load_handbook

from .conftest import REPO, HandbookDir, run_cli, run_mkdocs

TODAY = {"HANDBOOK_TODAY": "2026-03-01"}
CORPUS = Path(__file__).parent / "bad_inputs"
COMMANDS = [("check",), ("check", "--format", "json"), ("due", "--upcoming", "30"), ("due", "--json"),
            ("promises", "--all"), ("network", "--json"), ("export", "json"), ("export", "vcard"),
            ("export", "csv"), ("export", "ics")]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own; files written just now may be kept (no racy wait)."""
    folder = tmp_path / "cache" / "networking-handbook"
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(folder))
    monkeypatch.setattr(parse_cache, "RACY_NS", 0)
    return folder


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed from their bytes (not taken from the cache), as they are parsed."""
    parsed: list[str] = []
    real = validate.parse_file

    def noting(folder: str, data: bytes, display: str, **options: bool) -> validate.ParsedFile:
        parsed.append(display)
        return real(folder, data, display, **options)
    monkeypatch.setattr("networking_handbook.core.handbook.parse_file", noting)
    return parsed


def outputs(root: Path, **env: str) -> list[tuple[int, str, str]]:
    results = [run_cli(*command, cwd=root, **TODAY, **env) for command in COMMANDS]
    return [(result.returncode, result.stdout, result.stderr) for result in results]


def _copy_handbook(source: Path, site: HandbookDir) -> None:
    for folder in ("contacts", "events"):
        shutil.rmtree(site.root / "handbook" / folder)
        shutil.copytree(source / folder, site.root / "handbook" / folder, symlinks=True)


@pytest.mark.parametrize("source", [CORPUS, REPO / "handbook"], ids=["bad_inputs", "example"])
def test_every_command_prints_the_same_without_cache_cold_and_warm(site: HandbookDir, cache_dir: Path,
                                                                    parses: list[str], source: Path) -> None:
    _copy_handbook(source, site)
    files = len(list((site.root / "handbook").glob("*/*")))
    without = outputs(site.root, HANDBOOK_CACHE="off")
    assert not cache_dir.exists()
    parses.clear()
    cold = outputs(site.root)
    assert len(parses) == files  # the first command parses every file, the others none
    parses.clear()
    warm = outputs(site.root)
    assert parses == []
    assert cold == without and warm == without
    elsewhere = outputs(site.root / "docs")  # paths in messages are relative to where a command runs
    assert parses == [] and elsewhere == outputs(site.root / "docs", HANDBOOK_CACHE="off")


def test_an_edit_that_keeps_size_and_modification_time_is_seen(site: HandbookDir, cache_dir: Path) -> None:
    """An editor's save by rename: a new inode and change time, nothing else."""
    ana = site.contact("ana", "name: Ana\nstage: active\n")
    assert run_cli("check", cwd=site.root, **TODAY).returncode == 0
    before = ana.stat()
    replacement = ana.with_name(".ana.yml.swp")
    replacement.write_text("name: Ana\nstage: actine\n", encoding="utf-8")  # the same size
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    replacement.replace(ana)
    assert (ana.stat().st_size, ana.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    result = run_cli("check", cwd=site.root, **TODAY)
    assert result.returncode == 1 and "`actine` is not a valid `stage`" in result.stdout


def test_a_file_changed_within_the_last_seconds_is_not_kept(site: HandbookDir, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Within a tick of a coarse filesystem clock a second write can keep every part of the stamp."""
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(tmp_path / "cache"))
    site.contact("ana", "name: Ana\n")
    site.contact("bo", "name: Bo\n")
    old = site.root / "handbook" / "contacts" / "bo.yml"
    assert run_cli("check", cwd=site.root, **TODAY).returncode == 0
    assert not list((tmp_path / "cache").glob("*.cache"))  # both just written: nothing kept
    monkeypatch.setattr(parse_cache, "RACY_NS", -(os.stat(old).st_ctime_ns - 1))  # as if long ago
    assert run_cli("check", cwd=site.root, **TODAY).returncode == 0
    assert _entries(tmp_path / "cache") == {"contacts/ana.yml", "contacts/bo.yml"}


def _cache_file(folder: Path) -> Path:
    [found] = folder.glob("*.cache")
    return found


def _entries(folder: Path) -> set[str]:
    lines = _cache_file(folder).read_text(encoding="ascii").split("\n")[1:]
    return {json.loads(line.partition("\t")[0].rsplit(" ", 4)[0]) for line in lines if line}


@pytest.fixture
def warm(site: HandbookDir, cache_dir: Path) -> Path:
    """A small handbook with one problem, its cache written; its check output checked."""
    site.event("meetup", "name: Meetup\non: 2026-02-26\n")
    site.contact("ana", "name: Ana\nmet: {at: meetup}\npromises:\n  - {by: me, what: a deck, on: 2026-02-01}\n")
    site.contact("bo", "name: Bo\nmet: {via: cy}\n")
    assert run_cli("check", cwd=site.root, **TODAY).returncode == 1
    return _cache_file(cache_dir)


def parsed_with_cache(root: Path, parses: list[str]) -> list[str]:
    """The files the commands parse with the cache, after checking they print what they do without it."""
    without = outputs(root, HANDBOOK_CACHE="off")
    parses.clear()
    assert outputs(root) == without
    return list(parses)


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # truncated
    lambda data: data.replace(b"Ana", b"Anx"),  # changed, header intact
    lambda data: b"",
    lambda data: b"\x00\xff garbage\n" * 3,
    lambda data: data.replace(b'"format": 1', b'"format": 0'),  # another version's
])
def test_a_damaged_cache_file_is_ignored_and_replaced(site: HandbookDir, warm: Path, parses: list[str],
                                                      damage: object) -> None:
    warm.write_bytes(damage(warm.read_bytes()))  # type: ignore[operator]
    assert "handbook/contacts/ana.yml" in parsed_with_cache(site.root, parses)  # parsed again
    assert parsed_with_cache(site.root, parses) == []  # and kept again


def test_an_entry_this_code_would_not_write_is_parsed_again(site: HandbookDir, warm: Path, parses: list[str]) -> None:
    """A cache of another version with a matching digest (or one edited by hand): entries that do
    not fit are parsed again, never trusted."""
    head, _, body = warm.read_text(encoding="ascii").partition("\n")
    lines = [line.replace('"values": {"name": "Ana"', '"values": {"name": 7') for line in body.split("\n")]
    body = "\n".join(line.replace('"references": [[', '"references": [["x", ') for line in lines)
    header, _, _ = head.rpartition("\t")
    warm.write_text(f"{header}\t{hashlib.blake2b(body.encode()).hexdigest()}\n{body}", encoding="ascii")
    assert {"handbook/contacts/ana.yml", "handbook/contacts/bo.yml"} <= set(parsed_with_cache(site.root, parses))


def test_the_cache_is_private_and_in_the_user_cache_folder(site: HandbookDir, tmp_path_factory: pytest.TempPathFactory,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    xdg = tmp_path_factory.mktemp("xdg")
    monkeypatch.delenv("HANDBOOK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    monkeypatch.setattr(parse_cache, "RACY_NS", 0)
    site.contact("ana", "name: Ana\nprivate: her salary\n")
    before = sorted(p.relative_to(site.root) for p in site.root.rglob("*"))
    assert run_cli("due", cwd=site.root, **TODAY).returncode == 0
    assert sorted(p.relative_to(site.root) for p in site.root.rglob("*")) == before  # nothing in the site
    folder = xdg / "networking-handbook"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(_cache_file(folder).stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir() if not p.name.endswith(".cache")] == []  # no temporary left


def test_a_cache_others_may_write_is_not_trusted(site: HandbookDir, warm: Path, parses: list[str]) -> None:
    warm.chmod(0o666)
    assert "handbook/contacts/ana.yml" in parsed_with_cache(site.root, parses)


def test_a_cache_that_cannot_be_written_changes_nothing(site: HandbookDir, monkeypatch: pytest.MonkeyPatch,
                                                       parses: list[str]) -> None:
    blocker = site.root / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(parse_cache, "RACY_NS", 0)
    site.contact("ana", "name: Ana\nstage: actve\n")
    assert len(parsed_with_cache(site.root, parses)) == len(COMMANDS)  # each command parses the file


def test_a_deleted_file_leaves_the_cache(site: HandbookDir, warm: Path, cache_dir: Path) -> None:
    assert _entries(cache_dir) == {"contacts/ana.yml", "contacts/bo.yml", "events/meetup.yml"}
    (site.root / "handbook" / "contacts" / "bo.yml").unlink()
    assert run_cli("check", cwd=site.root, **TODAY).returncode == 0
    assert _entries(cache_dir) == {"contacts/ana.yml", "events/meetup.yml"}


def test_a_file_cache_that_loads_twice_keeps_every_file(site: HandbookDir, warm: Path, cache_dir: Path) -> None:
    """The second load finds every file in memory: the cache between runs keeps them all the same."""
    cache = FileCache(between_runs=True)
    for _ in range(2):
        load_handbook(site.root / "handbook", site.root, cache)
    assert _entries(cache_dir) == {"contacts/ana.yml", "contacts/bo.yml", "events/meetup.yml"}


def test_no_home_no_cache(site: HandbookDir, monkeypatch: pytest.MonkeyPatch, parses: list[str]) -> None:
    """Without HOME (and no account to find one from), commands run as without a cache."""
    monkeypatch.delenv("HANDBOOK_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def nowhere() -> Path:
        raise RuntimeError("Could not determine home directory.")
    monkeypatch.setattr(Path, "home", nowhere)
    site.contact("ana", "name: Ana\n")
    assert len(parsed_with_cache(site.root, parses)) == len(COMMANDS)


def test_off_writes_no_cache(site: HandbookDir, cache_dir: Path) -> None:
    site.contact("ana", "name: Ana\n")
    assert run_cli("check", cwd=site.root, HANDBOOK_CACHE="off", **TODAY).returncode == 0
    assert not cache_dir.exists()


def test_two_handbooks_keep_two_cache_files(site: HandbookDir, cache_dir: Path, tmp_path: Path) -> None:
    site.contact("ana", "name: Ana\n")
    other = HandbookDir(tmp_path / "other")
    other.contact("bo", "name: Bo\n")
    for root in (site.root, other.root, site.root):
        assert run_cli("check", cwd=root, **TODAY).returncode == 0
    assert len(list(cache_dir.glob("*.cache"))) == 2



def _site_files(site_dir: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site_dir)): path.read_bytes() for path in sorted(site_dir.rglob("*")) if path.is_file()}


def test_a_build_keeps_the_parses_and_builds_the_same_site_with_them(tmp_path: Path) -> None:
    """`mkdocs build` writes the cache and the next build reads it: the sites built with no
    cache, a cold and a warm one are byte for byte the same, and a file edited since is seen."""
    root = tmp_path / "repo"
    shutil.copytree(REPO, root,
                    ignore=shutil.ignore_patterns(".git", ".venv", "site", "*.egg-info", "__pycache__", "tests", "bench"))
    folder = tmp_path / "cache"
    time.sleep(2.1)  # files younger than two seconds are not kept (`parse_cache.RACY_NS`)
    built = {}
    for run, env in (("off", {"HANDBOOK_CACHE": "off"}), ("cold", {}), ("warm", {})):
        result = run_mkdocs("build", "--strict", "-d", str(tmp_path / run), cwd=root, HANDBOOK_CACHE_DIR=str(folder),
                            **TODAY, **env)
        assert result.returncode == 0, result.stderr
        built[run] = _site_files(tmp_path / run)
        assert bool(list(folder.glob("*.cache"))) == (run != "off"), run
    assert built["off"] == built["cold"] == built["warm"]
    contact = next((root / "handbook" / "contacts").glob("*.yml"))
    name = re.search(r"^name: (.+)$", contact.read_text(encoding="utf-8"), re.MULTILINE)
    assert name
    contact.write_text(contact.read_text(encoding="utf-8").replace(name.group(0), "name: Renamed Since"),
                       encoding="utf-8")
    result = run_mkdocs("build", "--strict", "-d", str(tmp_path / "edited"), cwd=root,
                        HANDBOOK_CACHE_DIR=str(folder), **TODAY)
    assert result.returncode == 0, result.stderr
    assert "Renamed Since" in (tmp_path / "edited" / "people" / contact.stem / "index.html").read_text(encoding="utf-8")
