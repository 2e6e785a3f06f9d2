"""Finding the handbook's files: one slug per file name, checked before anything is read."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic
from .identity import RESERVED_SLUGS, is_slug, slugify

SUFFIXES = (".yml", ".yaml")
_CONFLICT = re.compile(r"\.ya?ml(\.conflict(-[0-9]+)?)$", re.IGNORECASE)  # kept by edit.swap
FOLDERS = ("contacts", "events")


@dataclass(frozen=True)
class NoteFile:
    folder: str  # "contacts" or "events"
    slug: str
    path: Path
    display: str  # the path as shown to the user
    usable: bool = True  # False: its name is refused, but its content is still checked


def folder_page(folder: str) -> str:
    return {"contacts": "people/", "events": "events/"}[folder]


def find_note_files(data_dir: Path, relative_to: Path) -> tuple[list[NoteFile], list[Diagnostic], int]:
    """The files of `contacts/` and `events/` (those whose names are refused marked so),
    the problems with file names, and how many files were seen."""
    if not data_dir.is_dir():
        display = os.path.relpath(data_dir, relative_to)
        return [], [Diagnostic(
            display, 0, 0, f"the handbook folder `{display}` does not exist",
            hint="create it with `contacts/` and `events/` inside, or set the plugin's `data_dir`",
        )], 0
    found: list[NoteFile] = []
    diagnostics: list[Diagnostic] = []
    count = 0
    inside = data_dir.resolve()
    for folder in FOLDERS:
        seen: dict[str, str] = {}
        paths, problems = _note_paths(data_dir / folder, relative_to)
        diagnostics += problems
        folder_inside = bool(paths) and (data_dir / folder).resolve().is_relative_to(inside)
        for path, display, link in paths:
            count += 1
            slug = path.stem
            usable = False
            if not (path.resolve().is_relative_to(inside) if link else folder_inside):  # never read, so never printed
                diagnostics.append(Diagnostic(
                    display, 0, 0, f"`{path.name}` is a link to a file outside the handbook folder: it is not read",
                    hint=f"copy the file into `{os.path.relpath(data_dir, relative_to)}`, or link to one inside it"))
                continue
            if path.suffix not in SUFFIXES:
                diagnostics.append(Diagnostic(
                    display, 1, 1, f"`{path.name}` is not read: the handbook reads `.yml` and `.yaml` files",
                    hint=f"rename it to `{slug}{path.suffix.lower()}`"))
            elif slug in RESERVED_SLUGS:
                diagnostics.append(Diagnostic(
                    display, 1, 1, f"`{slug}` cannot be a slug: its page would replace `{folder_page(folder)}`, "
                    "the list of them all", hint=f"rename it, e.g. to `{slug}-2{path.suffix}`"))
            elif not is_slug(slug):
                suggestion = slugify(slug) or "a-name"
                diagnostics.append(Diagnostic(
                    display, 1, 1, f"`{path.name}` is not a valid file name: a slug is lower-case "
                    "letters, digits and single hyphens", hint=f"rename it to `{suggestion}{path.suffix}`"))
            elif slug in seen:
                diagnostics.append(Diagnostic(
                    display, 1, 1, f"duplicate slug `{slug}`: both {seen[slug]} and {display} use it",
                    hint="keep one file per slug: merge them or rename one"))
            else:
                seen[slug] = display
                usable = True
            found.append(NoteFile(folder, slug, path, display, usable))
    return found, diagnostics, count


def _note_paths(folder: Path, relative_to: Path) -> tuple[list[tuple[Path, str, bool]], list[Diagnostic]]:
    """The regular `.yml`/`.yaml` files of `folder` (each with its path as shown, and whether
    it is a symbolic link), and a problem for each entry that looks like a note but cannot be
    read as one (a dangling link, a FIFO, a device, a folder)."""
    display = os.path.relpath(folder, relative_to)
    # each entry's path as shown is the folder's and its name, unless `relative_to` is in the folder
    back = os.path.relpath(relative_to, folder)
    joined = back == os.pardir or back.startswith(os.pardir + os.sep)
    if not os.path.lexists(folder):
        return [], []
    try:
        if not stat.S_ISDIR(folder.stat().st_mode):
            return [], [Diagnostic(display, 0, 0, f"`{display}` is a file, not a folder: no note in it is read",
                                   hint=f"move the file away and create the folder `{display}/`")]
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        return [], [Diagnostic(display, 0, 0, f"cannot read the folder `{display}`: {_reason(error)}",
                               hint=f"`{display}` must be a readable folder (fix or remove the link if it is one)")]
    paths: list[tuple[Path, str, bool]] = []
    problems: list[Diagnostic] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        shown = os.path.join(display, entry.name) if joined else os.path.relpath(path, relative_to)
        note_like = path.suffix.lower() in SUFFIXES
        try:
            mode = entry.stat().st_mode
        except OSError as error:
            if note_like:
                problems.append(_unreadable(shown, path, error))
            continue
        if stat.S_ISDIR(mode):
            if note_like:
                problems.append(Diagnostic(shown, 0, 0, f"`{entry.name}` is a folder, not a note file",
                                           hint="a note is one file: rename the folder or move it out"))
            else:
                problems.append(Diagnostic(
                    shown, 0, 0, f"the folder `{shown}` is not read: notes inside folders are ignored",
                    severity="warning", hint=f"move its `.yml` files up into `{display}/`, or the folder out"))
        elif not note_like:
            conflict = _CONFLICT.search(entry.name)
            if conflict:
                note = entry.name[:conflict.start(1)]
                problems.append(Diagnostic(
                    shown, 0, 0, f"`{entry.name}` holds what another program wrote to `{note}` while a "
                    "`handbook` edit was saved", severity="warning",
                    hint=f"merge what it adds into `{note}` by hand, then remove `{entry.name}`"))
            continue
        elif not stat.S_ISREG(mode):
            problems.append(Diagnostic(shown, 0, 0, f"`{entry.name}` is {_kind(mode)}, not a regular file",
                                       hint="a note is a plain text file: remove this entry and write the note"))
        else:
            paths.append((path, shown, entry.is_symlink()))
    return paths, problems


def _unreadable(shown: str, path: Path, error: OSError) -> Diagnostic:
    if os.path.islink(path):
        target = os.readlink(path)
        what = "loops" if error.errno == errno.ELOOP else "points to nothing"
        return Diagnostic(shown, 0, 0, f"`{path.name}` is a symbolic link that {what} (`{target}`)",
                          hint="fix the link or remove it")
    return Diagnostic(shown, 0, 0, f"cannot read `{path.name}`: {_reason(error)}", hint="check the file's permissions")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
