"""Putting a written file in place of the one it replaces without losing a byte that a program
taking no lock (an editor saving, a script appending) writes meanwhile.

The old file is kept open from the last check to after the new one is in place. On Linux the
two names are exchanged (`renameat2(RENAME_EXCHANGE)`), so the file that was replaced is still
at hand: if it is not the one checked (an editor saved by rename in between), it goes back and
the edit is refused. Then, once no program holds the old file open for writing (a read lease
can be taken only then), its content is compared with what was checked: bytes written to it
after the check are merged by making the edit again on them (bounded), or, when that is not
possible, kept next to the file as `<name>.conflict`. Elsewhere the rename is plain and a save
by rename in the last few system calls before it can still be lost; appends are merged alike.
"""

from __future__ import annotations

import ctypes
import errno
import itertools
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from .errors import EditError

WINDOWS = os.name == "nt"  # no flock, and no renaming over a file any program (this one too) holds open
_REPLACE_TRIES = 20  # Windows: a file a virus scanner or an indexer holds for a moment
RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100
# Merges of appended bytes before giving up: before our version is in place (then the edit is
# refused, nothing written), and after (then what the other program wrote is kept aside).
ATTEMPTS, MERGES = 20, 200
WRITER_WAIT = 2.0  # seconds to wait for a program to close the old file
# A change made again on the bytes another program left: the new content, or EditError.
Redo = Callable[[bytes], bytes]


def changed_on_disk(display: str) -> EditError:
    return EditError(f"{display} changed on disk since it was read; nothing was written")


def put_in_place(path: Path, data: bytes, expected: bytes, *, display: str, redo: Redo | None,
                 temporary: Callable[[bytes], Path]) -> None:
    """Replace `path`, which must hold `expected`, by `data` (`temporary(data)` writes and syncs
    a file beside it). With `redo`, bytes another program appends before or after the swap
    are merged by making the edit again on them; any other change before the swap refuses the
    edit (EditError, nothing written), after it keeps that program's version as a `.conflict`."""
    base, tail = expected, b""  # what the edit is made on; bytes appended after our version
    lost: bytes | None = None  # once ours is in place, what the file it replaced held
    for attempt in itertools.count(1):
        new = temporary(data)
        try:
            seen, late = _swap(path, new, data, expected, display)
        finally:
            if new.exists():
                os.unlink(new)
        if late == expected:
            return
        changed = late if late is not None else seen
        lost = late if late is not None else lost
        if redo is None or changed is None or not changed.startswith(expected) \
                or attempt >= (ATTEMPTS if lost is None else MERGES):
            _refuse(path, lost, display)
        if expected == base:  # our edit is not in the file yet: make it on what is there now
            base = changed
        else:  # the other program appended to our version
            tail += changed[len(expected):]
        expected = changed
        if late is not None:
            current = path.read_bytes()
            if not current.startswith(data):
                _refuse(path, lost, display)
            tail += current[len(data):]
            expected = current
        try:
            data = redo(base) + tail
        except EditError:
            if lost is None:
                raise
            _refuse(path, lost, display)


def _swap(path: Path, new: Path, data: bytes, expected: bytes, display: str) -> tuple[bytes | None, bytes | None]:
    """Put `new` in place of `path` if it still holds `expected`. Return what the file held at
    this last check (None: it was replaced or removed) and, if the swap was made, what the
    replaced file held once no program had it open for writing (else None)."""
    if WINDOWS:
        return _swap_closed(path, new, expected)
    try:
        old = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None, None
    try:
        seen = _read(old)
        if not os.path.samestat(os.fstat(old), os.stat(path)):
            return None, None
        if seen != expected:
            return seen, None
        exchanged = _exchange(new, path)
        if not exchanged:
            os.replace(new, path)
        elif not os.path.samestat(os.stat(new), os.fstat(old)):
            _give_back(path, new, data, display)  # an editor saved by rename meanwhile
        settled = _no_writers(old)
        late = _read(old)
        if late != expected and not settled and exchanged:
            conflict = _conflict_path(path)
            os.replace(new, conflict)  # its writer still has it open: keep the name
            raise _conflict(display, conflict)
        return seen, late
    finally:
        os.close(old)


