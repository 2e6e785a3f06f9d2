"""Where each file lands in the built site, as MkDocs places it, and the generated pages that
would land on a URL another page or one of the user's own files already takes.

MkDocs does not check generated files against each other or against `docs_dir`, so the build
does, here, for the plugin and `handbook check` alike.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.diagnostics import Diagnostic
from .privacy import is_source_file

if TYPE_CHECKING:  # render draws the maps, whose links need `destination`
    from .render import PagePlan

MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")  # MkDocs' `utils.markdown_extensions`


def is_page(path: str) -> bool:
    return path.endswith(MARKDOWN_SUFFIXES)


def destination(path: str, use_directory_urls: bool) -> str:
    """The output path of a `docs_dir` file: `a/b.md` to `a/b/index.html` (or `a/b.html`),
    `index.md` and `README.md` to `index.html`; any other file keeps its path."""
    if not is_page(path):
        return path
    parent, filename = posixpath.split(path)
    stem = posixpath.splitext(filename)[0]
    stem = "index" if stem == "README" else stem
    if not use_directory_urls or stem == "index":
        return posixpath.join(parent, stem + ".html")
    return posixpath.join(parent, stem, "index.html")


@dataclass(frozen=True)
class UserFile:
    """A file of the user's site (in `docs_dir`, or one a theme or plugin added)."""

    src: str  # its path in docs_dir, e.g. `dashboard.md`
    dest: str  # where it is published, e.g. `dashboard/index.html`
    display: str  # how messages name it, e.g. `docs/dashboard.md`

    def published(self) -> bool:
        """False for a stray note, Markdown source or cache that must never reach the site."""
        return is_page(self.src) or not is_source_file(self.src)


def docs_files(docs_dir: Path, relative_to: Path, use_directory_urls: bool) -> list[UserFile]:
    """The files of `docs_dir` as MkDocs finds them (a README.md beside an index.md is left out)."""
    found = []
    for folder, folders, names in os.walk(docs_dir, followlinks=True):
        folders.sort()
        for name in sorted(names):
            if name == "README.md" and "index.md" in names:
                continue
            path = Path(folder) / name
            src = path.relative_to(docs_dir).as_posix()
            found.append(UserFile(src, destination(src, use_directory_urls), os.path.relpath(path, relative_to)))
    return found


def url_collisions(pages: Iterable[PagePlan], user_files: Iterable[UserFile], use_directory_urls: bool,
                   config_display: str) -> list[Diagnostic]:
    """Generated pages that share a URL with each other or with the user's files, each reported
    in the note file it comes from, else in the user's file, else in the config."""
    taken: dict[str, tuple[str, str | None]] = {file.dest: (file.display, file.display) for file in user_files}
    found = []
    for page in pages:
        dest = destination(page.path, use_directory_urls)
        if dest not in taken:
            taken[dest] = (page.source, page.file)
            continue
        other, other_file = taken[dest]
        found.append(Diagnostic(page.file or other_file or config_display, 0, 0,
                                f"{page.source} would be published at `{dest}`, which {other} already uses: "
                                "rename one of them"))
    return found
