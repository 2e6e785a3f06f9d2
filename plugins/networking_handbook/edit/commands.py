"""The daily commands' work: add a person, log a touch, make and keep promises.

Each edits one file through `edit.NoteText` (pure insertion) or creates one, after checking
that every slug it refers to exists.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.diagnostics import did_you_mean, shorten
from ..core.files import SUFFIXES
from ..core.identity import RESERVED_SLUGS, is_slug, name_key, note_slug
from ..core.records import Contact, Handbook
from ..core.rules import PROMISED_BY, open_promises
from ..core.schema import SCHEMA_FILES, schema_text
from ..core.validate import parse_file
from .safe_write import DISK, DiskFiles, EditError
from .yaml_text import NoteText, Value, block, refuse_invalid

SCHEMA_FOLDER = "schemas"


@dataclass(frozen=True)
class HandbookFolder:
    """A handbook folder, the handbook loaded from it, and how to show its paths. Its files are
    read and written through `files`: the disk, or memory for a dry run."""

    data_dir: Path
    handbook: Handbook  # empty for the commands that edit one file: they read only that file
    cwd: Path
    files: DiskFiles = DISK

    def display(self, path: Path) -> str:
        return os.path.relpath(path, self.cwd)

    def note_path(self, folder: str, slug: str) -> Path:
        """The file of `slug` in `folder` (`.yml` or `.yaml`), or where a new one would go."""
        for suffix in (".yml", ".yaml"):
            path = self.data_dir / folder / f"{slug}{suffix}"
            if self.files.exists(path):
                return path
        return self.data_dir / folder / f"{slug}.yml"

    def contact_path(self, slug: str) -> Path:
        return self.note_path("contacts", slug)

    def read_note(self, path: Path) -> NoteText:
        """The note at `path`, to edit by insertion."""
        return NoteText.read(path, self.display(path), self.files)

    def require(self, folder: str, slug: str | None) -> None:
        """Refuse a slug that names no file, with a "did you mean" hint."""
        if slug is None:
            return
        _require_slug(slug)
        if self.files.exists(self.note_path(folder, slug)):
            return
        raise self.unknown(folder, slug)

    def unknown(self, folder: str, slug: str) -> EditError:
        """The refusal of a slug no file has: did you mean, by closeness or by prefix (`ana` for
        `ana-souza`); suggested, never picked, so a command writes exactly the slug typed."""
        known = {*(self.handbook.contacts if folder == "contacts" else self.handbook.events), *self.slugs(folder)}
        hint = did_you_mean(slug, known, prefixes=True) or (
            f"the slugs are the file names in {self.display(self.data_dir / folder)}, without `.yml`")
        return EditError(f"no {folder.removesuffix('s')} `{slug}`: {hint}")

    def slugs(self, folder: str) -> set[str]:
        """The slugs of the files in `folder`, read from their names alone."""
        return {path.stem for path in (self.data_dir / folder).glob("*") if path.suffix in SUFFIXES}

    def new_slug(self, name: str) -> str:
        """A slug from the name, unique among the contact files (`ana-souza-2` if taken)."""
        return note_slug(name, lambda slug: self.files.exists(self.contact_path(slug)))

    def schema_line(self, folder: str) -> str:
        """The editor line for a new file, writing the schemas beside the notes if missing."""
        schemas = self.data_dir / SCHEMA_FOLDER
        if not self.files.exists(schemas / SCHEMA_FILES[folder]):
            for kind, name in SCHEMA_FILES.items():
                path = schemas / name
                current = self.files.read(path) if self.files.exists(path) else None
                self.files.write(path, schema_text(kind).encode("utf-8"), expected=current, display=self.display(path))
        return f"# yaml-language-server: $schema=../{SCHEMA_FOLDER}/{SCHEMA_FILES[folder]}\n"


def create_contact(folder: HandbookFolder, name: str, fields: list[tuple[str, Value]]) -> Path:
    """Write a new contact file `contacts/<slug>.yml` with `name` and `fields`; return its path."""
    slug = folder.new_slug(name)
    if not is_slug(slug):
        raise EditError(f"cannot make a file name from `{name}`")
    path = folder.contact_path(slug)
    text = folder.schema_line("contacts") + "".join(
        block(key, value, "", "\n") for key, value in [("name", name), *fields])
    data = text.encode("utf-8")
    display = folder.display(path)
    refuse_invalid(parse_file("contacts", data, display).diagnostics, "the new file would be invalid")
    folder.files.write(path, data, expected=None, display=display)
    return path


def add_contact(folder: HandbookFolder, name: str, *, on: date | None, at: str | None, via: str | None,
                how: str | None, tags: list[str], emails: list[str], company: str | None,
                role: str | None, knows: Sequence[str] = ()) -> Path:
    folder.require("events", at)
    folder.require("contacts", via)
    for other in knows:
        folder.require("contacts", other)
    met = [(key, value) for key, value in (("on", on and on.isoformat()), ("at", at), ("via", via), ("how", how))
           if value]
    fields: list[tuple[str, Value]] = [(key, value) for key, value in (("company", company), ("role", role))
                                       if value]
    fields += [(key, values) for key, values in (("emails", emails), ("tags", tags)) if values]
    if met:
        fields.append(("met", met))
    if knows:
        fields.append(("knows", list(dict.fromkeys(knows))))
    return create_contact(folder, name, fields)


def namesakes(folder: HandbookFolder, name: str) -> list[Path]:
    """The files of the contacts already named `name`, compared as `handbook check` compares names."""
    key = name_key(name)
    return [folder.contact_path(slug) for slug, contact in folder.handbook.contacts.items()
            if name_key(contact.name) == key]


def log_interaction(folder: HandbookFolder, slug: str, *, on: date, kind: str | None, note: str | None,
                    gave: str | None, asked: str | None, event: str | None, with_: list[str],
                    knows: Sequence[str] = ()) -> Path:
    """Append the interaction; each `knows` slug not yet listed goes to the contact's `knows`."""
    folder.require("events", event)
    for other in [*with_, *knows]:
        folder.require("contacts", other)
    if slug in knows:
        raise EditError(f"`{slug}` is the contact you are logging: nobody is listed in their own `knows`")
    entry: list[tuple[str, Value]] = [("on", on.isoformat())]
    entry += [(key, value) for key, value in
              (("kind", kind), ("note", note), ("gave", gave), ("asked", asked), ("event", event)) if value]
    if with_:
        entry.append(("with", list(with_)))
    known = set(_contact(folder, slug).knows) if knows else set()
    new_knows = [other for other in dict.fromkeys(knows) if other not in known]

    def change(note_text: NoteText) -> None:
        note_text.add_item((), "interactions", entry)
        for other in new_knows:
            note_text.add_item((), "knows", other)
    return _edit(folder, slug, change)


