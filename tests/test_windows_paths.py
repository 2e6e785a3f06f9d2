"""The Windows branches of the safe writes, run here with `swap.WINDOWS` set (the module's
reading of `os.name`) and a stand-in for `msvcrt` that behaves as Windows documents it.

Windows has no flock, and cannot rename over a file another program holds open; CI runs the
engine tests on Windows too (.github/workflows/ci.yml), where these branches run for real."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import pytest

from networking_handbook.edit import safe_write, swap
from networking_handbook.edit.safe_write import EditError, WriteFailed, replace_file


class FakeMsvcrt(types.ModuleType):
    LK_LOCK = 1
    LK_UNLCK = 0

    def __init__(self, *, busy: bool = False) -> None:
        super().__init__("msvcrt")
        self.busy = busy
        self.calls: list[tuple[str, int]] = []

    def locking(self, descriptor: int, mode: int, size: int) -> None:
        path = os.readlink(f"/proc/self/fd/{descriptor}") if Path("/proc/self/fd").exists() else "?"
        self.calls.append((path, mode))
        if mode == self.LK_LOCK and self.busy:
            raise OSError(36, "Resource deadlock avoided")  # what msvcrt raises after its 10 tries


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> FakeMsvcrt:
    fake = FakeMsvcrt()
    monkeypatch.setattr(swap, "WINDOWS", True)
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    if safe_write.fcntl is not None:  # on Windows itself there is none
        monkeypatch.setattr(safe_write.fcntl, "flock", _no_flock)
    return fake


def _no_flock(*args: object) -> None:
    raise AssertionError("flock does not exist on Windows")


def test_a_write_takes_and_releases_the_windows_lock_outside_the_users_folder(windows: FakeMsvcrt,
                                                                              tmp_path: Path) -> None:
    target = tmp_path / "notes" / "ana.yml"
    target.parent.mkdir()
    target.write_bytes(b"name: Ana\n")
    replace_file(target, b"name: Ana Souza\n")
    assert target.read_bytes() == b"name: Ana Souza\n"
    assert [mode for _, mode in windows.calls] == [FakeMsvcrt.LK_LOCK, FakeMsvcrt.LK_UNLCK]
    assert sorted(path.name for path in target.parent.iterdir()) == ["ana.yml"], "no lock file in the folder"
    if Path("/proc/self/fd").exists():
        lock = windows.calls[0][0]
        assert Path(lock).parent == Path(safe_write.tempfile.gettempdir())
        assert Path(lock).name.startswith("networking-handbook-")


def test_a_folder_locked_by_another_command_is_refused_with_nothing_written(windows: FakeMsvcrt,
                                                                            tmp_path: Path) -> None:
    windows.busy = True
    target = tmp_path / "ana.yml"
    target.write_bytes(b"name: Ana\n")
    with pytest.raises(EditError, match=r"another handbook command has been editing .* nothing was written"):
        replace_file(target, b"name: Ana Souza\n")
    assert target.read_bytes() == b"name: Ana\n"
    assert [path.name for path in tmp_path.iterdir()] == ["ana.yml"]


def test_a_file_held_open_is_retried_then_refused_with_a_clear_message(windows: FakeMsvcrt, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "ana.yml"
    target.write_bytes(b"name: Ana\n")
    real_replace = os.replace
    attempts = []

    def held_open(source: str, destination: Path) -> None:
        attempts.append(source)
        if len(attempts) < 3:  # an indexer lets go after two tries
            raise PermissionError(13, "The process cannot access the file")
        real_replace(source, destination)

    monkeypatch.setattr(swap.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(safe_write.os, "replace", held_open)
    replace_file(target, b"name: Ana Souza\n")
    assert target.read_bytes() == b"name: Ana Souza\n" and len(attempts) == 3

    def always_open(source: str, destination: Path) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(safe_write.os, "replace", always_open)
    with pytest.raises(EditError, match="open in another program, and Windows cannot replace an open file"):
        replace_file(target, b"name: Someone else\n")
    assert target.read_bytes() == b"name: Ana Souza\n"
    assert [path.name for path in tmp_path.iterdir()] == ["ana.yml"], "the temporary file is removed"


def test_on_posix_a_refused_rename_fails_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(swap, "WINDOWS", False)
    monkeypatch.setattr(swap, "_exchange", lambda first, second: False)  # macOS: no renameat2, a plain rename
    target = tmp_path / "ana.yml"
    target.write_bytes(b"name: Ana\n")
    calls = []

    def refused(source: str, destination: Path) -> None:
        calls.append(source)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(safe_write.os, "replace", refused)
    with pytest.raises(WriteFailed, match="Permission denied; nothing was written"):
        replace_file(target, b"name: Ana Souza\n")
    assert len(calls) == 1
