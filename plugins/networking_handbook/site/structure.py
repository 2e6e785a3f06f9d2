"""Stage 4a, views: the facts each page shows, computed once from the handbook and rules.

Templates only lay these out; every decision about what a page says is made here.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
from .paging import Limits, Pages, T, paginate, paginate_by

DASHBOARD_HORIZON_DAYS = 7
FEW = 8  # how many people a list on a person page names, whatever the handbook's size
EVENT_GROUPING = 40  # an event with more people than this lists them grouped by follow-up
FOLLOW_UP_STATES = ("open", "late", "on time", "upcoming")  # the groups' order
BIRTHDAY_HORIZON_DAYS = 14
RHYTHM_WEEKS = 26  # the rhythm picture's span
STRIP_MONTHS = 12  # a person's strip of months
LOCKED_PAGE_KINDS = {"people": "Person", "events": "Event", "tags": "Tag"}  # their titles on an encrypted site
TOPIC_LISTS = {"offering": "offer", "needing": "need"}  # the full lists of who offers and needs each topic


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
    counts = {(start.year, start.month): [0, 0, 0, 0] for start in starts}  # touches, gives, asks, promises

    def add(day: date | None, column: int) -> None:
        if day is not None and day <= today and (tally := counts.get((day.year, day.month))) is not None:
            tally[column] += 1

    for interaction in past_interactions(contact, today):
        add(interaction.on, 0)
        if interaction.gave:
            add(interaction.on, 1)
        if interaction.asked:
            add(interaction.on, 2)
    for promise in contact.promises:
        add(promise.on or promise.due, 3)
    return [Month(start, *counts[(start.year, start.month)]) for start in starts]


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


def few(slugs: Iterable[str], rank: Callable[[str], Any], by_name: Callable[[str], Any]) -> Few:
    """The `FEW` smallest of `slugs` by `rank` (without sorting them all), shown `by_name`:
    the page changes only when who is among them does, not when two of them swap places."""
    pool = set(slugs)
    return Few(tuple(sorted(heapq.nsmallest(FEW, pool, key=rank), key=by_name)), len(pool))


def most_met(counts: Counter[str], rank: Callable[[str], Any], by_name: Callable[[str], Any]) -> Few:
    """The `FEW` people met most often, ties by `rank`, taken count by count from the highest
    (a conference counts hundreds of people, nearly all once); shown count by count, each
    count's people `by_name` (as `few`)."""
    by_count: defaultdict[int, list[str]] = defaultdict(list)
    for other, count in counts.items():
        by_count[count].append(other)
    shown: list[str] = []
    for count in sorted(by_count, reverse=True):
        shown += sorted(heapq.nsmallest(FEW - len(shown), by_count[count], key=rank), key=by_name)
        if len(shown) == FEW:
            break
    return Few(tuple(shown), len(counts))


@dataclass(frozen=True)
class Reach:
    """How a row or a page offers to get in touch: each phone with its `tel:` link, and the
    latest interaction up to today (what the last touch was about)."""

    phones: list[tuple[str, str | None]]
    last_interaction: Interaction | None


