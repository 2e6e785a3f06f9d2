"""Safe disk writes: atomic, under a folder lock, refused when the file changed since read;
and where edits go, disk or (for a dry run) memory."""

from __future__ import annotations

import hashlib
import importlib
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

WINDOWS = os.name == "nt"  # no flock, and no renaming over a file another program holds open
_REPLACE_TRIES = 20  # Windows: a file a virus scanner or an indexer holds for a moment





class EditError(Exception):
    """An edit that cannot be made; the message says why, and nothing was written."""


class WriteFailed(EditError):
    """The system refused a write (a full disk, no permission): nothing was written, and the
    command as a whole failed, unlike an edit refused for what the file holds."""


def _write_failed(display: str, error: OSError) -> WriteFailed:
    return WriteFailed(f"cannot write {display}: {error.strerror or error}; nothing was written")



def write_atomically(path: Path, data: bytes, *, expected: bytes | None, display: str,
                     replace_new: bool = False) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`.

    With `expected`, refuse if the file no longer holds those bytes; with None, refuse if the
    file exists at all. The check and the rename happen under a lock on the folder, so two
    commands editing one file at once never lose an edit: the second is refused. The check is
    made again once the new content is on disk, immediately before the rename, so a program
    that takes no lock (an editor saving) can only slip into a window of a few system calls.
    A symbolic link is followed (its target is written); a read-only file is refused."""
    path = path.resolve() if path.is_symlink() else path
    _refuse_unless_regular(path, display)
    try:
        with _folder_lock(path.parent):
            current = path.read_bytes() if path.exists() else None
            _refuse_to_replace(path, current, expected, display)

            def unchanged() -> None:
                _refuse_to_replace(path, path.read_bytes() if path.exists() else None, expected, display)

            _replace(path, data, current is not None, expected is None and not replace_new, unchanged)
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


def _replace(path: Path, data: bytes, exists: bool, only_if_new: bool, unchanged: Callable[[], None]) -> None:
    """Write and sync a temporary file, call `unchanged` (it raises if the file changed), then
    put the temporary file in place."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, path.stat().st_mode & 0o7777 if exists else 0o666 & ~_umask())
        unchanged()
        if only_if_new:
            os.link(temporary, path)  # fails if the file appeared meanwhile: never overwrite
            os.unlink(temporary)
        else:
            _rename_over(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _rename_over(temporary: str, path: Path) -> None:
    """`os.replace`; on Windows, retried while another program has `path` open, then refused
    with a message that says so (POSIX renames over an open file)."""
    for attempt in range(_REPLACE_TRIES):
        try:
            os.replace(temporary, path)
            return
        except PermissionError:
            if not WINDOWS:
                raise
            if attempt == _REPLACE_TRIES - 1:
                raise EditError(f"{path} is open in another program, and Windows cannot replace an open file: "
                                "close it and run again; nothing was written") from None
            time.sleep(0.05)


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


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive advisory lock on `folder` while a file in it is checked and replaced."""
    if WINDOWS:
        with _windows_folder_lock(folder):
            yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


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

    def write(self, path: Path, data: bytes, *, expected: bytes | None, display: str) -> None:
        """Replace the file if it holds `expected` (None: create it, and its folder)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _write_failed(display, error) from None
        write_atomically(path, data, expected=expected, display=display)


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

    def write(self, path: Path, data: bytes, *, expected: bytes | None, display: str) -> None:
        _refuse_to_replace(path, self.read(path) if self.exists(path) else None, expected, display)
        self.written[path] = data
