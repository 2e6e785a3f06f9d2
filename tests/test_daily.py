"""The daily commands as a user runs them; every edited file compared whole, before and after."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from networking_handbook.edit.safe_write import EditError, replace_file
from networking_handbook.edit.yaml_text import NoteText

from .conftest import HandbookDir, run_cli, run_cli_process

TODAY = {"HANDBOOK_TODAY": "2026-03-01"}

ORIGINAL = """\
# yaml-language-server: $schema=../schemas/contact.schema.json
name: "Ana Souza"   # she prefers Ana
company: 'Lumen Labs'

tags: [mentor, "friends-family"]
interactions:
  # oldest first, as I like it
  - on: 2026-01-05
    kind: coffee
    note: >
      Long chat about
      hiring.

  - {on: 2026-02-01, kind: email}   # thanked her
promises:
  - by: them
    what: intro to Bo
    on: 2026-02-01
notes: |
  Likes *trail running*.
"""


@pytest.fixture
def ana(site: HandbookDir) -> Path:
    site.event("meetup", "name: Meetup\non: 2026-02-26\n")
    site.contact("bo", "name: Bo\n")
    return site.contact("ana-souza", ORIGINAL)


def test_a_promise_kept_twice_is_refused(site: HandbookDir, ana: Path) -> None:
    assert run_cli("done", "ana-souza", "1", "--on", "2026-03-02", cwd=site.root, **TODAY).returncode == 0
    kept = ana.read_bytes()
    again = run_cli("done", "ana-souza", "1", cwd=site.root, **TODAY)
    assert again.returncode == 1 and "already done on 2026-03-02" in again.stderr
    assert ana.read_bytes() == kept


EDIT_CASES = Path(__file__).parent / "edit_cases"


@pytest.mark.parametrize("case", sorted(p for p in EDIT_CASES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_edit_case(case: Path, site: HandbookDir) -> None:
    """Each folder of edit_cases/ is a file before, a command (one argument a line), and the
    file after, byte for byte; `context/` holds other files the handbook needs, `stdout` what
    the command prints. The edited file is the contact the command names; after the edit the
    handbook still checks clean. Adding a case is adding a folder."""
    command = (case / "command").read_text(encoding="utf-8").splitlines()
    for path in (case / "context").rglob("*.yml") if (case / "context").exists() else ():
        target = site.root / "handbook" / path.relative_to(case / "context")
        target.write_bytes(path.read_bytes())
    note = site.root / "handbook" / "contacts" / f"{command[1]}.yml"
    note.write_bytes((case / "before.yml").read_bytes())
    result = run_cli(*command, cwd=site.root, **TODAY)
    assert result.returncode == 0, result.stderr
    if (case / "stdout").exists():
        assert result.stdout == (case / "stdout").read_text(encoding="utf-8")
    assert note.read_bytes() == (case / "after.yml").read_bytes()
    check = run_cli("check", cwd=site.root)
    assert check.returncode == 0, check.stdout


def test_add_creates_a_valid_file_with_a_unique_transliterated_slug(site: HandbookDir) -> None:
    site.event("meetup", "name: Meetup\non: 2026-02-26\n")
    site.contact("zoe-muller", "name: Zoe Muller\n")
    result = run_cli("add", "Zoë Müller", "--at", "meetup", "--tag", "mentor", "--tag", "friends-family",
                     "--email", "zoe@example.org", "--how", "Asked: about #hiring", cwd=site.root, **TODAY)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "handbook/contacts/zoe-muller-2.yml\n"
    assert (site.root / "handbook" / "contacts" / "zoe-muller-2.yml").read_text() == (
        "# yaml-language-server: $schema=../schemas/contact.schema.json\n"
        "name: Zoë Müller\n"
        "emails:\n  - zoe@example.org\n"
        "tags:\n  - mentor\n  - friends-family\n"
        "met:\n  on: 2026-03-01\n  at: meetup\n  how: \"Asked: about #hiring\"\n")
    assert (site.root / "handbook" / "schemas" / "contact.schema.json").exists()
    assert run_cli("check", cwd=site.root).returncode == 0
    due = run_cli("due", "--upcoming", "1", cwd=site.root, **TODAY).stdout
    assert "follow-up-new  zoe-muller-2" in due


def test_add_with_knows_lists_them_once(site: HandbookDir) -> None:
    site.contact("bo", "name: Bo\n")
    site.contact("cy", "name: Cy\n")
    result = run_cli("add", "Dee", "--knows", "bo", "--knows", "cy", "--knows", "bo", cwd=site.root, **TODAY)
    assert result.returncode == 0, result.stderr
    assert (site.root / "handbook" / "contacts" / "dee.yml").read_text().endswith(
        "name: Dee\nmet:\n  on: 2026-03-01\nknows:\n  - bo\n  - cy\n")
    assert run_cli("check", cwd=site.root).returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "ana-sousa"], "no contact `ana-sousa`: did you mean `ana-souza`?"),
        (["log", "ana-souza", "--event", "meetpu"], "no event `meetpu`: did you mean `meetup`?"),
        (["log", "ana-souza", "--with", "boo"], "no contact `boo`: did you mean `bo`?"),
        (["add", "Dee", "--via", "ana"], "no contact `ana`"),
        (["add", "Dee", "--knows", "boo"], "no contact `boo`: did you mean `bo`?"),
        (["log", "ana-souza", "--knows", "boo"], "no contact `boo`: did you mean `bo`?"),
        (["log", "ana-souza", "--knows", "ana-souza"], "nobody is listed in their own `knows`"),
        (["done", "ana-souza", "3"], "ana-souza has 1 promise, so there is no number 3; the open ones"),
        (["log", "ana-souza", "--on", "2026-02-30"], "`2026-02-30` is not a real date"),
        (["log", "ana-souza", "--event", "../contacts/bo"], "`../contacts/bo` is not a slug"),
        (["log", "ana-souza", "--with", "../events/meetup"], "`../events/meetup` is not a slug"),
        (["log", "../events/meetup"], "`../events/meetup` is not a slug"),
        (["add", "Dee", "--at", "../contacts/bo"], "`../contacts/bo` is not a slug"),
        (["log", "ana-souza", "--note", "bad\udcff"], "the argument `bad\\xff` is not valid UTF-8"),
    ],
)
def test_refusals_leave_every_file_unchanged(site: HandbookDir, ana: Path, args: list[str], message: str) -> None:
    before = {p: p.read_bytes() for p in site.root.rglob("*") if p.is_file()}
    # Bytes that are not UTF-8 reach a command only through a real process's arguments.
    undecodable = any(not arg.isprintable() for arg in args)
    result = (run_cli_process if undecodable else run_cli)(*args, cwd=site.root, **TODAY)
    assert result.returncode in (1, 2)
    assert message in result.stderr
    assert {p: p.read_bytes() for p in site.root.rglob("*") if p.is_file()} == before


def test_a_file_with_errors_is_not_edited(site: HandbookDir) -> None:
    path = site.contact("bad", "name: Bad\nstage: sleeping\n")
    result = run_cli("log", "bad", cwd=site.root, **TODAY)
    assert result.returncode == 1
    assert "handbook/contacts/bad.yml has errors; fix them first" in result.stderr
    assert path.read_text() == "name: Bad\nstage: sleeping\n"


def test_nothing_is_written_if_the_file_changed_since_it_was_read(site: HandbookDir, ana: Path) -> None:
    note = NoteText.read(ana, "ana-souza.yml")
    note.add_item((), "interactions", [("on", "2026-03-01")])
    ana.write_text(ORIGINAL + "location: Lisbon\n")  # someone else saved meanwhile
    with pytest.raises(EditError, match="changed on disk since it was read; nothing was written"):
        note.write(lambda data: [])
    assert ana.read_text() == ORIGINAL + "location: Lisbon\n"
    assert sorted(p.name for p in ana.parent.iterdir()) == ["ana-souza.yml", "bo.yml"]  # no temporary left


def test_an_edit_that_would_break_the_file_is_not_written(site: HandbookDir, ana: Path) -> None:
    note = NoteText.read(ana, "ana-souza.yml")
    note.add_key((), "stage", "sleeping")
    from networking_handbook.core.validate import parse_file
    with pytest.raises(EditError, match="would make the file invalid"):
        note.write(lambda data: parse_file("contacts", data, "ana-souza.yml").diagnostics)
    assert ana.read_text() == ORIGINAL


def test_init_makes_a_handbook_that_builds_at_once_and_never_overwrites(tmp_path: Path, package_index: Path) -> None:
    from .conftest import init_cli, run_mkdocs
    target = tmp_path / "mine"
    result = init_cli(str(target), index=package_index, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert files == [".github/workflows/handbook-site.yml", ".gitignore", ".gitlab-ci.yml",
                     "docs_src/index.md", "handbook/contacts/alex-example.yml",
                     "handbook/events/first-meetup.yml", "handbook/schemas/contact.schema.json",
                     "handbook/schemas/event.schema.json", "mkdocs.yml", "requirements.txt"]
    assert "mkdocs-material==" in (target / "requirements.txt").read_text()
    assert "font: false" in (target / "mkdocs.yml").read_text()
    assert oct((target / "mkdocs.yml").stat().st_mode & 0o777) != oct(0o600)
    assert run_cli("check", cwd=target).returncode == 0
    build = run_mkdocs("build", "--strict", cwd=target)
    assert build.returncode == 0, build.stderr
    assert "Alex Example" in (target / "site" / "people" / "alex-example" / "index.html").read_text()
    home = (target / "site" / "index.html").read_text()
    assert 'id="today"' in home and " to do today</strong>" in home and "handbook:today" not in home

    (target / "mkdocs.yml").write_text("site_name: mine, edited\n")
    again = init_cli(str(target), index=package_index, cwd=tmp_path)
    assert again.returncode == 1
    assert "nothing was written" in again.stderr
    assert (target / "mkdocs.yml").read_text() == "site_name: mine, edited\n"


def test_concurrent_edits_of_one_file_lose_nothing(site: HandbookDir) -> None:
    import subprocess
    import sys

    from .conftest import clean_env
    path = site.contact("conc", "name: Conc\ninteractions:\n  - on: 2026-01-01\n")
    runs = [subprocess.Popen([sys.executable, "-m", "networking_handbook", "log", "conc", "--note", f"n{i}"],
                             cwd=site.root, env=clean_env(**TODAY), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for i in range(8)]
    results = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    logged = [i for i, (code, _) in enumerate(results) if code == 0]
    refused = [error for code, error in results if code != 0]
    assert logged, refused
    assert all("changed on disk since it was read; nothing was written" in error for error in refused)
    text = path.read_text()
    assert sorted(int(line.split("n")[-1]) for line in text.splitlines() if "note: n" in line) == logged
    assert run_cli("check", cwd=site.root).returncode == 0


def test_values_with_yaml_line_breaks_read_back_exactly(site: HandbookDir) -> None:
    import json
    site.contact("nel", "name: Nel\n")
    note = "a\u2028b\u2029c"  # line breaks to YAML, not to JSON: written escaped
    assert run_cli("log", "nel", "--note", note, cwd=site.root, **TODAY).returncode == 0
    contacts = json.loads(run_cli("export", "json", cwd=site.root).stdout)["contacts"]
    assert contacts["nel"]["interactions"][0]["note"] == note
    refused = run_cli("log", "nel", "--note", "a\u0085b", cwd=site.root, **TODAY)  # NEL is a control character
    assert refused.returncode == 1 and "the control character U+0085" in refused.stderr


def test_an_edit_never_changes_a_block_of_text_at_the_end_of_the_file(site: HandbookDir) -> None:
    original = "name: Bs\ninteractions:\n  - on: 2026-01-01\n    note: |\n      hello\n      world"
    path = site.contact("bs", original)
    result = run_cli("log", "bs", "--note", "x", cwd=site.root, **TODAY)
    assert result.returncode == 1
    assert "would change text already in the file" in result.stderr
    assert path.read_text() == original


def test_read_only_files_are_refused(site: HandbookDir) -> None:
    locked = site.contact("ro", "name: Ro\n")
    locked.chmod(0o444)  # refused even for root, who could write it
    result = run_cli("log", "ro", cwd=site.root, **TODAY)
    assert result.returncode == 1 and "is read-only; nothing was written" in result.stderr
    assert locked.read_text() == "name: Ro\n"


def test_a_symbolic_link_is_followed_not_replaced(site: HandbookDir, tmp_path: Path) -> None:
    target = site.root / "handbook" / "shared" / "elsewhere.yml"  # inside the handbook: a link out is refused
    target.parent.mkdir()
    target.write_text("name: Ln\n")
    link = site.root / "handbook" / "contacts" / "ln.yml"
    link.symlink_to(target)
    assert run_cli("log", "ln", cwd=site.root, **TODAY).returncode == 0
    assert link.is_symlink() and "on: 2026-03-01" in target.read_text()


def test_file_system_problems_are_clear_errors(site: HandbookDir, tmp_path: Path) -> None:
    result = run_cli("export", "json", "--out", str(tmp_path / "missing" / "x.json"), cwd=site.root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "No such file or directory; nothing was written" in result.stderr
    blocked = tmp_path / "blocked"
    (blocked / "handbook").mkdir(parents=True)
    (blocked / "handbook" / "contacts").write_text("not a folder")
    result = run_cli("init", str(blocked), cwd=tmp_path)
    assert result.returncode == 1 and "nothing was written" in result.stderr
    assert sorted(p.relative_to(blocked).as_posix() for p in blocked.rglob("*")) == ["handbook", "handbook/contacts"]


def test_an_export_never_replaces_a_pipe_or_a_folder(site: HandbookDir, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    to_pipe = run_cli_process("export", "json", "--out", str(pipe), cwd=site.root)  # reading it would hang
    assert to_pipe.returncode == 1 and "is a pipe, not a regular file; nothing was written" in to_pipe.stderr
    to_folder = run_cli("export", "json", "--out", str(folder), cwd=site.root)
    assert to_folder.returncode == 2 and "is a directory" in to_folder.stderr
    with pytest.raises(EditError, match="is a folder, not a regular file"):
        replace_file(folder, b"{}")
    assert stat.S_ISFIFO(os.stat(pipe).st_mode) and folder.is_dir()
    dash = run_cli("export", "json", "--out", "-", cwd=site.root)
    assert dash.returncode == 0 and json.loads(dash.stdout)["contacts"] == {}


def test_init_writes_every_file_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk that fills up halfway leaves no half scaffold, and a retry then works."""
    from networking_handbook.edit import scaffold
    monkeypatch.setattr(scaffold, "lock_site", lambda *args, **kwargs: [])
    real_write = scaffold.write_atomically
    calls = []

    def full_disk_at_the_fourth_file(path: Path, data: bytes, **kwargs: object) -> None:
        calls.append(path)
        if len(calls) == 4:
            raise EditError(f"cannot write {path}: No space left on device; nothing was written")
        real_write(path, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(scaffold, "write_atomically", full_disk_at_the_fourth_file)
    target = tmp_path / "new"
    with pytest.raises(EditError, match="No space left on device"):
        scaffold.init_handbook(target)
    assert len(calls) == 4 and not target.exists()
    monkeypatch.setattr(scaffold, "write_atomically", real_write)
    written = scaffold.init_handbook(target)
    assert all(path.is_file() for path in written) and (target / "mkdocs.yml").exists()


def test_a_save_while_the_edit_is_written_is_never_lost(site: HandbookDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor that takes no lock saves while `log` writes its temporary file: the change is
    seen by the check made after the sync, just before the rename, and nothing is replaced.
    (A save that only appends is merged instead: tests/test_safe_write.py.)"""
    import tempfile

    from networking_handbook.edit import safe_write
    path = site.contact("ed", "name: Ed\n")
    real_mkstemp = tempfile.mkstemp

    def editor_saves_meanwhile(*args: object, **kwargs: object) -> tuple[int, str]:
        path.write_text("name: Ed  # typed in the editor\n")
        return real_mkstemp(*args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(safe_write.tempfile, "mkstemp", editor_saves_meanwhile)
    result = run_cli("log", "ed", "--note", "x", cwd=site.root, **TODAY)
    assert result.returncode == 1 and "changed on disk since it was read; nothing was written" in result.stderr
    assert path.read_text() == "name: Ed  # typed in the editor\n"
    assert not [p for p in path.parent.iterdir() if p.suffix == ".tmp"]
