"""Stage 2, model: documents to a validated, cross-checked Handbook.

Pydantic models in strict mode hold every SPEC field; their errors carry the path of the
bad value, which the document's node tree turns into `line:col`. Cross-file references are
checked after every file has been validated on its own.
"""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Iterator, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from .diagnostics import Diagnostic, did_you_mean, has_errors, shorten
from .files import SLUG, NoteFile, find_note_files
from .load import Document, load_document
from .values import BirthdayValue, Day, DurationValue

_URL = re.compile(r"(https?://|mailto:)\S+", re.IGNORECASE)


def _check_url(value: str) -> str:
    if not _URL.fullmatch(value):
        raise PydanticCustomError(
            "handbook_url", "`{value}` is not a web or mail link",
            {"value": shorten(value), "hint": "links start with https://, http:// or mailto:"},
        )
    return value


Text = Annotated[str, Field(min_length=1)]
URL_PATTERN = r"^([hH][tT][tT][pP][sS]?://|[mM][aA][iI][lL][tT][oO]:)\S+$"
Url = Annotated[str, AfterValidator(_check_url), WithJsonSchema({"type": "string", "pattern": URL_PATTERN})]
Stage = Literal["exploring", "active", "paused", "archived"]
InteractionKind = Literal["email", "call", "message", "coffee", "meeting", "event", "intro", "other"]
EventKind = Literal["meetup", "conference", "coworking", "online", "talk", "workshop", "social",
                    "mastermind", "other"]
EventRole = Literal["attendee", "speaker", "organizer", "host", "author"]


class _Record(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=False)


class Met(_Record):
    on: Day | None = None
    at: Text | None = Field(None, description="event slug")
    via: Text | None = Field(None, description="slug of the contact who introduced you")
    how: Text | None = None


class Interaction(_Record):
    on: Day
    kind: InteractionKind = "other"
    note: Text | None = None
    gave: Text | None = Field(None, description="what you gave them")
    asked: Text | None = Field(None, description="what you asked of them")
    event: Text | None = Field(None, description="event slug")
    with_: list[Text] = Field(default_factory=list, alias="with", description="contact slugs")


class Promise(_Record):
    model_config = ConfigDict(json_schema_extra={"anyOf": [{"required": ["due"]}, {"required": ["on"]}]})

    by: Literal["me", "them"]
    what: Text
    on: Day | None = Field(None, description="the day it was made")
    due: Day | None = None
    done: Day | None = None

    @model_validator(mode="after")
    def _has_a_date(self) -> Promise:
        if self.on is None and self.due is None:
            raise PydanticCustomError(
                "handbook_promise", "a promise needs `due` or `on`",
                {"hint": "add `on: YYYY-MM-DD` (the day it was made) or `due: YYYY-MM-DD`"},
            )
        return self


class Contact(_Record):
    name: Text
    pronouns: Text | None = None
    company: Text | None = None
    role: Text | None = None
    industry: Text | None = None
    location: Text | None = None
    emails: list[Text] = Field(default_factory=list)
    phones: list[Text] = Field(default_factory=list)
    links: dict[str, Url] = Field(default_factory=dict)
    tags: list[Text] = Field(default_factory=list)
    met: Met = Field(default_factory=Met)
    stage: Stage = "exploring"
    cadence: DurationValue | None = None
    revisit: Day | None = None
    benefit: Text | None = None
    needs: list[Text] = Field(default_factory=list)
    offers: list[Text] = Field(default_factory=list)
    birthday: BirthdayValue | None = None
    interactions: list[Interaction] = Field(default_factory=list)
    promises: list[Promise] = Field(default_factory=list)
    notes: str | None = None
    private: str | None = None


class Event(_Record):
    name: Text
    on: Day
    until: Day | None = None
    kind: EventKind = "other"
    role: EventRole = "attendee"
    where: Text | None = None
    url: Url | None = None
    goals: Text | None = None
    people: list[Text] = Field(default_factory=list)
    notes: str | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> Event:
        if self.until is not None and self.until < self.on:
            raise PydanticCustomError(
                "handbook_until", "`until` ({until}) is before `on` ({on})",
                {"until": str(self.until), "on": str(self.on), "hint": "`until` is the last day",
                 "key": "until"},
            )
        return self


@dataclass(frozen=True)
class Handbook:
    """Every valid contact and event, by slug, with the file each came from."""

    contacts: dict[str, Contact] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    paths: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reference:
    """A slug one file names, and where: checked once every file is known."""

    folder: str  # where the slug must exist: "contacts" or "events"
    slug: str
    line: int
    column: int


@dataclass(frozen=True)
class ParsedFile:
    """One file after loading and validation; the node tree is not kept."""

    record: Contact | Event | None
    diagnostics: list[Diagnostic]
    references: tuple[Reference, ...]


MODELS: dict[str, type[Contact] | type[Event]] = {"contacts": Contact, "events": Event}


def parse_file(folder: str, data: bytes, display: str) -> ParsedFile:
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
    return ParsedFile(record, diagnostics, references)


