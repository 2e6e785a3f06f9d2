"""The cache between runs: each file's parse result, kept in the user's cache folder, so a
command in a big handbook parses only the files that changed since the last one.

A file's entry is reused while its stamp is the same, as git's index does: modification time,
size, inode and change time (a save by rename makes a new inode; any write moves the change
time, which no program can set). An entry holds plain data: the diagnostics, the slugs the
file names, and for a valid file the values its record was validated from, validated again
when used (a tenth of a millisecond; unpickling pydantic records costs more than that).

Nothing in the cache can change a result: a cache of another version of the package or of
its libraries, a corrupt, truncated, foreign or unreadable file is ignored, and one that
cannot be written is not. The cache holds the user's notes, so its folder is made 0700 and
its files 0600; it never goes into the handbook's folder or repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

import pydantic_core
import yaml

from . import environment
from .diagnostics import Diagnostic
from .files import NoteFile
from .validate import MODELS, ParsedFile, Reference

FORMAT = 1  # of the cache file; part of its fingerprint
# A file changed this recently may change again within one tick of the filesystem's clock
# (a second or two on some), keeping its stamp: such an entry is not kept ("racily clean" in git).
RACY_NS = 2_000_000_000

Stamp = tuple[int, int, int, int]  # mtime_ns, size, inode, ctime_ns


def file_stamp(status: os.stat_result) -> Stamp:
    return status.st_mtime_ns, status.st_size, status.st_ino, status.st_ctime_ns


def cache_folder() -> Path | None:
    """HANDBOOK_CACHE_DIR, else `networking-handbook` in XDG_CACHE_HOME or ~/.cache; None
    when HANDBOOK_CACHE is `off`."""
    if environment.cache_disabled():
        return None
    chosen = environment.cache_dir()
    if chosen:
        return Path(chosen)
    base = environment.variable("XDG_CACHE_HOME")
    if base and os.path.isabs(base):
        return Path(base) / "networking-handbook"
    try:
        return Path.home() / ".cache" / "networking-handbook"
    except (RuntimeError, KeyError):  # no HOME and no account to take it from: no cache
        return None


class SavedParses:
    """The cache file of one handbook folder: read once, its entries used while the files are
    parsed, written back (if anything changed) holding the entries used and the new ones: those
    of files changed or deleted since are dropped."""

    def __init__(self, data_dir: Path, folder: Path, started_ns: int) -> None:
        self.data_dir = os.path.abspath(data_dir)
        self.path = folder / f"{hashlib.sha256(self.data_dir.encode()).hexdigest()[:32]}.cache"
        self.started_ns = started_ns  # when the files began to be read
        self.header = json.dumps({"format": FORMAT, "data_dir": self.data_dir, "code": _fingerprint()})
        self.saved = _read(self.path, self.header)  # each line by its head: a file and its stamp
        self.kept: dict[str, str] = {}  # the lines to write back, by head

    def get(self, note: NoteFile, stamp: Stamp) -> ParsedFile | None:
        """The saved result for `note` if its stamp is unchanged, else None."""
        head = _head(note, stamp)
        line = self.saved.get(head)
        if line is None:
            return None
        try:
            parsed = _parsed(note, json.loads(line[len(head) + 1:]))
        except (ValueError, TypeError, KeyError, IndexError):  # not what this code writes: parse again
            return None
        if parsed is not None:
            self.kept[head] = line
        return parsed

    def put(self, note: NoteFile, stamp: Stamp, parsed: ParsedFile) -> None:
        """Keep `parsed`, the result for `note` at `stamp` (unless it changed too recently)."""
        head = _head(note, stamp)
        if head in self.saved:  # this very version, already in the file
            self.kept[head] = self.saved[head]
            return
        entry = _plain(note, parsed)
        if entry is not None and max(stamp[0], stamp[3]) < self.started_ns - RACY_NS:
            self.kept[head] = f"{head}\t{json.dumps(entry)}"

    def save(self) -> None:
        """Write the entries kept, atomically (the last writer wins), unless they are what the
        file holds; a cache that cannot be written is left as it was."""
        if self.kept.keys() == self.saved.keys():
            return
        body = "\n".join(self.kept.values()).encode("ascii")  # in the order the files were parsed
        digest = hashlib.blake2b(body).hexdigest()
        try:
            _write(self.path, f"{self.header}\t{digest}\n".encode("ascii"), body)
        except OSError:
            pass


def _head(note: NoteFile, stamp: Stamp) -> str:
    """What an entry's line starts with: the file (`contacts/ana.yml`, quoted as JSON: a name
    may hold any character) and its stamp."""
    return json.dumps(f"{note.folder}/{note.path.name}") + " " + " ".join(map(str, stamp))


def _plain(note: NoteFile, parsed: ParsedFile) -> dict[str, Any] | None:
    """`parsed` as plain data, or None if it cannot be rebuilt from it exactly."""
    if parsed.record is not None and parsed.values is None:
        return None
    if any(diagnostic.path != note.display for diagnostic in parsed.diagnostics):
        return None  # a path with a control character, shown escaped
    return {
        "diagnostics": [[d.line, d.column, d.message, d.severity, d.hint] for d in parsed.diagnostics],
        "references": [[r.folder, r.slug, r.line, r.column, r.key] for r in parsed.references],
        "values": parsed.values if parsed.record is not None else None,
    }


def _parsed(note: NoteFile, entry: dict[str, Any]) -> ParsedFile | None:
    values = entry["values"]
    record = None
    if values is not None:
        try:
            record = MODELS[note.folder].model_validate(values)
        except pydantic_core.ValidationError:
            return None
    return ParsedFile(record, [Diagnostic(note.display, *fields) for fields in entry["diagnostics"]],
                      tuple(Reference(*fields) for fields in entry["references"]))


def _fingerprint() -> list[object]:
    """What a file's result depends on besides its bytes: this package's parsing code (the
    stamps of `core/`, so an edit to an installed copy counts too) and the libraries it uses."""
    here = Path(__file__).parent
    code = sorted((entry.name, entry.stat().st_mtime_ns, entry.stat().st_size)
                  for entry in os.scandir(here) if entry.name.endswith(".py"))
    return [sys.version, yaml.__version__, yaml._yaml.get_version_string(), pydantic_core.__version__, code]


def _read(path: Path, header: str) -> dict[str, str]:
    """The lines of the cache file at `path` by head; none if it is missing, unreadable, not
    this user's alone, of another fingerprint, or damaged (its digest does not match)."""
    try:
        with open(path, "rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode) or (hasattr(os, "geteuid") and (
                    status.st_uid != os.geteuid() or status.st_mode & 0o077)):
                return {}
            content = file.read()
    except OSError:
        return {}
    first, _, body = content.partition(b"\n")
    saved_header, _, digest = first.decode("ascii", "replace").rpartition("\t")
    if saved_header != header or digest != hashlib.blake2b(body).hexdigest() or not body.isascii():
        return {}
    return {line.partition("\t")[0]: line for line in body.decode("ascii").split("\n")} if body else {}


def _write(path: Path, *parts: bytes) -> None:
    """`parts` in place of the file at `path`, through a temporary file (0600) in its folder
    (made 0700 if missing)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            for part in parts:
                file.write(part)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
