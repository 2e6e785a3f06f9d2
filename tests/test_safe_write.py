"""Edits against programs that take no lock: a script appending, an editor saving by rename.
No byte anyone wrote is lost; what cannot be merged is kept next to the file and said so."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from networking_handbook.edit import safe_write, swap

from .conftest import HandbookDir, run_cli

TODAY = {"HANDBOOK_TODAY": "2026-03-01"}
START = "name: Wes\ninteractions:\n  - on: 2026-01-01\n"

# Appends numbered comment lines the way an editor or a script does (open, write, close), in
# bursts with pauses of up to 30 ms, so that edits get through between bursts and bursts start
# at every point of an edit's write; until the file `stop` exists, then prints how many.
WRITER = """
import os, random, sys, time
path, stop = sys.argv[1], sys.argv[2]
number = 0
while not os.path.exists(stop):
    with open(path, "a", encoding="utf-8") as stream:
        stream.write(f"# w {number}\\n")
    number += 1
    if number % 10 == 0:
        time.sleep(random.random() * 0.03)
print(number)
"""


def _logged_notes(text: str) -> list[int]:
    return sorted(int(line.split("note: n")[1]) for line in text.splitlines() if "note: n" in line)


def test_a_writer_that_takes_no_lock_never_loses_a_line(site: HandbookDir, monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    """`handbook log` runs in a loop while another process appends thousands of lines to the same
    file. Every line and every logged interaction is in the file at the end, once, and the file
    is valid; a log is refused only before anything is written, never with a conflict."""
    path = site.contact("wes", START)
    outcomes = {"before": 0, "after": 0, "clean": 0}  # where the writer's bytes were caught
    real_swap = swap._swap

    def counted(*args: object) -> tuple[bytes | None, bytes | None]:
        seen, late = real_swap(*args)  # type: ignore[arg-type]
        outcomes["clean" if late == args[3] else "after" if late is not None else "before"] += 1
        return seen, late

    monkeypatch.setattr(swap, "_swap", counted)
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(stop)], stdout=subprocess.PIPE, text=True)
    logged: list[int] = []
    refused = 0
    start = time.monotonic()
    for number in itertools.count():  # 4 seconds of it (up to 12 if the machine is too busy for 20 logs)
        elapsed = time.monotonic() - start
        if (elapsed > 4 and len(logged) >= 20) or elapsed > 12:
            break
        result = run_cli("log", "wes", "--note", f"n{number}", cwd=site.root, **TODAY)
        if result.returncode == 0:
            logged.append(number)
        else:  # the writer never paused long enough: refused, nothing written
            assert "changed on disk since it was read; nothing was written" in result.stderr, result.stderr
            refused += 1
    stop.touch()
    count = int(writer.communicate(timeout=60)[0])
    text = path.read_text()
    lines = [line for line in text.splitlines() if line.startswith("# w ")]
    assert sorted(int(line[4:]) for line in lines) == list(range(count))  # each once, none lost
    assert _logged_notes(text) == logged and len(logged) >= 20, (len(logged), refused)
    print(f"{count} lines written, {len(logged)} logged, {refused} refused; swaps: {outcomes}")
    assert not [p.name for p in path.parent.iterdir() if p.name != "wes.yml"]  # no temporary, no conflict
    assert run_cli("check", cwd=site.root).returncode == 0


def _late_append(monkeypatch: pytest.MonkeyPatch, path: Path, text: str, *, times: int = 1) -> None:
    """Another program appends `text` to the file just after the last check, before the swap."""
    real = swap._exchange
    calls = []

    def append_then_exchange(first: Path, second: Path) -> bool:
        calls.append(first)
        if len(calls) <= times:
            with path.open("a", encoding="utf-8") as stream:
                stream.write(text.format(len(calls)))
        return real(first, second)

    monkeypatch.setattr(swap, "_exchange", append_then_exchange)


def test_bytes_appended_after_the_check_are_merged_by_making_the_edit_again(
        site: HandbookDir, monkeypatch: pytest.MonkeyPatch) -> None:
    path = site.contact("wes", START)
    _late_append(monkeypatch, path, "location: Lisbon\n")
    result = run_cli("log", "wes", "--note", "n1", cwd=site.root, **TODAY)
    assert result.returncode == 0, result.stderr
    assert path.read_text() == START + "  - on: 2026-03-01\n    note: n1\n" + "location: Lisbon\n"
    assert run_cli("check", cwd=site.root).returncode == 0


def test_a_line_appended_while_the_edit_is_written_is_kept_and_the_edit_made_on_it(
        site: HandbookDir, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile
    path = site.contact("ed", "name: Ed\n")
    real_mkstemp = tempfile.mkstemp
    calls = []

    def editor_appends_once(*args: object, **kwargs: object) -> tuple[int, str]:
        calls.append(1)
        if len(calls) == 1:
            with path.open("a", encoding="utf-8") as stream:
                stream.write("# typed in the editor\n")
        return real_mkstemp(*args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(safe_write.tempfile, "mkstemp", editor_appends_once)
    result = run_cli("log", "ed", "--note", "x", cwd=site.root, **TODAY)
    assert result.returncode == 0, result.stderr
    assert path.read_text() == "name: Ed\ninteractions:\n  - on: 2026-03-01\n    note: x\n# typed in the editor\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["ed.yml"]


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "plain-rename"])
def test_late_appends_are_merged_on_every_attempt(site: HandbookDir, monkeypatch: pytest.MonkeyPatch,
                                                   exchange: bool) -> None:
    """Appends after each of three checks in a row, with the exchange and with the portable rename."""
    if not exchange:
        monkeypatch.setattr(swap, "_exchange", lambda first, second: False)
    path = site.contact("wes", START)
    _late_append(monkeypatch, path, "# late {}\n", times=3)
    result = run_cli("log", "wes", "--note", "n1", cwd=site.root, **TODAY)
    assert result.returncode == 0, result.stderr
    text = path.read_text()
    assert [line for line in text.splitlines() if "late" in line] == ["# late 1", "# late 2", "# late 3"]
    assert "note: n1" in text
    assert sorted(p.name for p in path.parent.iterdir()) == ["wes.yml"]


def test_writes_that_never_stop_are_kept_as_a_conflict_file(site: HandbookDir,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = site.contact("wes", START)
    _late_append(monkeypatch, path, "# late {}\n", times=swap.MERGES)
    result = run_cli("log", "wes", "--note", "n1", cwd=site.root, **TODAY)
    assert result.returncode == 1
    assert "another program wrote to the file while this edit was saved" in result.stderr
    assert "handbook/contacts/wes.yml.conflict" in result.stderr
    kept = path.read_text() + path.with_name("wes.yml.conflict").read_text()
    assert all(f"# late {n}\n" in kept for n in range(1, swap.MERGES + 1)) and "note: n1" in path.read_text()
    check = run_cli("check", cwd=site.root)  # the file left aside is not forgotten
    assert "warning: `wes.yml.conflict` holds what another program wrote to `wes.yml`" in check.stdout


def test_a_late_change_that_is_not_an_append_is_kept_as_a_conflict_file(
        site: HandbookDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor that saves in place (truncate and write) just after the check."""
    path = site.contact("wes", START)
    real = swap._exchange

    def rewrite_then_exchange(first: Path, second: Path) -> bool:
        path.write_text("name: Wes Rewritten\n")
        return real(first, second)

    monkeypatch.setattr(swap, "_exchange", rewrite_then_exchange)
    result = run_cli("log", "wes", "--note", "n1", cwd=site.root, **TODAY)
    assert result.returncode == 1 and "wes.yml.conflict" in result.stderr
    assert path.with_name("wes.yml.conflict").read_text() == "name: Wes Rewritten\n"
    assert "note: n1" in path.read_text()


