"""Exports that leave the machine: vCard, CSV and JSON for contacts, iCalendar for the rules.

Every export is deterministic (same data and day, same bytes) and none ever contains a
contact's `private` text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from ..core.environment import CALENDAR_SECRET_VARIABLE
from ..core.identity import slugify, tag_slug
from ..core.records import Contact, Event, Handbook
from ..core.rule_table import RuleId
from ..core.rules import compute_items
from ..core.settings import Settings

if TYPE_CHECKING:  # imported by the exports themselves, not by every build or check
    import vobject

UID_DOMAIN = "networking-handbook"
PROMISE_RULES = (RuleId.MY_PROMISE, RuleId.THEIR_PROMISE)
CSV_COLUMNS = ("slug", "name", "company", "role", "emails", "phones", "tags", "stage", "met_on",
               "location", "industry", "linkedin", "links", "pronouns", "birthday", "cadence",
               "met_at", "met_via", "met_how", "benefit", "needs", "offers", "notes")
NEVER_EXPORTED = {"private"}


def select_contacts(handbook: Handbook, tag: str | None) -> dict[str, Contact]:
    """All contacts (archived ones too), or those on the tag page of `tag` (`tag_slug`)."""
    if tag is None:
        return dict(handbook.contacts)
    wanted = tag_slug(tag)
    return {slug: contact for slug, contact in handbook.contacts.items()
            if any(tag_slug(own) == wanted for own in contact.tags)}


# vCard


def export_vcard(handbook: Handbook, tag: str | None = None) -> str:
    """One vCard 3.0 per contact, CRLF line endings, escaped and folded by vobject."""
    return "".join(_vcard(slug, contact).serialize() for slug, contact in select_contacts(handbook, tag).items())


def _vcard(slug: str, contact: Contact) -> vobject.base.Component:
    import vobject

    card = vobject.vCard()

    def add(name: str, value: Any, *types: str) -> None:
        line = card.add(name)
        line.value = value
        if types:
            line.type_paramlist = list(types)

    add("uid", f"{UID_DOMAIN}:{slug}")
    add("fn", contact.name)
    *given, family = contact.name.split() or [contact.name]
    # A one-word name is a given name ("Kenji"), as phones file it when typed in one field.
    add("n", vobject.vcard.Name(family=family, given=" ".join(given)) if given
        else vobject.vcard.Name(given=family))
    for index, email in enumerate(contact.emails):
        add("email", email, "INTERNET", *(["PREF"] if index == 0 else []))
    for index, phone in enumerate(contact.phones):
        add("tel", phone, *(["PREF"] if index == 0 else []))
    if contact.company:
        add("org", [contact.company])
    if contact.role:
        add("title", contact.role)
    for url in contact.links.values():
        if url.strip().lower().startswith(("http://", "https://")):
            add("url", url)
    if contact.birthday:
        add("bday", str(contact.birthday))
    if contact.notes:
        add("note", contact.notes)
    if contact.tags:
        add("categories", list(contact.tags))
    return card


# CSV


def export_csv(handbook: Handbook, tag: str | None = None) -> str:
    """One row per contact under a header of `CSV_COLUMNS`; lists are joined with "; ".
    Every cell is `spreadsheet_safe`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows({column: spreadsheet_safe(cell) for column, cell in _csv_row(slug, contact).items()}
                     for slug, contact in select_contacts(handbook, tag).items())
    return out.getvalue()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A cell no spreadsheet runs as a formula: one starting with `=`, `+`, `-`, `@`, a tab or
    a carriage return gets a leading `'` (OWASP's advice against CSV injection), so a phone
    `+1 555 0100` shows as `'+1 555 0100` and `=HYPERLINK(...)` as text."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _csv_row(slug: str, contact: Contact) -> dict[str, str]:
    def joined(values: list[str]) -> str:
        return "; ".join(values)

    linkedin = next((label for label in contact.links if slugify(label) == "linkedin"), None)
    others = [f"{label}: {url}" for label, url in contact.links.items() if label != linkedin]
    optional = {"birthday": contact.birthday, "cadence": contact.cadence, "met_on": contact.met.on}
    return {
        "slug": slug, "name": contact.name, "company": contact.company or "", "role": contact.role or "",
        "emails": joined(contact.emails), "phones": joined(contact.phones), "tags": joined(contact.tags),
        "stage": contact.stage, "location": contact.location or "", "industry": contact.industry or "",
        "linkedin": contact.links[linkedin] if linkedin else "", "links": joined(others),
        "pronouns": contact.pronouns or "", "met_at": contact.met.at or "", "met_via": contact.met.via or "",
        "met_how": contact.met.how or "", "benefit": contact.benefit or "", "needs": joined(contact.needs),
        "offers": joined(contact.offers), "notes": contact.notes or "",
        **{key: "" if value is None else str(value) for key, value in optional.items()},
    }


# JSON


def export_json(handbook: Handbook, tag: str | None = None) -> str:
    """Contacts and events with the keys and text values of the YAML files, defaults left out.

    With a tag, the events kept are those linked to a selected contact (`people`, `met.at`,
    an interaction's `event`)."""
    contacts = select_contacts(handbook, tag)
    events = handbook.events if tag is None else {
        slug: event for slug, event in handbook.events.items() if _linked(slug, event, contacts)}
    data = {"contacts": {slug: contact_json(contact) for slug, contact in contacts.items()},
            "events": {slug: _dump(event) for slug, event in events.items()}}
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def contact_json(contact: Contact) -> dict[str, Any]:
    """A contact as YAML text values: `Contact.model_validate` of it gives the contact back
    (without `private`)."""
    data = _dump(contact)
    for key in ("cadence", "birthday"):  # dataclasses that pydantic would dump as dicts
        value = getattr(contact, key)
        if value is not None:
            data[key] = str(value)
    return data


def _dump(record: Contact | Event) -> dict[str, Any]:
    return record.model_dump(mode="json", by_alias=True, exclude_defaults=True,
                             exclude=NEVER_EXPORTED)


def _linked(slug: str, event: Event, contacts: dict[str, Contact]) -> bool:
    return any(person in contacts for person in event.people) or any(
        contact.met.at == slug or any(i.event == slug for i in contact.interactions)
        for contact in contacts.values())


# iCalendar


def export_ics(handbook: Handbook, settings: Settings, today: date,
               page_url: Callable[[str], str] | None = None) -> bytes:
    """All-day VEVENTs for the rules' items, the birthdays of contacts not archived, and the
    events. A UID names only what the entry is (rule, contact, due day and, for a promise, a
    hash of its text and maker; a birthday's or event's slug), so unrelated edits leave it
    alone; with DTSTAMP at `today` 00:00 UTC, two builds on a day give the same bytes.

    An overdue item also gets a second entry on `today` ("Overdue since 3 Nov: ..."), whose UID
    is its item's plus `.overdue`: each day's feed moves that one entry (its SEQUENCE is the
    days overdue, so it grows), and calendars update it rather than add another."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//networking-handbook//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Networking handbook")
    stamp = datetime.combine(today, time(), tzinfo=UTC)
    seen: Counter[str] = Counter()

    def add(key: str, summary: str, start: date, last: date, slug: str | None = None,
            **properties: Any) -> None:
        """An all-day entry from `start` to `last`, both included."""
        seen[key] += 1
        uid = key if seen[key] == 1 else f"{key}.{seen[key]}"  # the same promise made twice
        event = icalendar.Event()
        event.add("uid", f"{uid}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        if last < date.max:  # without DTEND an all-day entry lasts its one day (RFC 5545)
            event.add("dtend", last + timedelta(days=1))
        event.add("summary", summary)
        page = page_url(slug) if page_url and slug else None
        if page:
            properties.setdefault("url", page)
            properties["description"] = "\n".join(filter(None, [properties.get("description"), page]))
        for name, value in properties.items():
            if value is not None:
                event.add(name, value)
        calendar.add_component(event)

    for item in compute_items(handbook, settings, today):
        key = f"{item.rule}.{item.contact}.{item.due.isoformat()}"
        if item.rule in PROMISE_RULES:  # stays put when other promises come and go
            key += "." + hashlib.sha256(item.summary.encode()).hexdigest()[:12]
        add(key, item.summary, item.due, item.due, item.contact, transp="TRANSPARENT")
        if item.days_overdue > 0:  # also on the feed's day, where a subscriber looks; moved each rebuild
            add(f"{key}.overdue", f"Overdue since {short_day(item.due, today)}: {item.summary}", today, today,
                item.contact, transp="TRANSPARENT", sequence=item.days_overdue,
                description=f"Due {item.due.isoformat()}, still open on {today.isoformat()}.")
    for slug, contact in handbook.contacts.items():
        if contact.birthday and contact.stage != "archived":
            birthday = contact.birthday
            first = date(birthday.year or 2000, birthday.month, birthday.day)  # 2000 has a Feb 29
            rule: dict[str, Any] = {"freq": "yearly"}
            if (birthday.month, birthday.day) == (2, 29):  # Feb 28 in other years
                rule.update(bymonth=2, bymonthday=-1)
            add(f"birthday.{slug}", f"Birthday: {contact.name}", first, first, slug,
                rrule=rule, transp="TRANSPARENT")
    for slug, event in handbook.events.items():
        add(f"event.{slug}", event.name, event.on, event.until or event.on,
            location=event.where, url=event.url, description=event.goals)
    return calendar.to_ical()


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # not the locale's


def short_day(day: date, today: date) -> str:
    """`3 Nov`, with the year when it is not `today`'s: `3 Nov 2025`."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def person_page_url(site_url: str | None,
                    page_name: Callable[[str], str] = lambda slug: slug) -> Callable[[str], str] | None:
    """Links from calendar entries to person pages, when the site's address is known."""
    if not site_url:
        return None
    base = site_url if site_url.endswith("/") else site_url + "/"
    return lambda slug: f"{base}people/{page_name(slug)}/"


def calendar_secret_problem(secret: str | None) -> str | None:
    """What is wrong with a calendar secret, or None when it is good or not set.

    The secret in the feed's path lets calendar apps subscribe without logging in, so it must
    be long and unguessable."""
    if secret and not re.fullmatch(r"[A-Za-z0-9_-]{24,}", secret):
        return (f"{CALENDAR_SECRET_VARIABLE} must be at least 24 letters, digits, `-` or `_` "
                "(try: python -c 'import secrets; print(secrets.token_urlsafe(24))')")
    return None


def calendar_feed_path(secret: str | None) -> str | None:
    """`calendar/<secret>/handbook.ics` for the site, or None when no secret is set; a secret
    with a `calendar_secret_problem` is refused."""
    if not secret:
        return None
    problem = calendar_secret_problem(secret)
    if problem:
        raise ValueError(problem)
    return f"calendar/{secret}/handbook.ics"
