"""Stage 4a, views: the facts each page shows, computed once from the handbook and rules.

Templates only lay these out; every decision about what a page says is made here.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

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
class PersonView:
    slug: str
    contact: Contact
    items: list[Item]
    ledger: Ledger
    last_touch: date | None
    cadence: Duration | None
    timeline: list[Interaction]
    introduced_to_you_by: str | None
    introduced_you_to: list[str]
    you_introduced: list[str]
    shared_events: list[tuple[str, list[str]]]
    can_help_them: list[tuple[str, list[str]]]  # their needs, and who offers each
    they_can_help: list[tuple[str, list[str]]]  # their offers, and who needs each
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
    people: list[EventPerson]
    upcoming: bool


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
    people: dict[str, PersonView]
    events: dict[str, EventView]
    directory: list[DirectoryRow]
    tags: dict[str, tuple[str, list[str]]]  # tag slug: (tag as written, contact slugs)
    diagnostics: list[Diagnostic]
    opaque_key: str | None = None  # for an encrypted site: person and event pages get ids, not names
    live: bool = False  # computed for the clock's day: viewers' browsers may relabel "N days overdue"
    weeks: list[tuple[date, int]] = field(default_factory=list)  # touches per week, for the rhythm picture
    network: Network | None = None  # the Network page's facts (SPEC section 5)
    directory_urls: bool = True  # MkDocs' `use_directory_urls`, for links drawn in pictures

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
    people = {slug: _person(slug, contact, handbook, settings, today, items_of[slug], links, meetings.get(slug))
              for slug, contact in handbook.contacts.items()}
    events = {slug: _event(slug, event, handbook, settings, today) for slug, event in handbook.events.items()}
    directory = [DirectoryRow(slug, view.contact, view.last_touch, view.items[0] if view.items else None,
                              view.first_meeting, view.status)
                 for slug, view in sorted(people.items(), key=lambda pair: pair[1].contact.name.casefold())]
    return Site(today, settings, handbook, items, weekly_rhythm(handbook, settings, today), people,
                events, directory, dict(sorted(tags.items())), list(diagnostics or []), opaque_key, live,
                weekly_touches(handbook, today, RHYTHM_WEEKS), compute_network(handbook, settings, today), directory_urls)


def _person(slug: str, contact: Contact, handbook: Handbook, settings: Settings, today: date,
            items: list[Item], links: Connections, meeting: tuple[date, str | None] | None) -> PersonView:
    cadence = cadence_of(contact, settings)
    shared = [
        (event, sorted(links.people_at[event] - {slug}))
        for event in sorted(links.events_of[slug] & handbook.events.keys(),
                            key=lambda e: (handbook.events[e].on, e), reverse=True)
    ]
    seen = past_interactions(contact, today)
    return PersonView(
        slug=slug,
        contact=contact,
        items=sorted(items, key=lambda i: (i.due, i.rule)),
        ledger=ledger(contact, settings, today),
        last_touch=last_touch(contact, today),
        cadence=cadence,
        timeline=sorted(contact.interactions, key=lambda i: i.on, reverse=True),
        introduced_to_you_by=contact.met.via,
        introduced_you_to=sorted(links.introduced_you_to.get(slug, [])),
        you_introduced=sorted(links.you_introduced.get(slug, set())),
        shared_events=[(event, people) for event, people in shared if people],
        can_help_them=_matches(slug, contact.needs, links.offering),
        they_can_help=_matches(slug, contact.offers, links.needing),
        draft_email=draft_email(contact, handbook, items[0], today) if items else None,
        tag_pages=[(tag, tag_slug(tag)) for tag in contact.tags],
        first_meeting=meeting,
        last_interaction=sorted(seen, key=lambda i: i.on)[-1] if seen else None,
        phones=[(phone, tel_link(phone)) for phone in contact.phones],
        months=months_of(contact, today),
        status=status_of(items[0] if items else None),
    )


def _matches(slug: str, topics: list[str], index: dict[str, set[str]]) -> list[tuple[str, list[str]]]:
    """For each topic, the other people listed under it in `index`: introductions to make."""
    found = [(topic, sorted(index.get(topic_key(topic), set()) - {slug})) for topic in topics]
    return [(topic, people) for topic, people in found if people]


def _event(slug: str, event: Event, handbook: Handbook, settings: Settings, today: date) -> EventView:
    people = [
        EventPerson(person, follow_up_status(handbook.contacts[person], event.on, settings, today))
        for person in event.people
        if person in handbook.contacts
    ]
    return EventView(slug, event, people, event.on > today)
