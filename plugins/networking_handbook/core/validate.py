"""Stage 2b, validate: one document to a record, every error placed at `line:col`."""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from anyascii import anyascii
from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, did_you_mean, has_errors, shorten
from .load import Document, load_document
from .records import Contact, Event, Record


@dataclass(frozen=True, slots=True)
class Reference:
    """A slug one file names, and where: checked once every file is known."""

    folder: str  # where the slug must exist: "contacts" or "events"
    slug: str
    line: int
    column: int
    key: str = ""  # the key that names it: `via`, `with`, `knows`...


@dataclass(frozen=True)
class ParsedFile:
    """One file after loading and validation; the node tree is not kept."""

    record: Contact | Event | None
    diagnostics: list[Diagnostic]
    references: tuple[Reference, ...]
    # with `keep_values`, the plain values a valid record came from: what the cache between runs keeps
    values: dict[str, Any] | None = field(default=None, compare=False, repr=False)


MODELS: dict[str, type[Contact] | type[Event]] = {"contacts": Contact, "events": Event}


def parse_file(folder: str, data: bytes, display: str, *, keep_values: bool = False) -> ParsedFile:
    """Load and validate one file's bytes, noting where it refers to other files.

    References are read from the document itself, so a file with other errors still has
    its dangling slugs reported in the same run."""
    document, diagnostics = load_document(data, display)
    if document is None:
        return ParsedFile(None, diagnostics, ())
    references = tuple(_references(folder, document))
    model = MODELS[folder]
    try:
        record = model.model_validate(document.data)
    except ValidationError as error:
        diagnostics += [_diagnostic(model, document, detail) for detail in error.errors()]
        return ParsedFile(None, diagnostics, references)
    if has_errors(diagnostics):  # a duplicate key or a tag: reported, and the file left out
        return ParsedFile(None, diagnostics, references)
    return ParsedFile(record, diagnostics, references, document.data if keep_values else None)


_EACH = -1  # in a reference path: every item of a list
REFERENCE_PATHS: dict[str, tuple[tuple[str, tuple[str | int, ...]], ...]] = {
    "contacts": (("events", ("met", "at")), ("contacts", ("met", "via")),
                 ("events", ("interactions", _EACH, "event")),
                 ("contacts", ("interactions", _EACH, "with", _EACH)), ("contacts", ("knows", _EACH))),
    "events": (("contacts", ("people", _EACH)),),
}


def _references(folder: str, document: Document) -> Iterator[Reference]:
    """Every slug the file names where SPEC puts one; values of the wrong shape are left to
    validation."""
    def walk(value: Any, path: tuple[str | int, ...],
             loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
        if not path:
            if isinstance(value, str) and value:  # an empty one is reported by validation
                yield loc, value
        elif path[0] == _EACH and isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, path[1:], (*loc, index))
        elif isinstance(path[0], str) and isinstance(value, dict) and path[0] in value:
            yield from walk(value[path[0]], path[1:], (*loc, path[0]))

    for target, path in REFERENCE_PATHS[folder]:
        for loc, slug in walk(document.data, path, ()):
            key = next(part for part in reversed(path) if isinstance(part, str))
            yield Reference(target, slug, *document.locate(loc), key)


def _diagnostic(model: type[Record], document: Document, error: Any) -> Diagnostic:
    """A pydantic error as the user should read it, at the line and column of the value."""
    ctx = error.get("ctx") or {}
    loc = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
    if "key" in ctx:  # a check across fields names the key (and item) to point at
        loc += (ctx["key"],) + ((ctx["index"],) if "index" in ctx else ())
    keys = [part for part in loc if isinstance(part, str)]
    key = keys[-1] if keys else "this"
    subject = f"item {loc[-1] + 1} of `{key}`" if loc and isinstance(loc[-1], int) else f"`{key}`"
    value = error.get("input")
    kind = error["type"]
    hint = ctx.get("hint")
    at_key = kind == "extra_forbidden"
    if kind == "missing" and document.has(loc):
        message, hint = f"`{key}` is empty", f"write a value after `{key}:`"
    elif kind == "missing":
        message, hint = f"missing required key `{key}`", f"add `{key}: ...`"
    elif kind == "extra_forbidden":
        message = f"unknown key `{shorten(key)}`"
        known = _known_keys(model, loc[:-1])
        hint = did_you_mean(key, known) or f"the keys here are: {', '.join(known)}"
        foreign = next((ch for ch in key if not ch.isascii()), None)
        if foreign:
            message += f": {_not_ascii(foreign)}"
            hint = did_you_mean(anyascii(key), known) or hint
    elif kind == "literal_error":
        choices = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        if isinstance(value, str):
            message = f"`{shorten(value)}` is not a valid `{key}`: use one of {', '.join(choices)}"
            hint = did_you_mean(value, choices) or "write one of these words exactly as listed"
        else:
            message = f"{subject} must be one of {', '.join(choices)}, not {_kind_of(value)}"
            hint = f"write one word on the line, like `{key}: {choices[0]}`" if choices else None
    elif kind == "handbook_shape":
        message = f"{subject} {error['msg']}"
    elif kind in ("string_type", "list_type", "dict_type", "model_type", "model_attributes_type"):
        wanted = {"string_type": "text", "list_type": "a list"}.get(kind, "a mapping")
        message = f"{subject} must be {wanted}, not {_kind_of(value)}"
        hint = _shape_hint(key, kind, value)
    elif kind == "string_too_short":
        message, hint = f"{subject} is empty", f"write a value after `{key}:` or remove the line"
    else:
        message = error["msg"]
    line, column = document.locate(loc, key=at_key)
    return Diagnostic(document.path, line, column, message, hint=hint)


def _not_ascii(ch: str) -> str:
    """Why a character does not belong in a key, naming it: keys are plain ASCII, and a look-alike
    letter (Cyrillic `а` in `nаme`) is invisible otherwise."""
    name = unicodedata.name(ch, "")
    described = f"`{ch}` (U+{ord(ch):04X}{' ' + name if name else ''})"
    if unicodedata.category(ch).startswith("L") and "LATIN" not in name:
        return f"{described} is not a Latin letter, though it may look like one"
    return f"{described} is not ASCII: keys are plain ASCII words"


def _shape_hint(key: str, kind: str, value: object) -> str | None:
    if kind == "list_type" and isinstance(value, str):
        return f"write it as a list: `{key}: [{shorten(value)}]`"
    if kind == "string_type" and isinstance(value, (list, dict)):
        return "quote the value if it has `: ` or starts with `[`, `{` or `-`"
    if value is None:
        return "write a value there, or remove the empty entry"
    if kind in ("dict_type", "model_type") and isinstance(value, str):
        return f"put the entries of `{key}` on indented lines below it, as `key: value`"
    if kind == "list_type":
        return f"write `{key}` as a list: `[a, b]`, or one `- item` per line below it"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"write `key: value` lines indented below `{key}:`, without `- `"
    return None


def _kind_of(value: object) -> str:
    names: dict[type, str] = {str: "text", list: "a list", dict: "a mapping"}
    return names.get(type(value), "empty")


def _known_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The keys allowed at `loc` inside `model`, found by following the field annotations."""
    annotation: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        fields = {info.alias or name: info.annotation for name, info in annotation.model_fields.items()}
        annotation = _unwrap(fields.get(part))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [info.alias or name for name, info in annotation.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """`list[Interaction]` and `Met | None` to the model class inside."""
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        models = [_unwrap(arg) for arg in typing.get_args(annotation)]
        return next((m for m in models if isinstance(m, type) and issubclass(m, BaseModel)), None)
    return annotation
