"""Safe disk writes: atomic, under a folder lock, refused when the file changed since read;
and where edits go, disk or (for a dry run) memory."""

from __future__ import annotations

import hashlib
import importlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from . import swap
from .errors import EditError, WriteFailed
from .swap import Redo, put_in_place

__all__ = ["DISK", "DiskFiles", "DryRunFiles", "EditError", "WriteFailed", "replace_file", "write_atomically"]


def _write_failed(display: str, error: OSError) -> WriteFailed:
    return WriteFailed(f"cannot write {display}: {error.strerror or error}; nothing was written")


def write_atomically(path: Path, data: bytes, *, expected: bytes | None, display: str,
                     replace_new: bool = False, redo: Redo | None = None) -> None:
    """Write `data` to a temporary file beside `path`, then put it in place of `path`.

    With `expected`, refuse if the file no longer holds those bytes; with None (unless
    `replace_new`), refuse if the file exists at all. `redo` makes the edit again on bytes
    appended meanwhile instead. The check and the swap happen under a lock on the folder, so
    two commands editing one file at once never lose an edit. Against a program that takes no
    lock, the check is made again once the new content is synced, immediately before the swap,
    and what it writes to the old file after is merged or kept (`swap`). A symbolic link is
    followed (its target is written); a read-only file is refused."""
    path = path.resolve() if path.is_symlink() else path
    _refuse_unless_regular(path, display)
    try:
        with _folder_lock(path.parent):
            current = path.read_bytes() if path.exists() else None
            # bytes appended since the read are merged by `redo`, in `put_in_place`
            appended = redo is not None and current is not None and expected is not None \
                and current.startswith(expected)
            _refuse_to_replace(path, current, current if appended else expected, display)
            if current is None or expected is None:  # (a file there when none is expected was refused)
                _create(path, data)
            else:
                put_in_place(path, data, expected, display=display, redo=redo,
                             temporary=_temporary_writer(path, path.stat().st_mode & 0o7777))
    except FileExistsError:
        raise EditError(f"{display} already exists; nothing was written") from None
    except OSError as error:
        raise _write_failed(display, error) from None


def _refuse_unless_regular(path: Path, display: str) -> None:
    """Raise if `path` exists but is not a regular file: renaming over a device, a pipe or a
    folder would replace it (as root, `/dev/null` became a file), and reading a pipe hangs."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise _write_failed(display, error) from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a pipe" if stat.S_ISFIFO(mode) else "a device or socket"
        raise EditError(f"{display} is {kind}, not a regular file; nothing was written "
                        "(name a file; for an export, `--out -` writes to standard output)")


def _refuse_to_replace(path: Path, current: bytes | None, expected: bytes | None, display: str) -> None:
    """Raise unless the file holds `expected` (None: it does not exist) and may be written."""
    if current != expected:
        reason = "already exists" if expected is None else "changed on disk since it was read"
        raise EditError(f"{display} {reason}; nothing was written")
    if current is not None and path.exists() and not path.stat().st_mode & stat.S_IWUSR:
        raise EditError(f"{display} is read-only; nothing was written")


def _create(path: Path, data: bytes) -> None:
    """Write a new file, never replacing one that appeared meanwhile."""
    temporary = _temporary_writer(path, 0o666 & ~_umask())(data)
    try:
        os.link(temporary, path)  # fails if the file appeared meanwhile: never overwrite
    finally:
        os.unlink(temporary)


def _temporary_writer(path: Path, mode: int) -> Callable[[bytes], Path]:
    """A function writing and syncing a temporary file beside `path` with `mode`."""
    def write(data: bytes) -> Path:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, mode)
        except BaseException:
            os.unlink(temporary)
            raise
        return Path(temporary)
    return write


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive advisory lock on `folder` while a file in it is checked and replaced."""
    if swap.WINDOWS:
        with _windows_folder_lock(folder):
            yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


@contextmanager
def _windows_folder_lock(folder: Path) -> Iterator[None]:
    """Windows has no flock: an exclusive lock (`msvcrt.locking`) on a file in the temporary
    folder named after `folder`, so nothing is added to the user's folder."""
    msvcrt = importlib.import_module("msvcrt")
    name = hashlib.sha256(os.path.normcase(str(folder.resolve())).encode("utf-8")).hexdigest()[:24]
    descriptor = os.open(Path(tempfile.gettempdir()) / f"networking-handbook-{name}.lock", os.O_RDWR | os.O_CREAT)
    try:
        try:
            msvcrt.locking(descriptor, msvcrt.LK_LOCK, 1)  # tries for 10 seconds
        except OSError:
            raise EditError(f"another handbook command has been editing {folder} for 10 seconds; "
                            "nothing was written: try again") from None
        try:
            yield
        finally:
            msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(descriptor)


def replace_file(path: Path, data: bytes) -> None:
    """Write an output file (an export) atomically, replacing any earlier one."""
    _refuse_unless_regular(path, str(path))
    current = path.read_bytes() if path.exists() else None
    write_atomically(path, data, expected=current, display=str(path), replace_new=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class DiskFiles:
    """Where edits read and write: the disk, each write atomic (`write_atomically`)."""

    def exists(self, path: Path) -> bool:
        return path.exists()

    def read(self, path: Path) -> bytes:
        return path.read_bytes()

    def write(self, path: Path, data: bytes, *, expected: bytes | None, display: str,
              redo: Redo | None = None) -> None:
        """Replace the file if it holds `expected` (None: create it, and its folder); `redo`
        makes the edit again on bytes another program writes meanwhile."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _write_failed(display, error) from None
        write_atomically(path, data, expected=expected, display=display, redo=redo)


DISK = DiskFiles()


@dataclass
class DryRunFiles(DiskFiles):
    """Reads the disk, but records writes in memory, refused as on disk: a dry run runs the
    real code, sees its own writes (a slug it took, a file it made) and changes nothing."""

    written: dict[Path, bytes] = field(default_factory=dict)

    def exists(self, path: Path) -> bool:
        return path in self.written or path.exists()

    def read(self, path: Path) -> bytes:
        return self.written[path] if path in self.written else path.read_bytes()

    def write(self, path: Path, data: bytes, *, expected: bytes | None, display: str,
              redo: Redo | None = None) -> None:
        _refuse_to_replace(path, self.read(path) if self.exists(path) else None, expected, display)
        self.written[path] = data
