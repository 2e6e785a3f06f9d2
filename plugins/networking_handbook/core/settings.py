"""The plugin options of SPEC section 2, shared by the MkDocs plugin and the CLI."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from . import environment
from .diagnostics import Diagnostic, did_you_mean
from .environment import TODAY_VARIABLE
from .values import Duration, DurationValue, parse_date, parse_duration


def _check_timezone(name: str | None) -> str | None:
    if name is not None:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"`{name}` is not an IANA time zone such as Europe/Lisbon") from None
    return name


def _date_or_text(value: object) -> object:
    return parse_date(value) if isinstance(value, str) else value


def _duration_only(value: object) -> object:
    parsed = parse_duration(value)
    if parsed == "none":
        raise ValueError("`none` is not allowed here: give a duration like 7d")
    return parsed


SpanValue = Annotated[Duration, BeforeValidator(_duration_only)]


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    data_dir: str = "handbook"
    today: Annotated[date | None, BeforeValidator(_date_or_text)] = None
    timezone: Annotated[str | None, AfterValidator(_check_timezone)] = None
    first_follow_up: SpanValue = Duration(1, "d")
    promise_due: SpanValue = Duration(7, "d")
    gives_before_ask: int = Field(3, ge=0)
    dormant_after: SpanValue = Duration(180, "d")
    decide_after: SpanValue = Duration(90, "d")
    cadence_by_tag: dict[str, DurationValue] = Field(default_factory=dict)
    weekly_goal: int = Field(5, ge=1)
    my_industry: str | None = None

    def resolve_today(self, override: date | None = None) -> date:
        """The day the rules use: an explicit override, HANDBOOK_TODAY, `today`, or the clock."""
        if override is not None:
            return override
        variable = environment.today_text()
        if variable:
            day = parse_today(variable)
            if day is None:
                raise ValueError(f"{TODAY_VARIABLE}={variable!r} is not a date as YYYY-MM-DD")
            return day
        if self.today is not None:
            return self.today
        zone = ZoneInfo(self.timezone) if self.timezone else None
        return datetime.now(zone).date()


    def today_is_fixed(self) -> bool:
        """Whether the day comes from `today` or HANDBOOK_TODAY rather than the clock."""
        return environment.today_text() is not None or self.today is not None


def parse_today(text: str) -> date | None:
    try:
        value = parse_date(text)
    except ValueError:
        return None
    return value if isinstance(value, date) else None


def settings_from_options(options: dict[str, Any], source: str) -> tuple[Settings, list[Diagnostic]]:
    """Validate plugin options; on errors, the defaults and one diagnostic per bad option."""
    try:
        return Settings.model_validate(options), []
    except ValidationError as error:
        diagnostics = []
        for detail in error.errors():
            name = ".".join(str(part) for part in detail["loc"]) or "handbook"
            if detail["type"] == "extra_forbidden":
                hint = did_you_mean(name, Settings.model_fields)
                message = f"unknown option `{name}` of the handbook plugin"
            else:
                hint = None
                message = f"plugin option `{name}`: {detail['msg'].removeprefix('Value error, ')}"
            diagnostics.append(Diagnostic(source, 0, 0, message, hint=hint))
        return Settings(), diagnostics