def test_an_editor_saving_by_rename_just_before_the_swap_keeps_its_file(
        site: HandbookDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its new file replaced ours between the check and the swap: it goes back, the edit is refused."""
    path = site.contact("wes", START)
    real = swap._exchange
    calls = []

    def editor_saves_then_exchange(first: Path, second: Path) -> bool:
        calls.append(first)
        if len(calls) == 1:
            saved = path.with_name(".wes.yml.swp")
            saved.write_text(START + "location: Porto\n")
            os.replace(saved, path)
        return real(first, second)

    monkeypatch.setattr(swap, "_exchange", editor_saves_then_exchange)
    result = run_cli("log", "wes", "--note", "n1", cwd=site.root, **TODAY)
    assert result.returncode == 1
    assert "changed on disk since it was read; nothing was written" in result.stderr
    assert path.read_text() == START + "location: Porto\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["wes.yml"]


def test_a_writer_holding_the_old_file_open_is_waited_for(site: HandbookDir,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A program opened the file before the swap and writes after it: its line is merged."""
    path = site.contact("wes", START)
    real = swap._exchange
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "stream = open(sys.argv[1], 'a')\n"
        "print('open', flush=True)\n"
        "sys.stdin.readline()\n"
        "time.sleep(0.3)\n"
        "stream.write('# written late\\n')\n"
        "stream.close()\n"), str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline() == "open\n"

    def release_the_writer_then_exchange(first: Path, second: Path) -> bool:
        assert holder.stdin is not None
        if not holder.stdin.closed:
            holder.stdin.write("go\n")
            holder.stdin.close()
        return real(first, second)

    monkeypatch.setattr(swap, "_exchange", release_the_writer_then_exchange)
    result = run_cli("log", "wes", "--note", "n1", cwd=site.root, **TODAY)
    assert holder.wait(timeout=10) == 0
    assert result.returncode == 0, result.stderr
    assert "# written late" in path.read_text() and "note: n1" in path.read_text()


def test_an_export_overwritten_late_keeps_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written without an edit to make again (an export): late bytes go to a .conflict file."""
    out = tmp_path / "out.json"
    out.write_text("{}")
    _late_append(monkeypatch, out, " ")
    with pytest.raises(safe_write.EditError, match=r"out\.json\.conflict"):
        safe_write.replace_file(out, b"[]")
    assert out.read_bytes() == b"[]" and (tmp_path / "out.json.conflict").read_bytes() == b"{} "


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device needs root")
def test_an_export_never_replaces_a_device(site: HandbookDir, tmp_path: Path) -> None:
    """As root, renaming over `/dev/null` once made it a regular file (issue 12 item 11); a
    device made here stands in for it."""
    import stat
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    result = run_cli("export", "json", "--out", str(device), cwd=site.root)
    assert result.returncode == 1 and "is a device or socket, not a regular file" in result.stderr
    assert stat.S_ISCHR(os.stat(device).st_mode)
