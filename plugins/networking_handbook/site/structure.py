"""Stage 4a, views: the facts each page shows, computed once from the handbook and rules.

Templates only lay these out; every decision about what a page says is made here.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from ..core.diagnostics import Diagnostic
from ..core.identity import tag_slug, topic_key
from ..core.network import Network, compute_network
from ..core.records import Contact, Event, Handbook, Interaction
from ..core.rule_table import RULES, Rule
from ..core.rules import (
    FollowUpStatus,
    Item,
    Ledger,
    Rhythm,
    cadence_of,
    compute_items,
    due_items,
    first_meetings,
    follow_up_status,
    last_touch,
    ledger,
    past_interactions,
    weekly_rhythm,
    weekly_touches,
)
from ..core.settings import Settings
from ..core.values import Duration, add_months
from .actions import draft_email, tel_link

DASHBOARD_HORIZON_DAYS = 7
FEW = 8  # how many people a list on a person page names, whatever the handbook's size
EVENT_GROUPING = 40  # an event with more people than this lists them grouped by follow-up
BIRTHDAY_HORIZON_DAYS = 14
RHYTHM_WEEKS = 26  # the rhythm picture's span
STRIP_MONTHS = 12  # a person's strip of months
LOCKED_PAGE_KINDS = {"people": "Person", "events": "Event", "tags": "Tag"}  # their titles on an encrypted site


@dataclass
class Connections:
    """Who links to whom: introductions both ways and shared events, for every contact."""

    introduced_you_to: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    you_introduced: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    events_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    people_at: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    offering: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # topic: who offers it
    needing: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # topic: who needs it


def connections(handbook: Handbook) -> Connections:
    found = Connections()
    for slug, contact in handbook.contacts.items():
        if contact.met.via:
            found.introduced_you_to[contact.met.via].append(slug)
        attended = {contact.met.at} | {i.event for i in contact.interactions}
        found.events_of[slug].update(event for event in attended if event is not None)
        for interaction in contact.interactions:
            if interaction.kind == "intro":
                for other in interaction.with_:
                    found.you_introduced[slug].add(other)
                    found.you_introduced[other].add(slug)
        if contact.stage != "archived":
            for topic in contact.offers:
                found.offering[topic_key(topic)].add(slug)
            for topic in contact.needs:
                found.needing[topic_key(topic)].add(slug)
    for event_slug, event in handbook.events.items():
        for slug in event.people:
            found.events_of[slug].add(event_slug)
    for slug, event_slugs in found.events_of.items():
        for event_slug in event_slugs:
            found.people_at[event_slug].add(slug)
    return found


def status_of(item: Item | None) -> str:
    """A row's mark: "overdue", "today", "soon" (within the dashboard's week) or "fine"."""
    if item is None or item.days_overdue < -DASHBOARD_HORIZON_DAYS:
        return "fine"
    return "overdue" if item.days_overdue > 0 else "today" if item.days_overdue == 0 else "soon"


@dataclass(frozen=True)
class Month:
    """One month of a relationship, for its strip: interactions, gives, asks, promises made."""

    start: date
    touches: int
    gives: int
    asks: int
    promises: int


def months_of(contact: Contact, today: date, count: int = STRIP_MONTHS) -> list[Month]:
    """The last `count` calendar months up to `today`, oldest first (a promise counts in the
    month it was made, else the month it is due)."""
    this_month = today.replace(day=1)
    back = min(count - 1, (today.year - 1) * 12 + today.month - 1)  # none before the calendar's first month
    starts = [add_months(this_month, -n) for n in range(back, -1, -1)]
    seen = past_interactions(contact, today)
    promised = [p.on or p.due for p in contact.promises]

    def within(day: date | None, start: date) -> bool:
        return day is not None and (day.year, day.month) == (start.year, start.month) and day <= today

    return [Month(start, sum(within(i.on, start) for i in seen), sum(within(i.on, start) for i in seen if i.gave),
                  sum(within(i.on, start) for i in seen if i.asked), sum(within(on, start) for on in promised))
            for start in starts]


@dataclass(frozen=True)
class Few:
    """The first `FEW` of a ranked list of people, and how many it holds in all: a page names
    `shown` and says how many more there are, so it stays the same size in any handbook."""

    shown: tuple[str, ...]
    total: int

    def __iter__(self) -> Iterator[str]:
        return iter(self.shown)

    def __bool__(self) -> bool:
        return self.total > 0

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


def few(slugs: Iterable[str], rank: Callable[[str], Any]) -> Few:
    """The `FEW` smallest of `slugs` by `rank`, without sorting them all."""
    pool = set(slugs)
    return Few(tuple(heapq.nsmallest(FEW, pool, key=rank)), len(pool))


@dataclass(frozen=True)
class PersonView:
    slug: str
    contact: Contact
    items: list[Item]
    ledger: Ledger
    last_touch: date | None
    cadence: Duration | None
    timeline: list[Interaction]
    introduced_to_you_by: str | None
    introduced_you_to: Few  # the people in touch with you most recently first, as below
    you_introduced: Few
    shared_events: list[tuple[str, int]]  # the events they were at, newest first, and how many others were
    met_alongside: Few  # the others at most of the same events as them
    can_help_them: list[tuple[str, Few]]  # their needs, and who offers each
    they_can_help: list[tuple[str, Few]]  # their offers, and who needs each
    draft_email: str | None  # a draft for the most urgent open item (`actions.draft_email`)
    tag_pages: list[tuple[str, str]]
    first_meeting: tuple[date, str | None] | None  # the day and event of the first meeting
    last_interaction: Interaction | None  # the latest up to today: what the last touch was about
    phones: list[tuple[str, str | None]]  # each phone and its `tel:` link
    months: list[Month]
    status: str  # of the most urgent item (`status_of`)


@dataclass(frozen=True)
class EventPerson:
    slug: str
    status: FollowUpStatus


@dataclass(frozen=True)
class EventView:
    slug: str
    event: Event
    people: list[EventPerson]  # its `people`, then those whose own files name it, by name
    upcoming: bool

    def groups(self) -> list[tuple[str, list[EventPerson]]]:
        """The people under one heading, or by follow-up (open first) when there are many."""
        if len(self.people) <= EVENT_GROUPING:
            return [("", self.people)]
        states = ("open", "late", "on time", "upcoming")
        return [(state, [p for p in self.people if p.status.state == state]) for state in states
                if any(p.status.state == state for p in self.people)]


@dataclass(frozen=True)
class DirectoryRow:
    slug: str
    contact: Contact
    last_touch: date | None
    next_due: Item | None
    first_meeting: tuple[date, str | None] | None = None  # shown when there is no touch yet
    status: str = "fine"


@dataclass(frozen=True)
class Site:
    """Everything the pages need, for one `today`."""

    today: date
    settings: Settings
    handbook: Handbook
    items: list[Item]
    rhythm: Rhythm
    people: Mapping[str, PersonView]
    events: dict[str, EventView]
    directory: list[DirectoryRow]
    tags: dict[str, tuple[str, list[str]]]  # tag slug: (tag as written, contact slugs)
    diagnostics: list[Diagnostic]
    opaque_key: str | None = None  # for an encrypted site: person and event pages get ids, not names
    live: bool = False  # computed for the clock's day: viewers' browsers may relabel "N days overdue"
    weeks: list[tuple[date, int]] = field(default_factory=list)  # touches per week, for the rhythm picture
    directory_urls: bool = True  # MkDocs' `use_directory_urls`, for links drawn in pictures

    @cached_property
    def network(self) -> Network:
        """The Network page's facts (SPEC section 5), computed when a page first needs them:
        `handbook check` plans the pages without rendering them."""
        return compute_network(self.handbook, self.settings, self.today)

    def page_name(self, folder: str, slug: str) -> str:
        """The page name of a person (`people`), an event (`events`) or a tag (`tags`): the
        slug, or on an encrypted site an id that reveals nothing without the password."""
        return opaque_id(self.opaque_key, f"{folder}/{slug}") if self.opaque_key else slug

    def page_title(self, folder: str, slug: str, title: str) -> str:
        if not self.opaque_key:
            return title
        return f"{LOCKED_PAGE_KINDS[folder]} {self.page_name(folder, slug)}"

    def heading_id(self) -> str | None:
        """On an encrypted site, the id of a person's, event's or tag's heading: one that names
        nothing, where the theme's "Skip to content" link shows it outside the ciphertext."""
        return "page" if self.opaque_key else None

    def hidden_parts(self) -> tuple[str, ...]:
        """What the theme leaves off those pages: on an encrypted site, their table of contents."""
        return ("toc",) if self.opaque_key else ()

    def person_path(self, slug: str) -> str:
        return self.page_name("people", slug)

    def today_items(self) -> list[Item]:
        """Overdue or due today, most urgent first: exactly what `handbook due` lists."""
        return due_items(self.items)

    def draft_for(self, item: Item) -> str | None:
        """The email draft for one item (`actions.draft_email`)."""
        return draft_email(self.handbook.contacts[item.contact], self.handbook, item, self.today)

    def week_items(self) -> list[Item]:
        """Due in the next `DASHBOARD_HORIZON_DAYS` days, soonest first."""
        return [i for i in due_items(self.items, DASHBOARD_HORIZON_DAYS) if i.days_overdue < 0]

    def birthdays(self) -> list[tuple[date, str]]:
        """(day, contact slug) for birthdays in the next `BIRTHDAY_HORIZON_DAYS` days, today
        included, of contacts not archived; a 29 February is the 28th in other years."""
        found = []
        for slug, contact in self.handbook.contacts.items():
            if contact.birthday is None or contact.stage == "archived":
                continue
            for year in range(self.today.year, min(self.today.year + 1, date.max.year) + 1):
                try:
                    day = date(year, contact.birthday.month, contact.birthday.day)
                except ValueError:
                    day = date(year, 2, 28)
                if 0 <= (day - self.today).days <= BIRTHDAY_HORIZON_DAYS:
                    found.append((day, slug))
                    break
        return sorted(found)

    def rows_for(self, slugs: list[str]) -> list[DirectoryRow]:
        """The People table's rows of these contacts, in its order (for a tag page)."""
        wanted = set(slugs)
        return [row for row in self.directory if row.slug in wanted]

    def dashboard_groups(self) -> list[tuple[Rule, list[Item]]]:
        """Per rule, the items due within the horizon: overdue, then today, then upcoming."""
        shown = [i for i in self.items if i.days_overdue >= -DASHBOARD_HORIZON_DAYS]
        return [(rule, [i for i in shown if i.rule == rule.id]) for rule in RULES]

    def industry_reach(self) -> tuple[int, int, list[str]] | None:
        """With `my_industry` set: how many people with an industry (not archived) work
        outside it, out of how many, and those other industries."""
        mine = self.settings.my_industry
        if not mine:
            return None
        industries = [c.industry.strip() for c in self.handbook.contacts.values()
                      if c.industry and c.stage != "archived"]
        outside = [industry for industry in industries if topic_key(industry) != topic_key(mine)]
        return len(outside), len(industries), sorted(set(outside), key=str.casefold)

    def ready_to_ask(self) -> list[PersonView]:
        return [p for p in self.people.values() if p.ledger.ready_to_ask and p.contact.stage != "archived"]


