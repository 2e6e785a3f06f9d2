"""Commands on a really full disk (a tiny tmpfs, so root only; elsewhere skipped, and
tests/test_import_cli.py and test_daily.py inject the same fault): exit 1 with the file in the
message, no file half written (each is whole or absent, no temporary left), and a retry works
once there is room again. Filled to the last page, and with one to three pages left, so the
disk runs out at different files of a command."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from networking_handbook.core.schema import SCHEMA_FILES, schema_text
from networking_handbook.edit import scaffold

from .conftest import HandbookDir, run_cli
from .test_import_cli import _vcf

PAGE = 4096


class Disk:
    """A 512 KiB tmpfs, a filler file taking its space, and the handbook in it."""

    def __init__(self, mount: Path) -> None:
        self.mount = mount
        self.filler = mount / "filler"
        self.handbook = HandbookDir(mount / "site")

    def fill(self, pages_left: int) -> None:
        descriptor = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            while os.write(descriptor, b"\0" * PAGE):
                pass
        except OSError:
            pass  # full
        finally:
            os.close(descriptor)
        if pages_left:
            os.truncate(self.filler, self.filler.stat().st_size - pages_left * PAGE)

    def free(self) -> None:
        self.filler.unlink()

    def files(self) -> dict[str, bytes]:
        return {p.relative_to(self.mount).as_posix(): p.read_bytes()
                for p in self.mount.rglob("*") if p.is_file() and p != self.filler}


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Disk]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield Disk(mount)
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def _nothing_half_written(disk: Disk, before: dict[str, bytes]) -> None:
    """Every file is as before or whole: complete schemas, notes that all pass `check`."""
    for name, data in disk.files().items():
        assert not name.endswith(".tmp") and data, name
        if name.endswith(".schema.json"):
            kind = next(k for k, n in SCHEMA_FILES.items() if name.endswith(n))
            assert data == schema_text(kind).encode("utf-8"), name
        else:
            assert name in before or name.startswith("site/handbook/contacts/"), name
    check = run_cli("check", cwd=disk.handbook.root)
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("pages_left", [0, 1, 2, 3])
def test_add_on_a_full_disk(disk: Disk, pages_left: int) -> None:
    """`add` writes the schemas too (a full disk once left a 0-byte schema for good)."""
    disk.handbook.contact("bo", "name: Bo\n")
    before = disk.files()
    disk.fill(pages_left)
    result = run_cli("add", "Ana Souza", cwd=disk.handbook.root)
    assert result.returncode == 1, result.stdout
    assert "No space left on device; nothing was written" in result.stderr
    assert "cannot write handbook/" in result.stderr and "Traceback" not in result.stderr
    _nothing_half_written(disk, before)
    disk.free()
    again = run_cli("add", "Ana Souza", cwd=disk.handbook.root)
    assert again.returncode == 0, again.stderr
    schemas = disk.handbook.root / "handbook" / "schemas"
    assert all(json.loads((schemas / name).read_text()) for name in SCHEMA_FILES.values())
    assert run_cli("check", cwd=disk.handbook.root).returncode == 0


@pytest.mark.parametrize("pages_left", [0, 2])
def test_import_on_a_full_disk(disk: Disk, tmp_path: Path, pages_left: int) -> None:
    disk.handbook.contact("bo", "name: Bo\n")
    card = _vcf(tmp_path, ["FN:Ana Souza", "EMAIL:ana@example.org"], ["FN:Cy Diaz"], ["FN:Bo", "NOTE:met twice"])
    before = disk.files()
    disk.fill(pages_left)
    result = run_cli("import", "vcard", str(card), cwd=disk.handbook.root)
    assert result.returncode == 1
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert "failed" in result.stderr
    _nothing_half_written(disk, before)
    disk.free()
    again = run_cli("import", "vcard", str(card), cwd=disk.handbook.root)
    assert again.returncode == 0, again.stderr
    contacts = json.loads(run_cli("export", "json", cwd=disk.handbook.root).stdout)["contacts"]
    assert {"ana-souza", "cy-diaz", "bo"} <= set(contacts)


@pytest.mark.parametrize("pages_left", [0, 3, 6])
def test_init_on_a_full_disk(disk: Disk, monkeypatch: pytest.MonkeyPatch, pages_left: int) -> None:
    """All files or none; the retry (which a half scaffold used to refuse) works."""
    monkeypatch.setattr(scaffold, "lock_site", lambda *args, **kwargs: [])  # no package index needed
    target = disk.mount / "new"
    disk.fill(pages_left)
    result = run_cli("init", str(target), cwd=disk.mount)
    assert result.returncode == 1
    assert "No space left on device; nothing was written" in result.stderr and str(target) in result.stderr
    assert not target.exists()
    disk.free()
    again = run_cli("init", str(target), cwd=disk.mount)
    assert again.returncode == 0, again.stderr
    assert (target / "mkdocs.yml").stat().st_size and (target / "handbook" / "schemas").is_dir()
