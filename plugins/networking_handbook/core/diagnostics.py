"""Problems are values: every stage returns them instead of raising for bad input."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

# A note is worth knowing but is no problem (two people may share a name): `handbook check`
# prints it, a build logs it as info, so `mkdocs build --strict` does not stop for it.
Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in one file, at a 1-based line and column (0 when the file has none)."""

    path: str
    line: int
    column: int
    message: str
    severity: Severity = "error"
    hint: str | None = None

    def __post_init__(self) -> None:
        # Whatever a message quotes from a file (a key, a value, a name), no control character
        # reaches the terminal: `\x1b[2J` in a key would clear the screen.
        for name in ("path", "message", "hint"):
            text = getattr(self, name)
            if text is not None and _CONTROL.search(text):
                object.__setattr__(self, name, _CONTROL.sub(_escape, text))

    def format(self) -> str:
        """The compiler-style text: `path:line:col: error: message`, then the hint."""
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """File order, then position: the order a reader fixes them in."""
    return sorted(diagnostics, key=lambda d: (d.path, d.line, d.column, d.message))


def shorten(value: object, limit: int = 40) -> str:
    """User text for a message: at most `limit` characters on one line, with line breaks,
    tabs and other invisible characters written as escapes (`\\n`, `\\t`, `\\x1b`), so that a
    value rejected for them shows them and nothing reaches the terminal as a control."""
    text = _INVISIBLE.sub(_escape, str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# What is never printed raw: C0 and C1 controls, DEL, and the bidirectional overrides that
# reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    return _ESCAPES.get(character) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


SUGGESTED = 5  # the most choices one hint names


def did_you_mean(word: str, choices: Iterable[str], *, prefixes: bool = False) -> str | None:
    """A hint naming the closest choice, compared case-insensitively, if one is close.

    With `prefixes` (for what a user types on the command line), the choices that begin with
    `word` come first: `alex` suggests `alex-example`, and `an` every choice starting so (up to
    `SUGGESTED`). Never more than a hint: the caller picks none of them."""
    by_lower = {choice.lower(): choice for choice in choices}
    lowered = word.lower()
    found = sorted(by_lower[lower] for lower in by_lower if prefixes and word and lower.startswith(lowered)) or [
        by_lower[lower] for lower in difflib.get_close_matches(lowered, list(by_lower), n=1, cutoff=0.6)]
    if len(found) <= 1:
        return f"did you mean `{found[0]}`?" if found else None
    shown = ", ".join(f"`{choice}`" for choice in found[:SUGGESTED]) + (", ..." if len(found) > SUGGESTED else "")
    return f"did you mean one of {shown}?"

