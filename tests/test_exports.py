"""Exports: each is read back by an independent parser and compared with the handbook."""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import vobject

from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.records import Contact, Event, Handbook
from networking_handbook.core.rules import compute_items
from networking_handbook.core.settings import Settings
from networking_handbook.exchange.exports import export_csv, export_ics, export_json, export_vcard, select_contacts

from .conftest import REPO, HandbookDir

DAY = date(2026, 3, 1)
CANARY = "CANARY-PRIVATE-7731"
PAGE = "https://site.example/people/{}/".format

ZOE = f"""
    name: "Zoë Müller-Smith, PhD"
    company: "ACME; Inc, Ltd"
    role: "Head of R&D, EMEA"
    location: "Zürich; CH"
    emails: [zoe@acme.example, "zoe.private@example.org"]
    phones: ["+41 44 000 00 00", "012345"]
    links:
      LinkedIn: https://www.linkedin.com/in/zoe-example
      site: "https://zoe.example/a,b;c"
      mail: mailto:zoe@acme.example
    tags: ["Mentor ", "friends, family", "日本"]
    met: {{on: 2026-02-20, at: meetup, how: "Q&A; then coffee"}}
    cadence: 2w
    birthday: --02-29
    needs: [Hiring, "Board; reporting"]
    interactions:
      - {{on: 2026-02-20, kind: event, event: meetup, with: [bob]}}
    promises:
      - {{by: me, what: "Send the deck, v2", on: 2026-02-20}}
      - {{by: them, what: Intro to Kenji, due: 2026-03-10}}
    notes: |
      Line one, with a comma; and a semicolon.
      Ünïcödé ✓ and a very long line that a vCard writer must fold over several lines of seventy-five octets.
    private: {CANARY} never share
"""


def load(root: Path) -> Handbook:
    result = load_handbook(root / "handbook", root)
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    return result.handbook


@pytest.fixture
def tricky(site: HandbookDir) -> HandbookDir:
    site.contact("zoe", ZOE)
    site.contact("kenji", f"name: Kenji\nstage: archived\nbirthday: 1980-02-29\ntags: [mentor]\nprivate: {CANARY}\n")
    site.contact("bob", "name: Bob Stone\nbirthday: 1990-07-14\ntags: [customer]\n")
    site.event("meetup", """
        name: "Python Meetup: March, 2026"
        on: 2026-02-20
        until: 2026-02-21
        where: "Room B; Lisbon"
        url: https://meetup.example/2026
        goals: Meet two people
        people: [zoe]
    """)
    site.event("other-talk", "name: Other talk\non: 2026-01-10\n")
    return site


@pytest.fixture(params=["example", "tricky"])
def handbook(request: pytest.FixtureRequest, tricky: HandbookDir) -> Handbook:
    return load(REPO if request.param == "example" else tricky.root)


def unfolded(text: str) -> str:
    """Content lines joined back and backslash escapes dropped, for plain substring checks."""
    return text.replace("\r\n ", "").replace("\r\n\t", "").replace("\\n", "\n").replace("\\", "")


# selection

def test_select_contacts_by_tag_trimmed_and_lower_cased(tricky: HandbookDir) -> None:
    handbook = load(tricky.root)
    assert list(select_contacts(handbook, None)) == ["bob", "kenji", "zoe"]  # archived included
    assert list(select_contacts(handbook, "  MENTOR")) == ["kenji", "zoe"]
    assert list(select_contacts(handbook, "friends, family")) == ["zoe"]
    assert select_contacts(handbook, "nobody") == {}


def test_tag_selects_the_same_people_in_every_contact_export(tricky: HandbookDir) -> None:
    handbook = load(tricky.root)
    cards = [card.uid.value for card in vobject.readComponents(export_vcard(handbook, "customer"))]
    assert cards == ["networking-handbook:bob"]
    assert [row["slug"] for row in csv.DictReader(io.StringIO(export_csv(handbook, "mentor")))] == ["kenji", "zoe"]
    data = json.loads(export_json(handbook, "Mentor"))
    assert list(data["contacts"]) == ["kenji", "zoe"]
    assert list(data["events"]) == ["meetup"]  # only the events linked to the people exported
    assert list(json.loads(export_json(handbook))["events"]) == ["meetup", "other-talk"]


# vCard

def card_values(card: vobject.base.Component, name: str) -> list[object]:
    return [line.value for line in card.contents.get(name, [])]