def reach_of(contact: Contact, today: date) -> Reach:
    seen = past_interactions(contact, today)
    latest = max(reversed(seen), key=lambda i: i.on) if seen else None  # of one day's, the last written
    return Reach([(phone, tel_link(phone)) for phone in contact.phones], latest)


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
    introduced_you_to: Few  # the people you have been in touch with most often first, as below
    you_introduced: Few
    shared_events: list[tuple[str, int]]  # the events they were at, newest first, and how many others were
    met_alongside: Few  # the others at most of the same events as them
    can_help_them: list[tuple[str, Few]]  # their needs, and who offers each
    they_can_help: list[tuple[str, Few]]  # their offers, and who needs each
    draft_email: str | None  # a draft for the most urgent open item (`actions.draft_email`)
    tag_pages: list[tuple[str, str]]
    first_meeting: tuple[date, str | None] | None  # the day and event of the first meeting
    reach: Reach
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

    @property
    def grouped(self) -> bool:
        return len(self.people) > EVENT_GROUPING

    def ordered(self) -> list[EventPerson]:
        """The people in the order the page lists them: by follow-up (open first) when there are many."""
        if not self.grouped:
            return self.people
        return sorted(self.people, key=lambda person: FOLLOW_UP_STATES.index(person.status.state))

    def groups(self, people: Sequence[EventPerson] | None = None) -> list[tuple[str, list[EventPerson]]]:
        """The people (or one page of `ordered`) under one heading, or by follow-up when there are many."""
        shown = self.ordered() if people is None else list(people)
        if not self.grouped:
            return [("", shown)]
        return [(state, [p for p in shown if p.status.state == state]) for state in FOLLOW_UP_STATES
                if any(p.status.state == state for p in shown)]

    def count(self, state: str) -> int:
        return sum(person.status.state == state for person in self.people)


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
    people: PersonViews
    events: dict[str, EventView]
    directory: list[DirectoryRow]
    tags: dict[str, tuple[str, list[str]]]  # tag slug: (tag as written, contact slugs)
    diagnostics: list[Diagnostic]
    opaque_key: str | None = None  # for an encrypted site: person and event pages get ids, not names
    live: bool = False  # computed for the clock's day: viewers' browsers may relabel "N days overdue"
    weeks: list[tuple[date, int]] = field(default_factory=list)  # touches per week, for the rhythm picture
    directory_urls: bool = True  # MkDocs' `use_directory_urls`, for links drawn in pictures
    made: dict[object, Any] = field(default_factory=dict, compare=False, repr=False)  # what renderers keep for later pages
    limits: Limits = field(default_factory=Limits)
    topics: Mapping[str, Mapping[str, list[str]]] = field(default_factory=dict)  # who offers, needs each topic

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

    def reach(self, slug: str) -> Reach:
        """`reach_of` a person, for a row of a list (without making their whole view)."""
        return reach_of(self.handbook.contacts[slug], self.today)

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

    @cached_property
    def _row_of(self) -> dict[str, DirectoryRow]:
        return {row.slug: row for row in self.directory}

    def paged(self, folder: str, key: str, first: str, items: Sequence[T], label: Callable[[T], str],
              size: int | None = None) -> Pages[T]:
        """`items` in pages of `size` (`limits.page`): the first at `first`, the others at
        `folder/key/n` (on an encrypted site, at ids in `folder`)."""
        return paginate(items, size or self.limits.page, first, self._later(folder, key), label)

    def _later(self, folder: str, key: str) -> Callable[[int], str]:
        """Where page n > 1 of a list is: `folder/key/n`, on an encrypted site an id in `folder`."""
        return lambda number: f"{folder}/{self.page_name(folder, f'{key}/{number}')}"

    def _by_name(self, rows: Sequence[DirectoryRow], folder: str, key: str, first: str) -> Pages[DirectoryRow]:
        return self.paged(folder, key, first, rows, lambda row: row.contact.name)

    @cached_property
    def people_pages(self) -> Pages[DirectoryRow]:
        """The People list, by name; pages after the first at `people/index/n` (no slug is `index`)."""
        return self._by_name(self.directory, "people", "index", "people/index")

    def tag_pages(self, tag_slug: str) -> Pages[DirectoryRow]:
        return self._by_name(self.rows_for(self.tags[tag_slug][1]), "tags", tag_slug,
                             f"tags/{self.page_name('tags', tag_slug)}")

    @cached_property
    def tag_index_pages(self) -> Pages[tuple[str, tuple[str, list[str]]]]:
        """The tags list: (tag slug, (tag, contact slugs)) by slug; pages after the first at `tags/index/n`."""
        return self.paged("tags", "index", "tags/index", list(self.tags.items()), lambda item: item[1][0])

    def event_people_pages(self, slug: str) -> Pages[EventPerson]:
        """An event's people (`EventView.ordered`); pages after the first at `events/<slug>/n`."""
        return self.paged("events", slug, f"events/{self.page_name('events', slug)}", self.events[slug].ordered(),
                          lambda person: self.handbook.contacts[person.slug].name)

    @cached_property
    def event_pages(self) -> Pages[EventView]:
        """Every event, the latest first (so the upcoming ones lead)."""
        views = sorted(self.events.values(), key=lambda view: (-view.event.on.toordinal(), view.slug))
        return self.paged("events", "index", "events/index", views, lambda view: view.event.on.isoformat())

    @cached_property
    def topic_pages(self) -> dict[tuple[str, str], Pages[DirectoryRow]]:
        """(`TOPIC_LISTS` folder, topic key): the full list of a topic's people, for the topics
        a person page cannot name everyone under (more than `FEW`), the most interactions first."""
        found = {}
        for folder, topics in self.topics.items():
            long = [key for key, slugs in topics.items() if len(slugs) > FEW]
            names = Counter(tag_slug(key) for key in long)
            for key in sorted(long):
                name = tag_slug(key)
                if names[name] > 1:  # `job hunting` and `job-hunting`: two topics, one slug
                    name += "-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
                found[folder, key] = self.paged("people", f"{folder}/{name}",
                                                f"people/{self.page_name('people', f'{folder}/{name}')}",
                                                [self._row_of[slug] for slug in topics[key]],
                                                lambda row: row.contact.name)
        return found

    def item_pages(self, key: str, items: list[Item]) -> Pages[Item]:
        """A dashboard list in full (`dashboard/today`, `dashboard/check-in`), in its own order
        (by the day due), in pages of whole months due: a follow-up done moves no other row to
        another page (`paginate_by`)."""
        return paginate_by(items, self.limits.item_page, f"dashboard/{key}", self._later("dashboard", key),
                           lambda item: item.due.strftime("%Y-%m"), "month due")

    @cached_property
    def ready_pages(self) -> Pages[DirectoryRow]:
        ready = set(self.ready_to_ask())
        return self._by_name([row for row in self.directory if row.slug in ready], "dashboard", "ready-to-ask",
                             "dashboard/ready-to-ask")

    def list_title(self, title: str, pages: Pages[Any], number: int, locked: str | None = None) -> str:
        """The title of page `number` of a list: `(page 2 of 3)` after the first; on an encrypted
        site, if it names something (`locked`: the kind of list, `Tag`), that kind and its id."""
        if locked and self.opaque_key:
            return f"{locked} {pages.paths[number - 1].removesuffix('.md').rsplit('/', 1)[-1]}"
        return title if pages.count == 1 else f"{title} (page {number} of {pages.count})"

    def dashboard_groups(self) -> list[tuple[Rule, list[Item]]]:
        """Per rule, the items due within the horizon: overdue, then today, then upcoming."""
        shown = [i for i in self.items if i.days_overdue >= -DASHBOARD_HORIZON_DAYS]
        return [(rule, [i for i in shown if i.rule == rule.id]) for rule in RULES]

    @cached_property
    def dashboard_lists(self) -> dict[str, tuple[str, list[Item], int]]:
        """The dashboard's lists of items by their anchor (`today`, `this-week`, a rule's id):
        each one's title, items in order, and how many of them the dashboard shows."""
        lists = {"today": ("Today", self.today_items(), self.limits.today),
                 "this-week": ("This week", self.week_items(), self.limits.week)}
        for rule, items in self.dashboard_groups():
            lists[rule.id] = (rule.title, items, self.limits.section)
        return lists

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

    @cached_property
    def _ready(self) -> list[str]:
        return [row.slug for row in self.directory if row.contact.stage != "archived"
                and ledger(row.contact, self.settings, self.today).ready_to_ask]

    def ready_to_ask(self) -> list[str]:
        """The people you may ask a favour of (`Ledger.ready_to_ask`), by name."""
        return self._ready


