"""Stage 2c, the handbook: every file found, parsed (once, through the cache), cross-checked."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, did_you_mean, shorten
from .files import NoteFile, find_note_files
from .identity import is_slug, name_key
from .load import MAX_FILE_BYTES, too_large
from .parse_cache import SavedParses, cache_folder, file_stamp
from .records import Contact, Event, Handbook
from .validate import MODELS, ParsedFile, Reference, parse_file


@dataclass
class FileCache:
    """Parsed files by path, reused while their stamp (modification and change time, size,
    inode) is unchanged, so `mkdocs serve` parses only what changed. With `between_runs` (the
    CLI), also kept in the user's cache folder from one command to the next (`parse_cache`)."""

    entries: dict[Path, tuple[tuple[int, int, int, int, str], ParsedFile]] = field(default_factory=dict)
    # the latest record without errors, and the slugs it names
    last_valid: dict[Path, tuple[Contact | Event, tuple[Reference, ...]]] = field(default_factory=dict)
    between_runs: bool = False
    saved: SavedParses | None = field(default=None, repr=False)  # while `load_handbook` runs, with `between_runs`

    def parse(self, note: NoteFile) -> ParsedFile:
        try:
            stat = note.path.stat()
            stamp = (*file_stamp(stat), note.display)
            cached = self.entries.get(note.path)
            if cached and cached[0] == stamp:
                if self.saved is not None:  # kept between runs too (if it was parsed with its values)
                    self.saved.put(note, stamp[:4], cached[1])
                return cached[1]
            saved = self.saved.get(note, stamp[:4]) if self.saved is not None else None
            if saved is not None:
                self.entries[note.path] = (stamp, saved)
                return saved
            big = too_large(note.display, stat.st_size)
            if big:  # never read a huge file whole just to refuse it
                return ParsedFile(None, [big], ())
            with note.path.open("rb") as file:
                data = file.read(MAX_FILE_BYTES + 1)  # a file that grew since is still refused
        except OSError as error:
            return ParsedFile(None, [Diagnostic(note.display, 0, 0, f"cannot read the file: {error.strerror}",
                                                hint="check that the file exists and you may read it")], ())
        parsed = parse_file(note.folder, data, note.display, keep_values=self.saved is not None)
        self.entries[note.path] = (stamp, parsed)
        if self.saved is not None:
            self.saved.put(note, stamp[:4], parsed)
        return parsed

    @contextmanager
    def kept_between_runs(self, data_dir: Path) -> Iterator[None]:
        """With `between_runs`, the saved parses of `data_dir` read before and written after."""
        folder = cache_folder() if self.between_runs else None
        if folder is None:
            yield
            return
        self.saved = SavedParses(data_dir, folder, time.time_ns())
        try:
            yield
            self.saved.save()
        finally:
            self.saved = None

    def kept(self, note: NoteFile, parsed: ParsedFile, known: dict[str, set[str]]) -> Contact | Event | None:
        """The record to show for `note` while serving: this version if it is valid and all its
        slugs name files (then it is remembered), else the last such version seen, else None."""
        if parsed.record is not None and _resolves(parsed.references, known):
            self.last_valid[note.path] = (parsed.record, parsed.references)
            return parsed.record
        record, references = self.last_valid.get(note.path, (None, ()))
        return record if _resolves(references, known) else None

    def forget_all_but(self, paths: set[Path]) -> None:
        """Drop deleted and renamed files, so a long `mkdocs serve` does not keep them."""
        for path in set(self.entries) - paths:
            del self.entries[path]
        for path in set(self.last_valid) - paths:
            del self.last_valid[path]


@dataclass(frozen=True)
class LoadResult:
    handbook: Handbook
    diagnostics: list[Diagnostic]
    file_count: int