def test_vcard_reads_back_into_the_same_people(handbook: Handbook) -> None:
    cards = list(vobject.readComponents(export_vcard(handbook)))
    assert [card.uid.value for card in cards] == [f"networking-handbook:{slug}" for slug in handbook.contacts]
    for card, contact in zip(cards, handbook.contacts.values(), strict=True):
        assert card.version.value == "3.0"
        assert card.fn.value == contact.name
        words = contact.name.split()
        assert card.n.value.family == (words[-1] if len(words) > 1 else "")
        assert card.n.value.given == " ".join(words[:-1] or words)
        assert card_values(card, "email") == contact.emails
        assert card_values(card, "tel") == contact.phones
        if contact.emails:
            assert card.contents["email"][0].params["TYPE"] == ["INTERNET", "PREF"]
            assert all(line.params["TYPE"] == ["INTERNET"] for line in card.contents["email"][1:])
        assert card_values(card, "org") == ([[contact.company]] if contact.company else [])
        assert card_values(card, "title") == ([contact.role] if contact.role else [])
        assert card_values(card, "url") == [url for url in contact.links.values() if url.startswith("http")]
        assert card_values(card, "bday") == ([str(contact.birthday)] if contact.birthday else [])
        assert card_values(card, "note") == ([contact.notes] if contact.notes else [])
        assert card_values(card, "categories") == ([contact.tags] if contact.tags else [])


def test_vcard_keeps_special_characters(tricky: HandbookDir) -> None:
    text = export_vcard(load(tricky.root))
    cards = {card.uid.value.split(":")[1]: card for card in vobject.readComponents(text)}
    zoe, kenji = cards["zoe"], cards["kenji"]
    assert zoe.fn.value == "Zoë Müller-Smith, PhD"
    assert (zoe.n.value.given, zoe.n.value.family) == ("Zoë Müller-Smith,", "PhD")
    assert zoe.org.value == ["ACME; Inc, Ltd"]
    assert zoe.title.value == "Head of R&D, EMEA"
    assert zoe.categories.value == ["Mentor ", "friends, family", "日本"]
    assert card_values(zoe, "url") == ["https://www.linkedin.com/in/zoe-example", "https://zoe.example/a,b;c"]
    assert card_values(zoe, "tel") == ["+41 44 000 00 00", "012345"]
    assert zoe.note.value.startswith("Line one, with a comma; and a semicolon.\nÜnïcödé ✓ and")
    assert zoe.bday.value == "--02-29"
    assert kenji.bday.value == "1980-02-29"
    assert (kenji.n.value.given, kenji.n.value.family) == ("Kenji", "")


def test_vcard_of_a_blank_name_is_still_a_card(site: HandbookDir) -> None:
    site.contact("blank", 'name: "  "\n')
    card = vobject.readOne(export_vcard(load(site.root)))
    assert (card.fn.value, card.n.value.given) == ("  ", "  ")


def test_vcard_lines_are_crlf_and_folded(tricky: HandbookDir) -> None:
    text = export_vcard(load(tricky.root))
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and text.endswith("END:VCARD\r\n")
    assert text.count("BEGIN:VCARD") == 3
    lines = text.split("\r\n")
    assert "\n" not in "".join(lines) and "\r" not in "".join(lines)
    assert max(len(line.encode()) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)  # the long note was folded


# CSV

