"""Entries of the handbook folders that are not readable note files, bounded slugs, and
messages that can carry no control character (issue 12, items 10, 12, 13, 14)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from networking_handbook.core.diagnostics import Diagnostic
from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.identity import MAX_SLUG, is_slug, slugify, tag_slug

from .conftest import HandbookDir, run_cli

CONTACTS = Path("handbook") / "contacts"


def _check(site: HandbookDir) -> tuple[int, str, str]:
    result = run_cli("check", cwd=site.root)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


def _one_problem(site: HandbookDir, name: str, words: str, *, severity: str = "error") -> str:
    code, out, _ = _check(site)
    assert code == (1 if severity == "error" else 0), out
    shown = str(CONTACTS / name)
    line = next(line for line in out.splitlines() if line.startswith(shown))
    assert f"{severity}: " in line and words in line, out
    assert "hint: " in out, out
    return out


def test_a_dangling_symlink_is_an_error(site: HandbookDir) -> None:
    (site.root / CONTACTS / "ghost.yml").symlink_to("nowhere.yml")
    _one_problem(site, "ghost.yml", "symbolic link that points to nothing")


def test_a_symlink_loop_is_an_error(site: HandbookDir) -> None:
    (site.root / CONTACTS / "loop.yml").symlink_to("loop.yml")
    _one_problem(site, "loop.yml", "symbolic link that loops")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_an_error_and_is_not_opened(site: HandbookDir) -> None:
    os.mkfifo(site.root / CONTACTS / "pipe.yml")  # opening it would block for ever
    _one_problem(site, "pipe.yml", "a FIFO (named pipe), not a regular file")


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null here")
def test_a_symlink_to_a_device_is_an_error(site: HandbookDir) -> None:
    (site.root / CONTACTS / "null.yml").symlink_to("/dev/null")
    _one_problem(site, "null.yml", "a device, not a regular file")


def test_a_socket_is_an_error(site: HandbookDir, tmp_path: Path) -> None:
    path = site.root / CONTACTS / "s.yml"
    if len(str(path)) > 100 or not hasattr(socket, "AF_UNIX"):
        pytest.skip("no short enough path for a UNIX socket")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        _one_problem(site, "s.yml", "a socket, not a regular file")


def test_a_folder_named_like_a_note_is_an_error(site: HandbookDir) -> None:
    (site.root / CONTACTS / "ana.yml").mkdir()
    _one_problem(site, "ana.yml", "is a folder, not a note file")


def test_a_subfolder_is_a_warning_that_it_is_not_read(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\n")
    (site.root / CONTACTS / "old").mkdir()
    (site.root / CONTACTS / "old" / "bo.yml").write_text("name: Bo\n")
    (site.root / CONTACTS / ".git").mkdir()  # hidden entries stay unmentioned
    out = _one_problem(site, "old", "the folder `handbook/contacts/old` is not read", severity="warning")
    assert ".git" not in out


def test_contacts_being_a_file_is_an_error(site: HandbookDir) -> None:
    (site.root / CONTACTS).rmdir()
    (site.root / CONTACTS).write_text("name: Ana\n")
    code, out, _ = _check(site)
    assert code == 1
    assert "handbook/contacts: error: `handbook/contacts` is a file, not a folder" in out
    assert "hint: " in out


def test_contacts_being_a_symlink_loop_is_an_error(site: HandbookDir) -> None:
    (site.root / CONTACTS).rmdir()
    (site.root / CONTACTS).symlink_to("contacts")
    code, out, _ = _check(site)
    assert code == 1
    assert "handbook/contacts: error: cannot read the folder `handbook/contacts`" in out
    assert "hint: " in out


def test_a_symlink_to_a_regular_file_is_read(site: HandbookDir, tmp_path: Path) -> None:
    """Inside the handbook folder; one to a file outside it is refused (test_content_safety)."""
    target = site.root / "handbook" / "shared" / "elsewhere.yml"
    target.parent.mkdir()
    target.write_text("name: Ana\n")
    (site.root / CONTACTS / "ana.yml").symlink_to(target)
    code, out, err = _check(site)
    assert code == 0 and out == "", out
    assert "0 errors" in err


def test_a_huge_file_is_refused_from_its_size_without_being_read(site: HandbookDir,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = site.root / CONTACTS / "huge.yml"
    with path.open("wb") as file:
        file.truncate(4 * 1024 ** 3)  # sparse: 4 GiB that take no room
    reads: list[int] = []
    real_open = Path.open

    def counting_open(self: Path, *args: object, **kwargs: object) -> object:
        file = real_open(self, *args, **kwargs)  # type: ignore[call-overload]
        real_read = file.read
        file.read = lambda size=-1: reads.append(size) or real_read(size)  # type: ignore[method-assign]
        return file

    def no_read_bytes(self: Path) -> bytes:
        raise AssertionError(f"{self} read whole")

    monkeypatch.setattr(Path, "read_bytes", no_read_bytes)
    monkeypatch.setattr(Path, "open", counting_open)
    found = load_handbook(site.root / "handbook", site.root).diagnostics
    assert [(d.path, d.message) for d in found] == [
        (str(CONTACTS / "huge.yml"), "the file is 4096.0 MiB; the limit is 1 MiB")]
    assert reads == []


def test_a_file_that_grew_is_read_only_up_to_the_limit(site: HandbookDir) -> None:
    from networking_handbook.core.load import MAX_FILE_BYTES
    path = site.contact("big", "name: Big\nnotes: " + "x" * (MAX_FILE_BYTES + 10) + "\n")
    found = load_handbook(site.root / "handbook", site.root).diagnostics
    assert [d.message for d in found] == ["the file is 1.0 MiB; the limit is 1 MiB"]
    assert path.stat().st_size > MAX_FILE_BYTES


# Item 10: a byte-order mark before a bad byte.
def test_a_bom_and_a_bad_byte_make_due_report_the_right_place(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\n")
    (site.root / CONTACTS / "zoe.yml").write_bytes(b"\xef\xbb\xbf" + "name: Zoë Müller\nrole: Caf".encode()
                                                   + b"\xe9\n")
    for command in (("check",), ("due", "--today", "2026-03-01")):
        result = run_cli(*command, cwd=site.root)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert (f"{CONTACTS / 'zoe.yml'}:2:10: error: the file is not valid UTF-8 (byte 0xe9 at offset 31)"
                in result.stdout + result.stderr)


# Item 12: slugs bounded, reserved ones never made.
def test_slugify_cuts_a_long_name_at_a_word_boundary() -> None:
    name = " ".join(["Wolfeschlegelsteinhausenbergerdorff"] * 9)  # 323 characters
    slug = slugify(name)
    assert is_slug(slug) and len(slug) <= MAX_SLUG
    assert slug == "-".join(["wolfeschlegelsteinhausenbergerdorff"] * 2)
    assert len(slugify("a" * 300)) == MAX_SLUG  # one word too long is cut inside it
    assert slugify("Ana Souza") == "ana-souza"


def test_long_tags_get_short_distinct_slugs() -> None:
    one, two = "x" * 200 + " one", "x" * 200 + " two"
    assert len(tag_slug(one)) <= MAX_SLUG and is_slug(tag_slug(one))
    assert tag_slug(one) != tag_slug(two)
    assert tag_slug(one) == tag_slug(one.upper().replace(" ", "-"))  # still one tag, spelled two ways
    assert tag_slug("Job hunting") == "job-hunting"


def test_a_300_character_tag_builds(site: HandbookDir) -> None:
    site.options("today: 2026-03-01")
    site.contact("ana", f"name: Ana\ntags: [{'t' * 300}]\n")
    code, out, _ = _check(site)
    assert code == 0, out
    from networking_handbook.build import configure, publish
    from networking_handbook.core.site_config import read_site_config
    from networking_handbook.site.urls import docs_files
    config, _ = read_site_config(site.root / "mkdocs.yml", "mkdocs.yml")
    output = publish(configure(config), docs_files(site.root / "docs", site.root, True), site.root)
    assert output.refusals == [] and output.diagnostics == []
    tag_pages = [page.path for page in output.pages if page.path.startswith("tags/") and page.path != "tags/index.md"]
    assert len(tag_pages) == 1 and len(Path(tag_pages[0]).name) < 100


def test_add_index_makes_index_2_which_check_accepts(site: HandbookDir) -> None:
    result = run_cli("add", "Index", cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert (site.root / CONTACTS / "index-2.yml").exists()
    assert not (site.root / CONTACTS / "index.yml").exists()
    assert _check(site)[0] == 0


def test_add_a_very_long_name_makes_a_short_file_name(site: HandbookDir) -> None:
    name = "Maria " * 60
    assert run_cli("add", name.strip(), cwd=site.root).returncode == 0
    assert run_cli("add", name.strip(), cwd=site.root).returncode == 0
    names = sorted(p.name for p in (site.root / CONTACTS).glob("*.yml"))
    assert len(names) == 2 and all(len(n) <= MAX_SLUG + 6 for n in names), names
    assert names[1].endswith("-2.yml") or names[0].endswith("-2.yml")


def test_import_of_a_name_too_long_for_a_file_name(site: HandbookDir, tmp_path: Path) -> None:
    card = tmp_path / "in.vcf"
    long_name = "Ana " + "Longname " * 40
    card.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{long_name.strip()}\r\nEND:VCARD\r\n"
                    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Index\r\nEND:VCARD\r\n", encoding="utf-8")
    result = run_cli("import", "vcard", str(card), cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "2 created" in result.stderr
    assert (site.root / CONTACTS / "index-2.yml").exists()
    assert _check(site)[0] == 0


# Item 14: no message carries a raw control character.
def test_every_diagnostic_escapes_control_characters() -> None:
    diagnostic = Diagnostic("contacts/a\x1b.yml", 1, 1, "unknown key `\x1b[2J`", hint="not `\x07`\u202e")
    assert diagnostic.message == "unknown key `\\x1b[2J`"
    assert diagnostic.hint == "not `\\x07`\\u202e"
    assert diagnostic.path == "contacts/a\\x1b.yml"
    assert "\x1b" not in diagnostic.format()
