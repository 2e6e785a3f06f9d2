"""Finding the handbook's files: slugs from file names, then each file loaded.

Under `mkdocs serve` the same files are read again and again; a `DocumentCache` keeps each
loaded file by `(mtime_ns, size)` so only changed files are parsed again.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic
from .load import Document, load_document

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SUFFIXES = (".yml", ".yaml")
FOLDERS = ("contacts", "events")


def slugify(text: str) -> str:
    """`Zoë Müller` to `zoe-muller`: accents dropped, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass
class DocumentCache:
    """Loaded files by path, reused while their modification time and size are unchanged."""

    entries: dict[Path, tuple[tuple[int, int], Document | None, list[Diagnostic]]] = field(default_factory=dict)

    def load(self, path: Path, display: str) -> tuple[Document | None, list[Diagnostic]]:
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            cached = self.entries.get(path)
            if cached and cached[0] == stamp and (cached[1] is None or cached[1].path == display):
                return cached[1], cached[2]
            data = path.read_bytes()
        except OSError as error:
            return None, [Diagnostic(display, 0, 0, f"cannot read the file: {error.strerror}")]
        document, diagnostics = load_document(data, display)
        self.entries[path] = (stamp, document, diagnostics)
        return document, diagnostics


@dataclass
class HandbookFiles:
    """The loaded documents of one handbook folder, by kind and slug, and their problems."""

    documents: dict[str, dict[str, Document]]
    diagnostics: list[Diagnostic]
    file_count: int


def read_handbook(data_dir: Path, relative_to: Path, cache: DocumentCache | None = None) -> HandbookFiles:
    """Load every `contacts/*.yml` and `events/*.yml`, naming files relative to `relative_to`."""
    cache = cache or DocumentCache()
    documents: dict[str, dict[str, Document]] = {folder: {} for folder in FOLDERS}
    diagnostics: list[Diagnostic] = []
    count = 0
    if not data_dir.is_dir():
        display = _display(data_dir, relative_to)
        return HandbookFiles(documents, [Diagnostic(
            display, 0, 0, f"the handbook folder `{display}` does not exist",
            hint="create it with `contacts/` and `events/` inside, or set the plugin's `data_dir`",
        )], 0)
    for folder in FOLDERS:
        seen: dict[str, str] = {}
        for path in _note_files(data_dir / folder):
            count += 1
            display = _display(path, relative_to)
            slug = path.stem
            if not SLUG.fullmatch(slug):
                suggestion = slugify(slug) or "a-name"
                diagnostics.append(Diagnostic(
                    display, 1, 1, f"`{path.name}` is not a valid file name: a slug is lower-case "
                    "letters, digits and single hyphens", hint=f"rename it to `{suggestion}{path.suffix}`"))
                continue
            if slug in seen:
                diagnostics.append(Diagnostic(
                    display, 1, 1, f"duplicate slug `{slug}`: both {seen[slug]} and {display} use it",
                    hint="keep one file per slug: merge them or rename one"))
                continue
            seen[slug] = display
            document, problems = cache.load(path, display)
            diagnostics += problems
            if document is not None:
                documents[folder][slug] = document
    return HandbookFiles(documents, diagnostics, count)


def _note_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        path for path in folder.iterdir()
        if path.suffix in SUFFIXES and not path.name.startswith(".") and path.is_file()
    )


def _display(path: Path, relative_to: Path) -> str:
    return os.path.relpath(path, relative_to)
