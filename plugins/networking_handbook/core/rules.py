"""Stage 3, rules: the follow-up items, the give/ask ledger and the weekly rhythm for a day.

Which rules there are and how their items are worded is the table in `rule_table`; this
module decides when each one is due.

Every function is pure: `(handbook, settings, today)` in, plain values out. Interactions
dated after `today` are ignored throughout, so any past day can be replayed exactly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .identity import tag_slug
from .records import Contact, Handbook, Interaction, Promise
from .rule_table import CHECK_IN, FOLLOW_UP_NEW, MY_PROMISE, RE_STOKE, STATE_BENEFIT, THEIR_PROMISE, Rule, RuleId
from .settings import Settings
from .values import UNITS, Duration

FOLLOWING = ("exploring", "active")


@dataclass(frozen=True, slots=True)
class Item:
    rule: RuleId
    contact: str
    due: date
    days_overdue: int
    summary: str
    promise: int | None = None  # for a promise: its number in the file (1 = the first), as `done` takes it

    def as_json(self) -> dict[str, object]:
        return {"rule": self.rule, "contact": self.contact, "due": self.due.isoformat(),
                "days_overdue": self.days_overdue, "summary": self.summary}


@dataclass(frozen=True, slots=True)
class Ledger:
    gives: int
    asks: int
    early_asks: tuple[Interaction, ...]
    gives_since_last_ask: int
    ready_to_ask: bool


@dataclass(frozen=True, slots=True)
class Rhythm:
    week_start: date
    touches: int
    goal: int
    streak: int


def item_sort_key(item: Item) -> tuple[int, str, str]:
    """Most overdue first, then by contact slug, then by rule name."""
    return (-item.days_overdue, item.contact, item.rule)


def compute_items(handbook: Handbook, settings: Settings, today: date) -> list[Item]:
    """Every open item of every contact that is not archived, in `item_sort_key` order."""
    meetings = first_meetings(handbook)
    items = [
        item
        for slug, contact in handbook.contacts.items()
        if contact.stage != "archived"
        for item in _contact_items(slug, contact, handbook, settings, today, meetings.get(slug))
    ]
    return sorted(items, key=item_sort_key)


def when_due(days_overdue: int) -> str:
    """`3 days overdue`, `due today` or `in 2 days`."""
    if days_overdue == 0:
        return "due today"
    days = abs(days_overdue)
    unit = "day" if days == 1 else "days"
    return f"{days} {unit} overdue" if days_overdue > 0 else f"in {days} {unit}"


def due_items(items: list[Item], upcoming_days: int = 0) -> list[Item]:
    """The items due within `upcoming_days` from today, overdue ones included."""
    return [item for item in items if item.days_overdue >= -upcoming_days]


def _contact_items(slug: str, contact: Contact, handbook: Handbook, settings: Settings,
                   today: date, meeting: tuple[date, str | None] | None) -> Iterator[Item]:
    def item(rule: Rule, due: date, case: str, promise: int | None = None, **values: object) -> Item:
        return Item(rule.id, slug, due, (today - due).days, rule.summary(case, name=contact.name, **values), promise)

    touched = last_touch(contact, today)
    first_day, met_at = meeting or (None, None)
    follow_up_open = first_day is not None and not _followed_up_since(contact, first_day, today)
    if follow_up_open:
        assert first_day is not None
        where = handbook.events[met_at].name if met_at in handbook.events else None
        yield item(FOLLOW_UP_NEW, settings.first_follow_up.after(first_day), "met_at_event" if where else "met",
                   met_on=first_day.isoformat(), event=where)
    cadence = cadence_of(contact, settings)
    following = contact.stage in FOLLOWING
    if cadence is not None and following and not follow_up_open:
        if touched:
            yield item(CHECK_IN, cadence.after(touched), "touched", cadence=cadence.in_words(),
                       last_touch=touched.isoformat())
        else:
            yield item(CHECK_IN, today, "untouched", cadence=cadence.in_words())
    for number, promise in open_promises(contact, today):
        yield item(MY_PROMISE if promise.by == "me" else THEIR_PROMISE, promise_due(promise, settings), "open",
                   number, what=promise.what)
    if cadence is None and following and touched is not None and not follow_up_open:
        yield item(RE_STOKE, settings.dormant_after.after(touched), "dormant", last_touch=touched.isoformat())
    if contact.stage == "paused" and contact.revisit is not None:
        yield item(RE_STOKE, contact.revisit, "paused", revisit=contact.revisit.isoformat())
    if contact.stage == "exploring" and contact.met.on is not None and contact.benefit is None:
        yield item(STATE_BENEFIT, settings.decide_after.after(contact.met.on), "exploring")


PROMISED_BY = {"me": "you promised", "them": "they promised"}  # how lists of promises say who made one


def open_promises(contact: Contact, today: date, *, kept_too: bool = False) -> list[tuple[int, Promise]]:
    """The promises not kept by `today` (with `kept_too`, all), each with its number in the file
    (1 = the first), the number `handbook done` takes."""
    return [(number, promise) for number, promise in enumerate(contact.promises, start=1)
            if kept_too or promise.done is None or promise.done > today]


def promise_due(promise: Promise, settings: Settings) -> date:
    """`due`, else `on` + `promise_due` (a promise has one of them)."""
    return promise.due or settings.promise_due.after(promise.on)  # type: ignore[arg-type]


def past_interactions(contact: Contact, today: date) -> list[Interaction]:
    return [interaction for interaction in contact.interactions if interaction.on <= today]


def last_touch(contact: Contact, today: date) -> date | None:
    """The latest interaction up to `today`, or `met.on`."""
    latest = max((interaction.on for interaction in contact.interactions if interaction.on <= today), default=None)
    met_on = contact.met.on
    return met_on if met_on is not None and (latest is None or met_on > latest) else latest


def cadence_of(contact: Contact, settings: Settings) -> Duration | None:
    """The contact's own cadence, else the shortest of its tags' cadences, else none.

    Tags match as their pages do (`Mentor` is `mentor`); on equal length the smaller unit
    wins (`31d` before `1m`, `13w` before `3m`)."""
    if contact.cadence is not None:
        return None if contact.cadence == "none" else contact.cadence
    by_slug = {tag_slug(tag): duration for tag, duration in settings.cadence_by_tag.items()}
    by_tag = [by_slug.get(tag_slug(tag)) for tag in contact.tags]
    durations = [duration for duration in by_tag if isinstance(duration, Duration)]
    return min(durations, key=lambda d: (d.length_in_days(), UNITS.index(d.unit)), default=None)


def _followed_up_since(contact: Contact, first_day: date, today: date) -> bool:
    return any(
        first_day <= interaction.on <= today and interaction.kind != "event"
        for interaction in contact.interactions
    )


def first_meetings(handbook: Handbook) -> dict[str, tuple[date, str | None]]:
    """Each contact's first meeting day and the event it was at, if any: `met.on` (at
    `met.at`), else the earliest event listing them in `people` (SPEC 3, follow-up-new)."""
    first_events = _first_events(handbook)
    found: dict[str, tuple[date, str | None]] = {}
    for slug, contact in handbook.contacts.items():
        if contact.met.on is not None:
            found[slug] = (contact.met.on, contact.met.at)
        elif slug in first_events:
            found[slug] = (handbook.events[first_events[slug]].on, first_events[slug])
    return found


def _first_events(handbook: Handbook) -> dict[str, str]:
    """For each contact, the earliest event listing it in `people` (first by slug on a tie)."""
    first: dict[str, str] = {}
    for event_slug, event in sorted(handbook.events.items()):
        for slug in event.people:
            if slug not in first or event.on < handbook.events[first[slug]].on:
                first[slug] = event_slug
    return first


def ledger(contact: Contact, settings: Settings, today: date) -> Ledger:
    """Gives and asks in date order (same day: file order); within one interaction the give
    comes before the ask. An ask with fewer than `gives_before_ask` gives before it is early."""
    walk = sorted(past_interactions(contact, today), key=lambda interaction: interaction.on)
    gives = asks = since_last_ask = 0
    early: list[Interaction] = []
    for interaction in walk:
        if interaction.gave is not None:
            gives += 1
            since_last_ask += 1
        if interaction.asked is not None:
            if gives < settings.gives_before_ask:
                early.append(interaction)
            asks += 1
            since_last_ask = 0
    return Ledger(gives, asks, tuple(early), since_last_ask, since_last_ask >= settings.gives_before_ask)


def _touches_per_week(handbook: Handbook, today: date) -> Counter[date]:
    """Touches (interactions up to `today`) counted by the Monday of their ISO week."""
    per_day = Counter(interaction.on for contact in handbook.contacts.values()
                      for interaction in contact.interactions if interaction.on <= today)
    per_week: Counter[date] = Counter()
    for day, count in per_day.items():  # far fewer days than touches
        per_week[day - timedelta(days=day.weekday())] += count
    return per_week


def weekly_touches(handbook: Handbook, today: date, weeks: int) -> list[tuple[date, int]]:
    """The touches of each of the last `weeks` ISO weeks, oldest first, ending with this one."""
    per_week = _touches_per_week(handbook, today)
    this_week = today - timedelta(days=today.weekday())
    starts = [this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1) if this_week - date.min >= timedelta(weeks=n)]
    return [(start, per_week[start]) for start in starts]


def weekly_rhythm(handbook: Handbook, settings: Settings, today: date) -> Rhythm:
    """Touches in the ISO week of `today` (up to today), and the streak of full weeks before."""
    this_week = today - timedelta(days=today.weekday())
    per_week = _touches_per_week(handbook, today)
    streak = 0
    week = this_week
    while week - date.min >= timedelta(weeks=1):  # the calendar's first week has none before it
        week -= timedelta(weeks=1)
        if per_week[week] < settings.weekly_goal:
            break
        streak += 1
    return Rhythm(this_week, per_week[this_week], settings.weekly_goal, streak)


@dataclass(frozen=True, slots=True)
class FollowUpStatus:
    """How a meeting on `met_on` was followed up: "on time", "late", "open" or "upcoming"."""

    state: str
    on: date | None = None
    days_after: int | None = None


def follow_up_status(contact: Contact, met_on: date, settings: Settings, today: date) -> FollowUpStatus:
    """The first touch other than `kind: event` on or after `met_on`, against the deadline."""
    if met_on > today:
        return FollowUpStatus("upcoming")
    first = min((i.on for i in contact.interactions if met_on <= i.on <= today and i.kind != "event"), default=None)
    if first is None:
        return FollowUpStatus("open")
    on_time = first <= settings.first_follow_up.after(met_on)
    return FollowUpStatus("on time" if on_time else "late", first, (first - met_on).days)
