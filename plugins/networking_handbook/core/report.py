"""Diagnostics for people: the compiler-style line, the source line with a caret, the hint.

    handbook/contacts/ana.yml:4:11: error: `coffe` is not a valid `kind`: use one of ...
       4 |     kind: coffe
         |           ^
        hint: did you mean `coffee`?
"""

from __future__ import annotations

import json
import re
import stat
import unicodedata
from functools import lru_cache
from pathlib import Path

from .diagnostics import Diagnostic, sorted_diagnostics
from .load import MAX_FILE_BYTES, split_lines

_SHOWN_WIDTH = 100  # long lines are cut around the column
_STYLES = {"error": "\033[1;31m", "warning": "\033[1;33m", "note": "\033[1;36m", "path": "\033[1m", "hint": "\033[36m",
           "caret": "\033[1;32m"}
_RESET = "\033[0m"


def render_text(diagnostics: list[Diagnostic], root: Path, *, color: bool = False) -> str:
    """Every diagnostic with its source line; paths are read relative to `root`."""
    read_line = lru_cache(maxsize=None)(lambda path: _lines(root / path))
    blocks = []
    for d in sorted_diagnostics(diagnostics):
        where = f"{d.path}:{d.line}:{d.column}" if d.line else d.path
        lines = [f"{_paint(where, 'path', color)}: {_paint(d.severity, d.severity, color)}: {d.message}"]
        source = read_line(d.path) if d.line else None
        if source is not None and d.line in private_lines(source):
            lines.append(f"{'':>4} | (line {d.line} is not shown: it is part of a `private` value)")
        elif source is not None and d.line <= len(source):
            text, column = _visible(source[d.line - 1], d.column)
            number = str(d.line)
            lines.append(f"{number:>4} | {text}")
            lines.append(f"{'':>4} | {_caret_padding(text[:column - 1])}{_paint('^', 'caret', color)}")
        if d.hint:
            lines.append(_paint(f"    hint: {d.hint}", "hint", color))
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


_PRIVATE_KEY = re.compile(r"""(^|[{,\s])["']?private["']?\s*:(\s|$)""")


def private_lines(lines: list[str]) -> set[int]:
    """The 1-based numbers of the lines that may hold a `private` value: each line with a
    `private:` key, and the lines after it that are blank or indented deeper (a block
    scalar, a long value). Read from the text, so a file YAML cannot parse is covered too;
    a line too many is hidden rather than a line too few shown."""
    found: set[int] = set()
    key_indent: int | None = None
    for number, line in enumerate(lines, 1):
        indent = len(line) - len(line.lstrip(" \t"))
        if key_indent is not None and (not line.strip() or indent > key_indent):
            found.add(number)
            continue
        key_indent = None
        if _PRIVATE_KEY.search(line):
            found.add(number)
            key_indent = indent
    return found


def render_json(diagnostics: list[Diagnostic]) -> str:
    return json.dumps([d.as_json() for d in sorted_diagnostics(diagnostics)], ensure_ascii=False, indent=2)


def _paint(text: str, style: str, color: bool) -> str:
    return f"{_STYLES[style]}{text}{_RESET}" if color else text


def _lines(path: Path) -> list[str] | None:
    """The lines to quote, from a regular file only (a FIFO would block, a device never end),
    and of a huge file only its first MAX_FILE_BYTES."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
        return split_lines(data.decode("utf-8-sig", errors="replace"))
    except OSError:
        return None


def _visible(line: str, column: int) -> tuple[str, int]:
    """The line safe to print (control characters shown as U+FFFD), cut to a readable width
    around `column`; and the column within what is shown."""
    safe = "".join(ch if ch == "\t" or unicodedata.category(ch)[0] != "C" else "\ufffd" for ch in line)
    start = max(0, column - 1 - _SHOWN_WIDTH // 2) if len(safe) > _SHOWN_WIDTH else 0
    shown = safe[start:start + _SHOWN_WIDTH]
    prefix = "…" if start else ""
    suffix = "…" if start + _SHOWN_WIDTH < len(safe) else ""
    return prefix + shown + suffix, column - start + len(prefix)


def _caret_padding(before: str) -> str:
    """Spaces under the text before the column: tabs kept, wide characters two cells."""
    return "".join(
        "\t" if ch == "\t" else "  " if unicodedata.east_asian_width(ch) in "WF" else " "
        for ch in before
    )