def opaque_id(key: str, slug: str) -> str:
    """A stable identifier for a page that reveals nothing without the key (on an encrypted
    site, a key derived from the password as slowly as the page encryption's)."""
    return hmac.new(key.encode("utf-8"), slug.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def build_site(handbook: Handbook, settings: Settings, today: date,
               diagnostics: list[Diagnostic] | None = None, opaque_key: str | None = None,
               live: bool = False, directory_urls: bool = True) -> Site:
    """Everything the pages show; with `opaque_key`, person and event pages get ids, not names."""
    items = compute_items(handbook, settings, today)
    items_of: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        items_of[item.contact].append(item)
    links = connections(handbook)
    tags: dict[str, tuple[str, list[str]]] = {}
    for slug, contact in handbook.contacts.items():
        for tag in contact.tags:
            tags.setdefault(tag_slug(tag), (tag, []))[1].append(slug)
    meetings = first_meetings(handbook)
    touched = {slug: last_touch(contact, today) for slug, contact in handbook.contacts.items()}
    rank = {slug: (-(day.toordinal() if day else 0), handbook.contacts[slug].name.casefold(), slug)
            for slug, day in touched.items()}  # the most recent last touch first, then by name
    ranked = Ranked(rank, {topic: sorted(people, key=rank.__getitem__) for topic, people in links.offering.items()},
                    {topic: sorted(people, key=rank.__getitem__) for topic, people in links.needing.items()})
    people = PersonViews(handbook.contacts, lambda slug: _person(
        slug, handbook.contacts[slug], handbook, settings, today, items_of[slug], links, ranked, touched[slug],
        meetings.get(slug)))
    events = {slug: _event(slug, event, handbook, settings, today, links) for slug, event in handbook.events.items()}
    directory = []
    for slug, contact in sorted(handbook.contacts.items(), key=lambda pair: pair[1].name.casefold()):
        first = min(items_of[slug], key=_item_order, default=None)
        directory.append(DirectoryRow(slug, contact, touched[slug], first, meetings.get(slug), status_of(first)))
    return Site(today, settings, handbook, items, weekly_rhythm(handbook, settings, today), people,
                events, directory, dict(sorted(tags.items())), list(diagnostics or []), opaque_key, live,
                weekly_touches(handbook, today, RHYTHM_WEEKS), directory_urls)


@dataclass(frozen=True)
class Ranked:
    """How lists of people are ranked: by `rank` (the most recent last touch first, then by
    name), and the people offering and needing each topic already in that order."""

    rank: dict[str, tuple[int, str, str]]
    offering: dict[str, list[str]]
    needing: dict[str, list[str]]


class PersonViews(Mapping[str, PersonView]):
    """The person views by slug, each made when first asked for: `handbook check` plans every
    page, to check their URLs, without making one."""

    def __init__(self, slugs: Iterable[str], make: Callable[[str], PersonView]) -> None:
        self._slugs = dict.fromkeys(slugs)
        self._make = make
        self._made: dict[str, PersonView] = {}

    def __getitem__(self, slug: str) -> PersonView:
        if slug not in self._made:
            if slug not in self._slugs:
                raise KeyError(slug)
            self._made[slug] = self._make(slug)
        return self._made[slug]

    def __iter__(self) -> Iterator[str]:
        return iter(self._slugs)

    def __len__(self) -> int:
        return len(self._slugs)


def _item_order(item: Item) -> tuple[date, str]:
    return item.due, item.rule


def _person(slug: str, contact: Contact, handbook: Handbook, settings: Settings, today: date,
            items: list[Item], links: Connections, ranked: Ranked, touched: date | None,
            meeting: tuple[date, str | None] | None) -> PersonView:
    cadence = cadence_of(contact, settings)
    events = sorted(links.events_of[slug] & handbook.events.keys(), key=lambda e: (handbook.events[e].on, e),
                    reverse=True)
    shared = [(event, len(links.people_at[event]) - 1) for event in events]
    together = Counter(other for event in events for other in links.people_at[event]
                       if other != slug and other in ranked.rank)
    rank = ranked.rank.__getitem__
    seen = past_interactions(contact, today)
    return PersonView(
        slug=slug,
        contact=contact,
        items=sorted(items, key=_item_order),
        ledger=ledger(contact, settings, today),
        last_touch=touched,
        cadence=cadence,
        timeline=sorted(contact.interactions, key=lambda i: i.on, reverse=True),
        introduced_to_you_by=contact.met.via,
        introduced_you_to=few(links.introduced_you_to.get(slug, []), rank),
        you_introduced=few(links.you_introduced.get(slug, set()) & handbook.contacts.keys(), rank),
        shared_events=[(event, others) for event, others in shared if others],
        met_alongside=few(together, lambda other: (-together[other], rank(other))),
        can_help_them=_matches(slug, contact.needs, ranked.offering),
        they_can_help=_matches(slug, contact.offers, ranked.needing),
        draft_email=draft_email(contact, handbook, items[0], today) if items else None,
        tag_pages=[(tag, tag_slug(tag)) for tag in contact.tags],
        first_meeting=meeting,
        last_interaction=sorted(seen, key=lambda i: i.on)[-1] if seen else None,
        phones=[(phone, tel_link(phone)) for phone in contact.phones],
        months=months_of(contact, today),
        status=status_of(items[0] if items else None),
    )


def _matches(slug: str, topics: list[str], index: dict[str, list[str]]) -> list[tuple[str, Few]]:
    """For each topic, the other people listed under it in `index` (ranked): introductions to make."""
    found = []
    for topic in topics:
        people = index.get(topic_key(topic), [])
        shown = tuple(other for other in people[:FEW + 1] if other != slug)[:FEW]
        found.append((topic, Few(shown, len(people) - (slug in people))))
    return [(topic, people) for topic, people in found if people]


def _event(slug: str, event: Event, handbook: Handbook, settings: Settings, today: date,
           links: Connections) -> EventView:
    listed = [person for person in dict.fromkeys(event.people) if person in handbook.contacts]
    linked = sorted(links.people_at[slug] - set(listed), key=lambda other: (handbook.contacts[other].name.casefold(),
                                                                           other))
    people = [
        EventPerson(person, follow_up_status(handbook.contacts[person], event.on, settings, today))
        for person in listed + [other for other in linked if other in handbook.contacts]
    ]
    return EventView(slug, event, people, event.on > today)
