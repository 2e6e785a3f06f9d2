"""The plugin options of SPEC section 2: the one declaration of every option (its name, type,
default and meaning), and the one validation that the MkDocs plugin and the CLI share.

Each option is a field of `Settings` declared with `option(...)`; the README's table of
settings is `options_table()` (a test keeps them equal). Validation reports every bad option
of a run at once, in the user's words, at the `line:col` of mkdocs.yml that holds it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from . import environment
from .diagnostics import Diagnostic, did_you_mean, shorten
from .environment import TODAY_VARIABLE
from .site_config import PLUGIN_NAME, SiteConfig
from .values import Duration, parse_date, parse_duration


def _check_timezone(name: str | None) -> str | None:
    if name is not None:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"`{shorten(name)}` is not an IANA time zone such as Europe/Lisbon") from None
    return name


def _date_or_text(value: object) -> object:
    return parse_date(value) if isinstance(value, str) else value


def _duration_text(value: object) -> object:
    """A duration written as text; a number or `true` (as MkDocs' YAML reads them) is an error."""
    if not isinstance(value, str):
        raise PydanticCustomError("handbook_duration", "expected a duration like `2w`, got {value}",
                                  {"value": _shown(value), "hint": "a whole number and d, w, m or y "
                                   "(days, weeks, months, years), such as 7d"})
    return parse_duration(value)


def _span(value: object) -> object:
    """A duration where `none` makes no sense (a promise is always due some day)."""
    if value == "none":
        raise ValueError("`none` is not allowed here: give a duration like 7d")
    try:
        return _duration_text(value)
    except PydanticCustomError as error:
        context = dict(error.context or {})
        context["hint"] = str(context.get("hint", "")).removesuffix(", or none")
        raise PydanticCustomError(error.type, error.message_template, context) from None


SpanValue = Annotated[Duration, BeforeValidator(_span)]
CadenceValue = Annotated[Duration | Literal["none"], BeforeValidator(_duration_text)]


def option(default: Any, meaning: str, *, shown: str | None = None, example: object = None,
           **constraints: Any) -> Any:
    """One option: its default (shown in the README as `shown`), its meaning, an example value."""
    factory = {"default_factory": default} if callable(default) else {"default": default}
    shown = shown or f"`{default() if callable(default) else default}`"
    return Field(**factory, description=meaning, examples=[default if example is None else example],
                 json_schema_extra={"shown_default": shown}, **constraints)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    data_dir: str = option("handbook", "the handbook folder, relative to `mkdocs.yml`")
    today: Annotated[date | None, BeforeValidator(_date_or_text)] = option(
        None, f"fix the day the rules use; `{TODAY_VARIABLE}` overrides it", shown="the build day",
        example="2026-03-01")
    timezone: Annotated[str | None, AfterValidator(_check_timezone)] = option(
        None, "IANA name such as `Europe/Lisbon`, for the build day", shown="the machine's", example="Europe/Lisbon")
    first_follow_up: SpanValue = option(Duration(1, "d"), "the 24-hour rule")
    promise_due: SpanValue = option(Duration(7, "d"), "when a promise with no `due` falls due, from its `on`")
    gives_before_ask: int = option(3, "gives before an ask stops being early", ge=0)
    dormant_after: SpanValue = option(Duration(180, "d"), "when a tie without a cadence needs re-stoking")
    decide_after: SpanValue = option(Duration(90, "d"), "time to state the mutual benefit of a new relationship")
    cadence_by_tag: dict[str, CadenceValue] = option(
        dict, "e.g. `{mastermind: 2w, mentor: 1m, friends-family: 2m}`", example="{mentor: 1m}")
    weekly_goal: int = option(5, "touches (interactions) a week", ge=1)
    my_industry: str | None = option(None, "to count ties outside your industry", shown="none", example="software")

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


OPTIONS = tuple(Settings.model_fields)


def options_table() -> str:
    """The README's table of settings, from the declaration."""
    rows = ["| option | default | meaning |", "|---|---|---|"]
    for name, info in Settings.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        rows.append(f"| `{name}` | {extra['shown_default']} | {info.description} |")
    return "\n".join(rows) + "\n"


def parse_today(text: str) -> date | None:
    try:
        value = parse_date(text)
    except ValueError:
        return None
    return value if isinstance(value, date) else None


def settings_from_site(site: SiteConfig) -> tuple[Settings, list[Diagnostic]]:
    """The handbook plugin's options validated, every bad one a diagnostic at its place in the
    config; the settings keep each valid option (the default stands in for a bad one).

    An option written with no value (`weekly_goal:`) keeps its default, as in MkDocs."""
    options = {name: value for name, value in (site.options or {}).items() if value is not None}
    try:
        return Settings.model_validate(options), []
    except ValidationError as error:
        details = error.errors()
    diagnostics = [_diagnostic(site, detail) for detail in details]
    bad = {detail["loc"][0] for detail in details if detail["loc"]}
    try:
        settings = Settings.model_validate({k: v for k, v in options.items() if k not in bad})
    except ValidationError:  # only an error in the whole mapping gets here
        settings = Settings()
    return settings, diagnostics


_EXPECTED = {"string_type": "text", "int_type": "a whole number", "dict_type": "a mapping",
             "date_type": "a date"}


def _diagnostic(site: SiteConfig, detail: Any) -> Diagnostic:
    """A pydantic error about an option as the user should read it, where the option is written."""
    loc = tuple(str(part) for part in detail["loc"] if part != "[key]")
    name = ".".join(loc)
    path = ("plugins", PLUGIN_NAME, *loc)
    kind, value, ctx = detail["type"], detail.get("input"), detail.get("ctx") or {}
    hint = ctx.get("hint")
    if kind == "extra_forbidden":
        hint = did_you_mean(name, OPTIONS) or f"the options are: {', '.join(OPTIONS)}"
        return site.diagnostic(path, f"unknown option `{name}` of the handbook plugin", key=True, hint=hint)
    if "[key]" in detail["loc"]:
        message = f"the key {_shown(value)} must be text"
        hint = "put it in quotes"
        return site.diagnostic(path, f"plugin option `{loc[0]}`: {message}", key=True, hint=hint)
    if kind in _EXPECTED:
        examples = Settings.model_fields[loc[0]].examples or []
        example = f" like `{examples[0]}`" if examples and len(loc) == 1 else ""
        message = f"expected {_EXPECTED[kind]}{example}, got {_shown(value)}"
        hint = _type_hint(kind, value)
    elif kind == "greater_than_equal":
        message = f"must be {ctx['ge']} or more, got {_shown(value)}"
    elif kind == "value_error":
        message = str(ctx.get("error", detail["msg"]))
    else:
        message = detail["msg"]
    return site.diagnostic(path, f"plugin option `{name}`: {message}", hint=hint)


def _type_hint(kind: str, value: object) -> str | None:
    if kind == "int_type" and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return "write the number without quotes"
    if kind == "string_type" and isinstance(value, (bool, int, float, date)):
        return "put it in quotes: YAML reads words like `no` and `on`, numbers and dates as other values"
    return None


def _shown(value: object) -> str:
    """A value as mkdocs.yml wrote it, for a message: `true`, `3`, the text `"3"`, a list."""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'the text `"{shorten(value)}"`'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else f"`{shorten(value)}`"