def _swap_closed(path: Path, new: Path, expected: bytes) -> tuple[bytes | None, bytes | None]:
    """`_swap` where a file cannot be renamed over while open (Windows): the last check reads
    the file and closes it, then the rename (a write after the check can be lost there)."""
    try:
        seen = path.read_bytes()
    except FileNotFoundError:
        return None, None
    if seen != expected:
        return seen, None
    rename_over(new, path)
    return seen, seen


def rename_over(new: Path, path: Path) -> None:
    """`os.replace`; on Windows, retried while another program has `path` open, then refused
    with a message that says so (POSIX renames over an open file)."""
    for attempt in range(_REPLACE_TRIES):
        try:
            os.replace(new, path)
            return
        except PermissionError:
            if not WINDOWS:
                raise
            if attempt == _REPLACE_TRIES - 1:
                raise EditError(f"{path} is open in another program, and Windows cannot replace an open file: "
                                "close it and run again; nothing was written") from None
            time.sleep(0.05)


def _refuse(path: Path, lost: bytes | None, display: str) -> NoReturn:
    """Refuse the edit before the swap; after it, keep what the other program wrote."""
    if lost is None:
        raise changed_on_disk(display)
    _keep_conflict(path, lost, display)


def _give_back(path: Path, new: Path, data: bytes, display: str) -> None:
    """Put back the file an editor saved between the check and the exchange, and refuse."""
    _exchange(new, path)
    if new.read_bytes() == data:
        raise changed_on_disk(display)  # the caller removes ours
    conflict = _conflict_path(path)
    os.replace(new, conflict)  # ours got bytes from someone else meanwhile: keep them
    raise _conflict(display, conflict)


def _keep_conflict(path: Path, late: bytes, display: str) -> NoReturn:
    conflict = _conflict_path(path)
    with open(conflict, "xb") as stream:
        stream.write(late)
    raise _conflict(display, conflict)


def _conflict_path(path: Path) -> Path:
    """A new `<name>.conflict` (then `.conflict-2`, ...) beside `path`."""
    for number in range(1, 1000):
        candidate = path.with_name(path.name + (".conflict" if number == 1 else f".conflict-{number}"))
        if not candidate.exists():
            return candidate
    raise EditError(f"too many conflict files beside {path}; merge and remove them")


def _conflict(display: str, conflict: Path) -> EditError:
    kept = display + conflict.name[len(conflict.name) - len(conflict.suffix):]
    return EditError(f"{display}: another program wrote to the file while this edit was saved and the "
                     f"two could not be merged; the edit is in {display}, what the other program wrote "
                     f"is kept in {kept}: merge by hand, then remove {kept}")


def _read(descriptor: int) -> bytes:
    size = os.fstat(descriptor).st_size
    chunks = []
    offset = 0
    while chunk := os.pread(descriptor, max(size - offset, 1 << 16), offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two names in one step; False where the system or file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):  # not Linux, or a C library without it
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(number, os.strerror(number), str(second))


def _no_writers(descriptor: int) -> bool:
    """Wait until no program holds the file open for writing; False after WRITER_WAIT seconds.
    True at once where this cannot be known (no leases, or not the main thread)."""
    if fcntl is None or not hasattr(fcntl, "F_SETLEASE") or threading.current_thread() is not threading.main_thread():
        return True
    previous = signal.signal(signal.SIGIO, signal.SIG_IGN)  # a lease broken meanwhile signals SIGIO
    try:
        deadline = time.monotonic() + WRITER_WAIT
        while True:
            try:
                fcntl.fcntl(descriptor, fcntl.F_SETLEASE, fcntl.F_RDLCK)
            except OSError as error:
                if error.errno != errno.EAGAIN:
                    return True  # this file system has no leases
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.001)
                continue
            fcntl.fcntl(descriptor, fcntl.F_SETLEASE, fcntl.F_UNLCK)
            return True
    finally:
        signal.signal(signal.SIGIO, previous)