def add_promise(folder: HandbookFolder, slug: str, *, by: str, what: str, on: date, due: date | None) -> Path:
    entry: list[tuple[str, Value]] = [("by", by), ("what", what), ("on", on.isoformat())]
    if due:
        entry.append(("due", due.isoformat()))
    return _edit(folder, slug, lambda note_text: note_text.add_item((), "promises", entry))


def mark_done(folder: HandbookFolder, slug: str, number: str, on: date) -> Path:
    """Set `done` on the promise numbered `number` (1 = the first in the file), refusing a
    number that names no open promise with a list of those that are open."""
    contact = _contact(folder, slug)
    count = len(contact.promises)
    if not (number.isascii() and number.isdigit()):
        raise EditError(f"`{shorten(number)}` is not a promise number: a promise's number is its place in "
                        f"{slug}'s file, 1 = the first; {_open_list(slug, contact, on)}")
    if not 1 <= int(number) <= count:
        raise EditError(f"{slug} has {count} promise{'s' * (count != 1)}, so there is no number {int(number)}; "
                        + _open_list(slug, contact, on))
    index = int(number) - 1
    promise = contact.promises[index]
    if promise.done is not None:
        raise EditError(f"promise {index + 1} of {slug} ({promise.what}) is already done on {promise.done}")
    return _edit(folder, slug, lambda note_text: note_text.add_key(("promises", index), "done", on.isoformat()))


def _open_list(slug: str, contact: Contact, today: date) -> str:
    numbered = open_promises(contact, today)
    if not numbered:
        return f"{slug} has no open promise"
    lines = [f"  {number}  {PROMISED_BY[p.by]}: {shorten(p.what)}"
             for number, p in numbered]
    return f"the open ones (`handbook promises {slug}`):\n" + "\n".join(lines)


def _require_slug(slug: str) -> None:
    if not is_slug(slug):
        raise EditError(f"`{shorten(slug)}` is not a slug: a file name without `.yml`, like `ana-souza`")


def _contact(folder: HandbookFolder, slug: str) -> Contact:
    """The contact of `slug`, from its file alone, so an edit costs the same in any handbook."""
    _require_slug(slug)
    path = folder.contact_path(slug)
    if not folder.files.exists(path):
        raise folder.unknown("contacts", slug)
    record = parse_file("contacts", folder.files.read(path), folder.display(path)).record
    if not isinstance(record, Contact) or slug in RESERVED_SLUGS:
        raise EditError(f"{folder.display(path)} has errors; fix them first (`handbook check`)")
    return record


def _edit(folder: HandbookFolder, slug: str, change: Callable[[NoteText], None]) -> Path:
    _contact(folder, slug)
    path = folder.contact_path(slug)
    note_text = folder.read_note(path)
    change(note_text)
    note_text.write(lambda data: parse_file("contacts", data, note_text.display).diagnostics, change)
    return path

