"""The value types of the handbook: dates, birthdays and durations, parsed from exact text."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from .diagnostics import shorten

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
BIRTHDAY_PATTERN = r"^([0-9]{4}|-)-[0-9]{2}-[0-9]{2}$"
DURATION_PATTERN = r"^([0-9]{1,6}[dwmy]|none)$"
_DATE = re.compile(DATE_PATTERN)
_YEARLESS = re.compile(r"--([0-9]{2})-([0-9]{2})")
_DURATION = re.compile(r"([0-9]{1,6})([dwmy])")
UNITS = "dwmy"  # smallest first
# Durations compare by the days they span from this day (so 1m = 31d, 1y = 366d).
_REFERENCE_DAY = date(2000, 1, 1)


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Duration:
    count: int
    unit: Literal["d", "w", "m", "y"]  # in UNITS order

    def after(self, day: date) -> date:
        """The day this long after `day`; the last day of the calendar if that is beyond it."""
        try:
            if self.unit == "d":
                return day + timedelta(days=self.count)
            if self.unit == "w":
                return day + timedelta(weeks=self.count)
            return add_months(day, self.count * (12 if self.unit == "y" else 1))
        except (OverflowError, ValueError):
            return date.max

    def length_in_days(self) -> int:
        return (self.after(_REFERENCE_DAY) - _REFERENCE_DAY).days

    def in_words(self) -> str:
        """`3m` as "3 months", `1w` as "week" (read after "every")."""
        unit = {"d": "day", "w": "week", "m": "month", "y": "year"}[self.unit]
        return unit if self.count == 1 else f"{self.count} {unit}s"

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"


@dataclass(frozen=True, slots=True)
class Birthday:
    month: int
    day: int
    year: int | None = None

    def __str__(self) -> str:
        prefix = f"{self.year:04d}" if self.year else "-"
        return f"{prefix}-{self.month:02d}-{self.day:02d}"


def _require_text(value: object, expected: str) -> None:
    """A list or mapping where a single value belongs gets one clear error, not one per type."""
    if isinstance(value, (list, dict)):
        kind = "a list" if isinstance(value, list) else "a mapping"
        raise PydanticCustomError("handbook_shape", "must be {expected}, not {kind}",
                                  {"expected": expected, "kind": kind,
                                   "hint": "write a single value on the same line as its key"})


def parse_date(value: object) -> object:
    _require_text(value, "a date (YYYY-MM-DD)")
    if not isinstance(value, str):
        return value
    if not _DATE.match(value):
        raise PydanticCustomError(
            "handbook_date", "expected a date as YYYY-MM-DD, got `{value}`",
            {"value": shorten(value), "hint": "write dates like 2026-03-01"},
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "handbook_date", "`{value}` is not a real date",
            {"value": shorten(value), "hint": "check the month and the number of days in it"},
        ) from None


def parse_birthday(value: object) -> object:
    _require_text(value, "a birthday (YYYY-MM-DD or --MM-DD)")
    if not isinstance(value, str):
        return value
    yearless = _YEARLESS.fullmatch(value)
    if not yearless:
        if not _DATE.match(value):
            raise PydanticCustomError(
                "handbook_date", "expected a birthday as YYYY-MM-DD or --MM-DD, got `{value}`",
                {"value": shorten(value), "hint": "write 1990-07-14, or --07-14 without the year"},
            )
        day = parse_date(value)
        assert isinstance(day, date)
        return Birthday(day.month, day.day, day.year)
    month, day_of_month = int(yearless[1]), int(yearless[2])
    if not (1 <= month <= 12 and 1 <= day_of_month <= calendar.monthrange(2000, month)[1]):
        raise PydanticCustomError(
            "handbook_date", "`{value}` is not a real day of the year",
            {"value": shorten(value), "hint": "write a birthday without a year as --MM-DD, e.g. --07-14"},
        )
    return Birthday(month, day_of_month)


def parse_duration(value: object) -> object:
    """`3m` to a Duration; `none` stays the text "none"."""
    _require_text(value, "a duration like `2w`, or none")
    if not isinstance(value, str) or value == "none":
        return value
    match = _DURATION.fullmatch(value)
    if not match:
        raise PydanticCustomError(
            "handbook_duration", "expected a duration like `2w`, got `{value}`",
            {"value": shorten(value), "hint": _duration_hint(value)},
        )
    return Duration(int(match[1]), match[2])  # type: ignore[arg-type]


def _duration_hint(value: str) -> str:
    if value.lower() == "none":
        return "write `none` in lower case"
    if _DURATION.fullmatch(value.lower()):
        return f"units are lower-case: did you mean `{value.lower()}`?"
    if _DURATION.fullmatch(value.strip()):
        return f"remove the spaces: `{value.strip()}`"
    if re.fullmatch(r"[0-9]{7,}[dwmy]", value):
        return "at most 6 digits: 999999d is over 2,700 years"
    return "a whole number and d, w, m or y (days, weeks, months, years), or none"


Day = Annotated[date, BeforeValidator(parse_date),
                WithJsonSchema({"type": "string", "pattern": DATE_PATTERN, "format": "date"})]
BirthdayValue = Annotated[Birthday, BeforeValidator(parse_birthday),
                          WithJsonSchema({"type": "string", "pattern": BIRTHDAY_PATTERN})]
DurationValue = Annotated[Duration | Literal["none"], BeforeValidator(parse_duration),
                          WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN})]