def load_handbook(data_dir: Path, relative_to: Path, cache: FileCache | None = None, *,
                  keep_every_page: bool = False) -> LoadResult:
    """Read, validate and cross-check a handbook folder: the one entry point of the engine.

    Paths in diagnostics are relative to `relative_to`. With `keep_every_page` (`mkdocs
    serve`), a file with errors still gives a record, so its page and every link to it stay:
    the last valid version the cache saw, else a stand-in holding only the slug; the handbook's
    `stand_ins` says which."""
    cache = cache or FileCache()
    notes, diagnostics, count = find_note_files(data_dir, relative_to)
    records: dict[str, dict[str, Any]] = {folder: {} for folder in MODELS}
    paths: dict[tuple[str, str], str] = {}
    references: list[tuple[str, Reference]] = []
    stand_ins: dict[tuple[str, str], str] = {}
    cache.forget_all_but({note.path for note in notes})
    with collector_paused(), cache.kept_between_runs(data_dir):
        parsed_notes = [(note, cache.parse(note)) for note in notes]
    for note, parsed in parsed_notes:
        diagnostics += parsed.diagnostics
        references += [(note.display, reference) for reference in parsed.references]
        if note.usable:
            paths[(note.folder, note.slug)] = note.display
    known = {folder: {slug for (kind, slug) in paths if kind == folder} for folder in MODELS}
    for note, parsed in parsed_notes:
        if not note.usable:
            continue
        if not keep_every_page:
            if parsed.record is not None:
                records[note.folder][note.slug] = parsed.record
            continue
        # serving: a version naming a slug no file has would link to a missing page
        kept = cache.kept(note, parsed, known)
        if kept is None or kept is not parsed.record:
            stand_ins[(note.folder, note.slug)] = "last valid" if kept is not None else "none valid"
        records[note.folder][note.slug] = kept if kept is not None else _stand_in(note.folder, note.slug)
    diagnostics += [_unknown_reference(display, reference, known[reference.folder])
                    for display, reference in references if reference.slug not in known[reference.folder]]
    diagnostics += [_names_itself(note.display, reference) for note, parsed in parsed_notes
                    if note.folder == "contacts" for reference in parsed.references
                    if reference.folder == "contacts" and reference.slug == note.slug]
    diagnostics += _same_names(records["contacts"], paths)
    handbook = Handbook(dict(sorted(records["contacts"].items())), dict(sorted(records["events"].items())), paths,
                        stand_ins)
    return LoadResult(handbook, diagnostics, count)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused (if it ran) while every file is parsed: the
    parse makes millions of small objects, which set it off thousands of times for a quarter of
    the load's time, and reference counting alone frees nearly all they leave behind."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def _stand_in(folder: str, slug: str) -> Contact | Event:
    """A record for a file that was never valid while serving: its slug and nothing else (an
    event on the earliest day, so that it sorts last and starts no follow-up)."""
    return Contact(name=slug) if folder == "contacts" else Event(name=slug, on=date.min)


def _resolves(references: tuple[Reference, ...], known: dict[str, set[str]]) -> bool:
    return all(reference.slug in known[reference.folder] for reference in references)


def _names_itself(display: str, reference: Reference) -> Diagnostic:
    if reference.key == "knows":
        return Diagnostic(display, reference.line, reference.column,
                          f"`{reference.slug}` is this file's own contact: nobody is listed in their own `knows`",
                          hint="list the slugs of other contacts they know, or remove this item")
    return Diagnostic(display, reference.line, reference.column,
                      f"`{reference.slug}` is this contact's own file", hint="name the other people here, not this one")


def _unknown_reference(display: str, reference: Reference, known: set[str]) -> Diagnostic:
    what = reference.folder.removesuffix("s")
    if not is_slug(reference.slug):
        message = f"`{shorten(reference.slug)}` is not {'an' if what == 'event' else 'a'} {what} slug"
        hint = did_you_mean(reference.slug, known) or "a slug is a file name without `.yml`, like `ana-souza`"
    else:
        message = f"unknown {what} `{reference.slug}`"
        hint = did_you_mean(reference.slug, known) or f"create {reference.folder}/{reference.slug}.yml, or fix the slug"
    return Diagnostic(display, reference.line, reference.column, message, hint=hint)


def _same_names(contacts: dict[str, Contact], paths: dict[tuple[str, str], str]) -> list[Diagnostic]:
    """A note for each contact whose name another file already uses (`name_key`): allowed
    (`handbook add` makes such files), so it never fails a strict build."""
    first: dict[str, str] = {}
    found = []
    for slug, contact in sorted(contacts.items()):
        key = name_key(contact.name)
        if key in first:
            found.append(Diagnostic(
                paths[("contacts", slug)], 1, 1,
                f"`{shorten(contact.name)}` is also the name in {paths[('contacts', first[key])]}",
                severity="note",
                hint="if they are one person, merge the two files; if not, tell them apart in `name`"))
        else:
            first[key] = slug
    return found


