"""Finding the handbook's files: one slug per file name, checked before anything is read."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic
from .identity import is_slug, slugify

SUFFIXES = (".yml", ".yaml")
RESERVED_SLUGS = ("index",)  # `people/index.md` would be the directory page itself
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
        for path in _note_paths(data_dir / folder):
            count += 1
            display = os.path.relpath(path, relative_to)
            slug = path.stem
            usable = False
            if not path.resolve().is_relative_to(inside):  # never read, so never printed
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
                    "the list of them all", hint=f"rename it, e.g. to `{slug}-1{path.suffix}`"))
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


def _note_paths(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        path for path in folder.iterdir()
        if path.suffix.lower() in SUFFIXES and not path.name.startswith(".") and path.is_file()
    )