_EACH = -1  # in a reference path: every item of a list
REFERENCE_PATHS: dict[str, tuple[tuple[str, tuple[str | int, ...]], ...]] = {
    "contacts": (("events", ("met", "at")), ("contacts", ("met", "via")),
                 ("events", ("interactions", _EACH, "event")),
                 ("contacts", ("interactions", _EACH, "with", _EACH))),
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
                yield from walk(item, path[1:], loc + (index,))
        elif isinstance(path[0], str) and isinstance(value, dict) and path[0] in value:
            yield from walk(value[path[0]], path[1:], loc + (path[0],))

    for target, path in REFERENCE_PATHS[folder]:
        for loc, slug in walk(document.data, path, ()):
            yield Reference(target, slug, *document.locate(loc))


@dataclass
class FileCache:
    """Parsed files by path, reused while modification time and size are unchanged, so
    `mkdocs serve` parses only what changed."""

    entries: dict[Path, tuple[tuple[int, int, str], ParsedFile]] = field(default_factory=dict)

    def parse(self, note: NoteFile) -> ParsedFile:
        try:
            stat = note.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size, note.display)
            cached = self.entries.get(note.path)
            if cached and cached[0] == stamp:
                return cached[1]
            data = note.path.read_bytes()
        except OSError as error:
            return ParsedFile(None, [Diagnostic(note.display, 0, 0, f"cannot read the file: {error.strerror}")], ())
        parsed = parse_file(note.folder, data, note.display)
        self.entries[note.path] = (stamp, parsed)
        return parsed

    def forget_all_but(self, paths: set[Path]) -> None:
        """Drop deleted and renamed files, so a long `mkdocs serve` does not keep them."""
        for path in set(self.entries) - paths:
            del self.entries[path]


@dataclass(frozen=True)
class LoadResult:
    handbook: Handbook
    diagnostics: list[Diagnostic]
    file_count: int


def load_handbook(data_dir: Path, relative_to: Path, cache: FileCache | None = None) -> LoadResult:
    """Read, validate and cross-check a handbook folder: the one entry point of the engine.

    Paths in diagnostics are relative to `relative_to`."""
    cache = cache or FileCache()
    notes, diagnostics, count = find_note_files(data_dir, relative_to)
    records: dict[str, dict[str, Any]] = {folder: {} for folder in MODELS}
    paths: dict[tuple[str, str], str] = {}
    references: list[tuple[str, Reference]] = []
    cache.forget_all_but({note.path for note in notes})
    for note in notes:
        parsed = cache.parse(note)
        diagnostics += parsed.diagnostics
        references += [(note.display, reference) for reference in parsed.references]
        if not note.usable:
            continue
        paths[(note.folder, note.slug)] = note.display
        if parsed.record is not None:
            records[note.folder][note.slug] = parsed.record
    known = {folder: {slug for (kind, slug) in paths if kind == folder} for folder in MODELS}
    diagnostics += [_unknown_reference(display, reference, known[reference.folder])
                    for display, reference in references if reference.slug not in known[reference.folder]]
    diagnostics += _same_names(records["contacts"], paths)
    handbook = Handbook(dict(sorted(records["contacts"].items())), dict(sorted(records["events"].items())), paths)
    return LoadResult(handbook, diagnostics, count)


def _unknown_reference(display: str, reference: Reference, known: set[str]) -> Diagnostic:
    what = reference.folder.removesuffix("s")
    if not SLUG.fullmatch(reference.slug):
        message = f"`{shorten(reference.slug)}` is not {'an' if what == 'event' else 'a'} {what} slug"
        hint = did_you_mean(reference.slug, known) or "a slug is a file name without `.yml`, like `ana-souza`"
    else:
        message = f"unknown {what} `{reference.slug}`"
        hint = did_you_mean(reference.slug, known) or f"create {reference.folder}/{reference.slug}.yml, or fix the slug"
    return Diagnostic(display, reference.line, reference.column, message, hint=hint)


def _same_names(contacts: dict[str, Contact], paths: dict[tuple[str, str], str]) -> list[Diagnostic]:
    """A warning for each contact whose name another file already uses, compared after
    Unicode normalization and case folding (`Zoë` typed two ways is one name)."""
    first: dict[str, str] = {}
    found = []
    for slug, contact in sorted(contacts.items()):
        key = unicodedata.normalize("NFC", " ".join(contact.name.split())).casefold()
        if key in first:
            found.append(Diagnostic(
                paths[("contacts", slug)], 1, 1,
                f"`{shorten(contact.name)}` is also the name in {paths[('contacts', first[key])]}",
                severity="warning",
                hint="if they are one person, merge the two files; if not, tell them apart in `name`"))
        else:
            first[key] = slug
    return found


def _diagnostic(model: type[_Record], document: Document, error: Any) -> Diagnostic:
    """A pydantic error as the user should read it, at the line and column of the value."""
    ctx = error.get("ctx") or {}
    loc = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
    if "key" in ctx:  # a check across fields names the key to point at
        loc += (ctx["key"],)
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
        message = f"unknown key `{key}`"
        known = _known_keys(model, loc[:-1])
        hint = did_you_mean(key, known) or f"the keys here are: {', '.join(known)}"
    elif kind == "literal_error":
        choices = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        if isinstance(value, str):
            message = f"`{shorten(value)}` is not a valid `{key}`: use one of {', '.join(choices)}"
            hint = did_you_mean(value, choices)
        else:
            message, hint = f"{subject} must be one of {', '.join(choices)}, not {_kind_of(value)}", None
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


def _shape_hint(key: str, kind: str, value: object) -> str | None:
    if kind == "list_type" and isinstance(value, str):
        return f"write it as a list: `{key}: [{shorten(value)}]`"
    if kind == "string_type" and isinstance(value, (list, dict)):
        return "quote the value if it has `: ` or starts with `[`, `{` or `-`"
    if value is None:
        return "write a value there, or remove the empty entry"
    if kind in ("dict_type", "model_type") and isinstance(value, str):
        return f"put the entries of `{key}` on indented lines below it, as `key: value`"
    return None


def _kind_of(value: object) -> str:
    return {str: "text", list: "a list", dict: "a mapping"}.get(type(value), "empty")


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
