"""Stage 2, model: documents to a validated, cross-checked Handbook.

Pydantic models in strict mode hold every SPEC field; their errors carry the path of the
bad value, which the document's node tree turns into `line:col`. Cross-file references are
checked after every file has been validated on its own.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from .diagnostics import Diagnostic, did_you_mean, shorten
from .files import DocumentCache, HandbookFiles, read_handbook
from .load import Document
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
Url = Annotated[str, AfterValidator(_check_url)]
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


def build_handbook(
    contact_documents: dict[str, Document], event_documents: dict[str, Document]
) -> tuple[Handbook, list[Diagnostic]]:
    """Validate each document, then check the slugs the files refer to."""
    diagnostics: list[Diagnostic] = []
    contacts = _validate_all(Contact, contact_documents, diagnostics)
    events = _validate_all(Event, event_documents, diagnostics)
    diagnostics += _dangling_references(contacts, events, contact_documents, event_documents)
    paths = {("contacts", slug): doc.path for slug, doc in contact_documents.items()}
    paths |= {("events", slug): doc.path for slug, doc in event_documents.items()}
    handbook = Handbook(dict(sorted(contacts.items())), dict(sorted(events.items())), paths)
    return handbook, diagnostics


def _validate_all(model: type[_Record], documents: dict[str, Document],
                  diagnostics: list[Diagnostic]) -> dict[str, Any]:
    valid = {}
    for slug, document in documents.items():
        try:
            valid[slug] = model.model_validate(document.data)
        except ValidationError as error:
            diagnostics += [_diagnostic(model, document, detail) for detail in error.errors()]
    return valid


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
        message = f"`{shorten(value)}` is not a valid `{key}`: use one of {', '.join(choices)}"
        hint = did_you_mean(str(value), choices)
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


def _dangling_references(contacts: dict[str, Contact], events: dict[str, Event],
                         contact_documents: dict[str, Document],
                         event_documents: dict[str, Document]) -> list[Diagnostic]:
    """Every slug a file names must be a file: `met.at`, `met.via`, `event`, `with`, `people`."""
    found: list[Diagnostic] = []

    def check(document: Document, loc: tuple[str | int, ...], slug: str | None,
              known: dict[str, Document], what: str) -> None:
        if slug is None or slug in known:
            return
        line, column = document.locate(loc)
        found.append(Diagnostic(document.path, line, column, f"unknown {what} `{slug}`",
                                hint=did_you_mean(slug, known) or f"create {what}s/{slug}.yml, or fix the slug"))

    for slug, contact in contacts.items():
        document = contact_documents[slug]
        check(document, ("met", "at"), contact.met.at, event_documents, "event")
        check(document, ("met", "via"), contact.met.via, contact_documents, "contact")
        for index, interaction in enumerate(contact.interactions):
            check(document, ("interactions", index, "event"), interaction.event, event_documents, "event")
            for position, other in enumerate(interaction.with_):
                check(document, ("interactions", index, "with", position), other, contact_documents, "contact")
    for slug, event in events.items():
        for position, person in enumerate(event.people):
            check(event_documents[slug], ("people", position), person, contact_documents, "contact")
    return found


def load_handbook(data_dir: Path, relative_to: Path,
                  cache: DocumentCache | None = None) -> tuple[Handbook, HandbookFiles, list[Diagnostic]]:
    """Read, validate and cross-check a handbook folder: the one entry point of the engine."""
    files = read_handbook(data_dir, relative_to, cache)
    handbook, problems = build_handbook(files.documents["contacts"], files.documents["events"])
    return handbook, files, files.diagnostics + problems