def as_text_cell(text: str) -> str:
    """What a CSV cell holds for `text`: a leading `'` before `=`, `+`, `-`, `@`, tab or CR."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def test_csv_reads_back_into_the_same_people(handbook: Handbook) -> None:
    rows = list(csv.DictReader(io.StringIO(export_csv(handbook))))
    assert [row["slug"] for row in rows] == list(handbook.contacts)
    for row, contact in zip(rows, handbook.contacts.values(), strict=True):
        assert row["name"] == as_text_cell(contact.name)
        assert row["emails"] == as_text_cell("; ".join(contact.emails))
        assert row["phones"] == as_text_cell("; ".join(contact.phones))
        assert row["tags"] == as_text_cell("; ".join(contact.tags))
        assert row["company"] == as_text_cell(contact.company or "")
        assert row["stage"] == contact.stage
        assert row["met_on"] == (contact.met.on.isoformat() if contact.met.on else "")
        assert row["notes"] == as_text_cell(contact.notes or "")
        assert "private" not in row


def test_csv_header_and_columns(tricky: HandbookDir) -> None:
    text = export_csv(load(tricky.root))
    reader = csv.DictReader(io.StringIO(text))
    rows = {row["slug"]: row for row in reader}
    assert reader.fieldnames is not None
    assert reader.fieldnames[:12] == ["slug", "name", "company", "role", "emails", "phones", "tags", "stage",
                                      "met_on", "location", "industry", "linkedin"]
    zoe = rows["zoe"]
    assert zoe["linkedin"] == "https://www.linkedin.com/in/zoe-example"
    assert zoe["links"] == "site: https://zoe.example/a,b;c; mail: mailto:zoe@acme.example"
    assert (zoe["company"], zoe["location"], zoe["met_on"]) == ("ACME; Inc, Ltd", "Zürich; CH", "2026-02-20")
    assert (zoe["birthday"], zoe["cadence"], zoe["needs"]) == ("'--02-29", "2w", "Hiring; Board; reporting")
    assert rows["bob"]["birthday"] == "1990-07-14" and rows["bob"]["cadence"] == ""
    assert export_csv(Handbook()).strip() == ",".join(reader.fieldnames)


# JSON

def test_json_revalidates_into_equal_records(handbook: Handbook) -> None:
    text = export_json(handbook)
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert list(data["contacts"]) == list(handbook.contacts)
    for slug, contact in handbook.contacts.items():
        assert "private" not in data["contacts"][slug]
        assert Contact.model_validate(data["contacts"][slug]) == contact.model_copy(update={"private": None})
    assert {slug: Event.model_validate(event) for slug, event in data["events"].items()} == handbook.events


def test_json_uses_the_yaml_text_forms(tricky: HandbookDir) -> None:
    data = json.loads(export_json(load(tricky.root)))
    zoe = data["contacts"]["zoe"]
    assert (zoe["cadence"], zoe["birthday"], zoe["met"]["on"]) == ("2w", "--02-29", "2026-02-20")
    assert zoe["interactions"] == [{"on": "2026-02-20", "kind": "event", "event": "meetup", "with": ["bob"]}]
    assert zoe["phones"] == ["+41 44 000 00 00", "012345"]
    assert data["contacts"]["kenji"] == {"name": "Kenji", "stage": "archived", "birthday": "1980-02-29",
                                         "tags": ["mentor"]}
    assert data["events"]["meetup"]["until"] == "2026-02-21"


# iCalendar

def read_ics(handbook: Handbook, page_url: object = None, today: date = DAY) -> vobject.base.Component:
    raw = export_ics(handbook, Settings(), today, page_url)  # type: ignore[arg-type]
    assert isinstance(raw, bytes)
    return vobject.readOne(raw.decode("utf-8"))


def events_by_uid(calendar: vobject.base.Component) -> dict[str, vobject.base.Component]:
    events = calendar.contents.get("vevent", [])
    found = {event.uid.value: event for event in events}
    assert len(found) == len(events), "UIDs must be unique"
    return found


def test_ics_has_an_all_day_event_per_item_birthday_and_event(handbook: Handbook) -> None:
    calendar = read_ics(handbook)
    assert calendar.prodid.value == "-//networking-handbook//EN"
    assert calendar.version.value == "2.0"
    assert calendar.contents["x-wr-calname"][0].value == "Networking handbook"
    events = list(events_by_uid(calendar).values())
    assert "vtodo" not in calendar.contents
    for event in events:
        assert event.dtstart.params["VALUE"] == ["DATE"] and type(event.dtstart.value) is date
        assert type(event.dtend.value) is date and event.dtend.value > event.dtstart.value
        assert event.dtstamp.value == datetime(2026, 3, 1, tzinfo=UTC)
    items = compute_items(handbook, Settings(), DAY)
    birthdays = [c for c in handbook.contacts.values() if c.birthday and c.stage != "archived"]
    overdue = [item for item in items if item.days_overdue > 0]
    assert overdue, "the example has overdue items"
    assert len(events) == len(items) + len(overdue) + len(birthdays) + len(handbook.events)
    one_day = [(e.summary.value, e.dtstart.value) for e in events if e.dtend.value - e.dtstart.value == timedelta(1)]
    for item in items:
        assert (item.summary, item.due) in one_day
    for item in overdue:  # also on the feed's day, where a subscriber looks
        assert (f"Overdue since {item.due.day} {item.due:%b}: {item.summary}", DAY) in one_day
    summaries = {e.summary.value for e in events}
    assert {f"Birthday: {c.name}" for c in birthdays} <= summaries
    assert {e.name for e in handbook.events.values()} <= summaries


def test_ics_birthdays_recur_yearly(tricky: HandbookDir) -> None:
    events = {e.summary.value: e for e in events_by_uid(read_ics(load(tricky.root))).values()}
    assert "Birthday: Kenji" not in events  # archived
    bob, zoe = events["Birthday: Bob Stone"], events["Birthday: Zoë Müller-Smith, PhD"]
    assert (bob.dtstart.value, bob.dtend.value) == (date(1990, 7, 14), date(1990, 7, 15))
    assert bob.rrule.value == "FREQ=YEARLY"
    assert zoe.dtstart.value == date(2000, 2, 29)
    days = [day.date() for day in itertools.islice(zoe.getrruleset(), 5)]
    assert days == [date(2000, 2, 29), date(2001, 2, 28), date(2002, 2, 28), date(2003, 2, 28), date(2004, 2, 29)]


def test_ics_events_and_links(tricky: HandbookDir) -> None:
    events = events_by_uid(read_ics(load(tricky.root), PAGE))
    meetup = next(e for e in events.values() if e.summary.value == "Python Meetup: March, 2026")
    assert (meetup.dtstart.value, meetup.dtend.value) == (date(2026, 2, 20), date(2026, 2, 22))
    assert (meetup.location.value, meetup.url.value) == ("Room B; Lisbon", "https://meetup.example/2026")
    people = [e for e in events.values() if "Zoë" in e.summary.value]
    rules = {"follow-up-new", "my-promise", "their-promise", "state-benefit"}
    assert {uid.split(".")[0] for uid in events if ".zoe." in uid} >= rules
    assert len(people) >= len(rules) + 1  # and the birthday
    for event in people:
        assert event.url.value == PAGE("zoe")
        assert PAGE("zoe") in event.description.value
    plain = events_by_uid(read_ics(load(tricky.root)))
    assert not any("url" in e.contents for e in plain.values() if "Zoë" in e.summary.value)


def test_ics_is_identical_between_builds_on_a_day(tricky: HandbookDir) -> None:
    handbook = load(tricky.root)
    first = export_ics(handbook, Settings(), DAY, PAGE)
    assert first == export_ics(load(tricky.root), Settings(), DAY, PAGE)
    assert first.startswith(b"BEGIN:VCALENDAR\r\n") and b"\n" not in first.replace(b"\r\n", b"")


def test_ics_uids_survive_unrelated_changes(tricky: HandbookDir) -> None:
    before = {uid: (e.summary.value, e.dtstart.value) for uid, e in events_by_uid(read_ics(load(tricky.root))).items()}
    tricky.contact("aaron", "name: Aaron Abbot\nmet: {on: 2026-02-25}\nbirthday: --01-01\n")
    extra = '      - {by: me, what: "A new promise", on: 2026-02-27}\n'
    tricky.contact("zoe", ZOE.replace("    promises:\n", "    promises:\n" + extra))
    after = {uid: (e.summary.value, e.dtstart.value) for uid, e in events_by_uid(read_ics(load(tricky.root))).items()}
    assert {uid: after.get(uid) for uid in before} == before
    added = {after[uid][0] for uid in set(after) - set(before)}
    assert "You promised Zoë Müller-Smith, PhD: A new promise" in added
    assert "Birthday: Aaron Abbot" in added


def test_same_promise_twice_gets_two_uids(site: HandbookDir) -> None:
    promise = "{by: me, what: Call back, on: 2026-02-20}"
    site.contact("ana", f"name: Ana\nbenefit: both\npromises: [{promise}, {promise}]\n")
    events = events_by_uid(read_ics(load(site.root)))
    assert sorted(e.summary.value for e in events.values()) == [
        "Overdue since 27 Feb: You promised Ana: Call back"] * 2 + ["You promised Ana: Call back"] * 2


# private

def test_private_text_is_in_no_export(handbook: Handbook) -> None:
    privates = [contact.private for contact in handbook.contacts.values() if contact.private]
    assert privates, "the handbooks tested must use `private`"
    exports = {
        "vcard": export_vcard(handbook), "csv": export_csv(handbook), "json": json.loads(export_json(handbook)),
        "ics": export_ics(handbook, Settings(), DAY, PAGE).decode(),
    }
    exports["json"] = json.dumps(exports["json"], ensure_ascii=False)
    for kind, text in exports.items():
        plain = unfolded(text)
        for private in privates:
            assert private.strip() not in plain, kind
        assert CANARY not in plain, kind


def test_the_canary_check_would_see_a_leak(tricky: HandbookDir) -> None:
    """The unfolding above is sound: a private value put in a note is found in every format."""
    handbook = load(tricky.root)
    leaked = Handbook({slug: c.model_copy(update={"notes": c.private}) for slug, c in handbook.contacts.items()})
    for text in (export_vcard(leaked), export_csv(leaked), export_json(leaked)):
        assert CANARY in unfolded(text)