def opaque_id(key: str, slug: str) -> str:
    """A stable identifier for a page that reveals nothing without the key (on an encrypted
    site, a key derived from the password as slowly as the page encryption's)."""
    return hmac.new(key.encode("utf-8"), slug.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def build_site(handbook: Handbook, settings: Settings, today: date,
               diagnostics: list[Diagnostic] | None = None, opaque_key: str | None = None,
               live: bool = False, directory_urls: bool = True, limits: Limits | None = None) -> Site:
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
    rank = {slug: (-len(past_interactions(contact, today)), contact.name.casefold(), slug)
            for slug, contact in handbook.contacts.items()}  # the most interactions first, then by name
    ranked = Ranked(rank, {topic: sorted(people, key=rank.__getitem__) for topic, people in links.offering.items()},
                    {topic: sorted(people, key=rank.__getitem__) for topic, people in links.needing.items()})
    people = PersonViews(handbook.contacts, lambda slug: _person(
        slug, handbook.contacts[slug], handbook, settings, today, items_of[slug], links, ranked, touched[slug],
        meetings.get(slug)), _ViewInputs(handbook, links, ranked, items_of, touched, meetings).of)
    events = {slug: _event(slug, event, handbook, settings, today, links) for slug, event in handbook.events.items()}
    directory = []
    for slug, contact in sorted(handbook.contacts.items(), key=lambda pair: pair[1].name.casefold()):
        first = min(items_of[slug], key=_item_order, default=None)
        directory.append(DirectoryRow(slug, contact, touched[slug], first, meetings.get(slug), status_of(first)))
    return Site(today, settings, handbook, items, weekly_rhythm(handbook, settings, today), people,
                events, directory, dict(sorted(tags.items())), list(diagnostics or []), opaque_key, live,
                weekly_touches(handbook, today, RHYTHM_WEEKS), directory_urls, limits=limits or Limits(),
                topics={"offering": ranked.offering, "needing": ranked.needing})


@dataclass(frozen=True)
class Ranked:
    """How lists of people are ranked: by `rank` (the most interactions up to today first,
    then by name), and the people offering and needing each topic already in that order.

    The number of interactions is how strong a tie is, and it barely moves: a logged call
    lifts that person past only the ones with as many. Ranking by the last touch put them
    at the top of every list they were in, so one logged call changed hundreds of person
    pages at 5,000 contacts (`mkdocs serve --dirty` built all of them again)."""

    rank: dict[str, tuple[int, str, str]]
    offering: dict[str, list[str]]
    needing: dict[str, list[str]]

    def by_name(self, slug: str) -> tuple[str, str]:
        """The order the few a list shows are in: by name, as the People pages are."""
        return self.rank[slug][1:]


class PersonViews(Mapping[str, PersonView]):
    """The person views by slug, each made when asked for and not kept: `handbook check` plans
    every page, to check their URLs, without making one, and a build renders each person's
    page once (holding every view to the end of a build held much of its memory).
    `inputs(slug)` is what that view is made of besides its record and the site's settings
    and day (`_ViewInputs`): `mkdocs serve` compares it with the last build's to keep a page
    without making its view."""

    def __init__(self, slugs: Iterable[str], make: Callable[[str], PersonView],
                 inputs: Callable[[str], tuple[Any, ...]]) -> None:
        self._slugs = dict.fromkeys(slugs)
        self._make = make
        self.inputs = inputs

    def __getitem__(self, slug: str) -> PersonView:
        if slug not in self._slugs:
            raise KeyError(slug)
        return self._make(slug)

    def __iter__(self) -> Iterator[str]:
        return iter(self._slugs)

    def __len__(self) -> int:
        return len(self._slugs)


@dataclass
class _ViewInputs:
    """What `_person` reads for one person besides their record, the settings and the day:
    their items, last touch and first meeting; each of their events' day, size and people
    with their ranks (the people met alongside); the people they introduced and were
    introduced to, with their ranks; for each of their needs and offers, the first of the
    ranked list `_matches` takes from; and the name of the event they met at (the email
    draft). Each event's part is made once per site."""

    handbook: Handbook
    links: Connections
    ranked: Ranked
    items_of: dict[str, list[Item]]
    touched: dict[str, date | None]
    meetings: dict[str, tuple[date, str | None]]
    events: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    def of(self, slug: str) -> tuple[Any, ...]:
        contact, links, rank = self.handbook.contacts[slug], self.links, self.ranked.rank
        topics = tuple((key, tuple(index.get(key, [])[:FEW + 1]), len(index.get(key, [])), slug in members.get(key, ()))
                       for topics, index, members in ((contact.needs, self.ranked.offering, links.offering),
                                                      (contact.offers, self.ranked.needing, links.needing))
                       for key in map(topic_key, topics))
        met_at = self.handbook.events.get(contact.met.at or "")
        return (tuple(self.items_of[slug]), self.touched[slug], self.meetings.get(slug),
                tuple(self._event(event) for event in sorted(links.events_of[slug] & self.handbook.events.keys())),
                tuple((other, rank.get(other)) for other in links.introduced_you_to.get(slug, [])),
                tuple(sorted((other, rank.get(other)) for other in links.you_introduced.get(slug, set()))),
                topics, met_at.name if met_at else None)

    def _event(self, slug: str) -> tuple[Any, ...]:
        if slug not in self.events:
            people = self.links.people_at[slug]
            rank = self.ranked.rank
            self.events[slug] = (slug, self.handbook.events[slug].on, len(people),
                                 tuple((other, rank[other]) for other in sorted(people) if other in rank))
        return self.events[slug]


def _item_order(item: Item) -> tuple[date, str]:
    return item.due, item.rule


def _person(slug: str, contact: Contact, handbook: Handbook, settings: Settings, today: date,
            items: list[Item], links: Connections, ranked: Ranked, touched: date | None,
            meeting: tuple[date, str | None] | None) -> PersonView:
    cadence = cadence_of(contact, settings)
    events = sorted(links.events_of[slug] & handbook.events.keys(), key=lambda e: (handbook.events[e].on, e),
                    reverse=True)
    shared = [(event, len(links.people_at[event]) - 1) for event in events]
    together: Counter[str] = Counter()
    for event in events:  # Counter.update counts in C: conferences put hundreds of people here
        together.update(links.people_at[event])
    together.pop(slug, None)
    for other in together.keys() - ranked.rank.keys():
        del together[other]
    rank = ranked.rank.__getitem__
    by_name = ranked.by_name
    return PersonView(
        slug=slug,
        contact=contact,
        items=sorted(items, key=_item_order),
        ledger=ledger(contact, settings, today),
        last_touch=touched,
        cadence=cadence,
        timeline=sorted(contact.interactions, key=lambda i: i.on, reverse=True),
        introduced_to_you_by=contact.met.via,
        introduced_you_to=few(links.introduced_you_to.get(slug, []), rank, by_name),
        you_introduced=few(links.you_introduced.get(slug, set()) & handbook.contacts.keys(), rank, by_name),
        shared_events=[(event, others) for event, others in shared if others],
        met_alongside=most_met(together, rank, by_name),
        can_help_them=_matches(slug, contact.needs, ranked.offering, links.offering, by_name),
        they_can_help=_matches(slug, contact.offers, ranked.needing, links.needing, by_name),
        draft_email=draft_email(contact, handbook, items[0], today) if items else None,
        tag_pages=[(tag, tag_slug(tag)) for tag in contact.tags],
        first_meeting=meeting,
        reach=reach_of(contact, today),
        months=months_of(contact, today),
        status=status_of(items[0] if items else None),
    )


def _matches(slug: str, topics: list[str], index: dict[str, list[str]],
             members: dict[str, set[str]], by_name: Callable[[str], Any]) -> list[tuple[str, Few]]:
    """For each topic, the first other people listed under it in `index` (ranked; `members`
    holds the same people as sets), shown `by_name`: introductions to make."""
    found = []
    for topic in topics:
        key = topic_key(topic)
        people = index.get(key, [])
        shown = tuple(sorted([other for other in people[:FEW + 1] if other != slug][:FEW], key=by_name))
        found.append((topic, Few(shown, len(people) - (slug in members.get(key, ())))))
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
