"""Stage 2, model: documents to a validated, cross-checked Handbook.

Pydantic models in strict mode hold every SPEC field; their errors carry the path of the
bad value, which the document's node tree turns into `line:col`. Cross-file references are
checked after every file has been validated on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from .diagnostics import shorten
from .values import BirthdayValue, Day, DurationValue

URL_PATTERN = r"^([hH][tT][tT][pP][sS]?://\S+|[mM][aA][iI][lL][tT][oO]:[^\s?]+)$"
# An address, nothing more: no spaces, and none of the characters that would end it in a
# `mailto:` link or a header (`?`, `&`, `%`, `<`, `,` ...), one `@`, a domain with a dot.
_NOT_IN_ADDRESS = r'\s@?&%<>()\[\]\\,;:"'
_NOT_IN_DOMAIN = _NOT_IN_ADDRESS + r"!#$*+=^`{|}~/'"
EMAIL_PATTERN = f"^[^{_NOT_IN_ADDRESS}]+@[^{_NOT_IN_DOMAIN}]+\\.[^{_NOT_IN_DOMAIN}.]+$"
_URL, _EMAIL = re.compile(URL_PATTERN), re.compile(EMAIL_PATTERN)


def _check_url(value: str) -> str:
    if value[:7].lower() == "mailto:" and "?" in value:
        raise PydanticCustomError(
            "handbook_url", "`{value}` adds mail headers after `?` (such as cc, bcc or a subject)",
            {"value": shorten(value), "hint": f"a mail link is the address alone: `{shorten(value.split('?')[0])}`"},
        )
    if not _URL.fullmatch(value):
        raise PydanticCustomError(
            "handbook_url", "`{value}` is not a web or mail link",
            {"value": shorten(value), "hint": "links start with https://, http:// or mailto:"},
        )
    return value


def _check_email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise PydanticCustomError(
            "handbook_email", "`{value}` is not an email address",
            {"value": shorten(value), "hint": "write the address alone, like `ana@example.org`: "
             "no spaces, no name, no `?`, `&` or other parts of a link"},
        )
    return value


Text = Annotated[str, Field(min_length=1)]
Url = Annotated[str, AfterValidator(_check_url), WithJsonSchema({"type": "string", "pattern": URL_PATTERN})]
Email = Annotated[str, AfterValidator(_check_email), WithJsonSchema({"type": "string", "pattern": EMAIL_PATTERN})]
Stage = Literal["exploring", "active", "paused", "archived"]
InteractionKind = Literal["email", "call", "message", "coffee", "meeting", "event", "intro", "other"]
EventKind = Literal["meetup", "conference", "coworking", "online", "talk", "workshop", "social",
                    "mastermind", "other"]
EventRole = Literal["attendee", "speaker", "organizer", "host", "author"]


class Record(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=False)

    @model_validator(mode="after")
    def _share_fields_set(self) -> Self:
        """Records with the same keys written share one set of them: pydantic gives each model
        its own, a quarter of a handbook's memory (issue 15), and a frozen record never changes it."""
        written = self.__pydantic_fields_set__
        object.__setattr__(self, "__pydantic_fields_set__", _FIELDS_SETS.setdefault(frozenset(written), written))
        return self


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


class Met(Record):
    on: Day | None = None
    at: Text | None = Field(None, description="event slug")
    via: Text | None = Field(None, description="slug of the contact who introduced you")
    how: Text | None = None


class Interaction(Record):
    on: Day
    kind: InteractionKind = "other"
    note: Text | None = None
    gave: Text | None = Field(None, description="what you gave them")
    asked: Text | None = Field(None, description="what you asked of them")
    event: Text | None = Field(None, description="event slug")
    with_: list[Text] = Field(default_factory=list, alias="with", description="contact slugs")


class Promise(Record):
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
        if self.on is not None and self.done is not None and self.done < self.on:
            raise PydanticCustomError(
                "handbook_done", "`done` ({done}) is before `on` ({on}), the day the promise was made",
                {"done": str(self.done), "on": str(self.on), "key": "done",
                 "hint": "`done` is the day it was kept: check both dates"},
            )
        return self


class Contact(Record):
    name: Text
    pronouns: Text | None = None
    company: Text | None = None
    role: Text | None = None
    industry: Text | None = None
    location: Text | None = None
    emails: list[Email] = Field(default_factory=list)
    phones: list[Text] = Field(default_factory=list)
    links: dict[str, Url] = Field(default_factory=dict)
    tags: list[Text] = Field(default_factory=list)
    met: Met = Field(default_factory=Met)
    knows: list[Text] = Field(default_factory=list, description="slugs of contacts this person knows")
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


class Event(Record):
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

    @model_validator(mode="after")
    def _lists_each_person_once(self) -> Event:
        for index, slug in enumerate(self.people):
            if slug in self.people[:index]:
                raise PydanticCustomError(
                    "handbook_people", "`{slug}` is listed twice in `people`",
                    {"slug": slug, "key": "people", "index": index, "hint": "remove the second one"},
                )
        return self


@dataclass(frozen=True)
class Handbook:
    """Every valid contact and event, by slug, with the file each came from."""

    contacts: dict[str, Contact] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    paths: dict[tuple[str, str], str] = field(default_factory=dict)
    # While serving, files with errors kept as ("contacts", slug): "last valid" or "none valid".
    stand_ins: dict[tuple[str, str], str] = field(default_factory=dict)


