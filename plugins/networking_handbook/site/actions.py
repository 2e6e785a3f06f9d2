"""What a row on the dashboard or a person page lets you do at once: an email draft that
names what is open, and a `tel:` link."""

from __future__ import annotations

from datetime import date

from ..core.identity import mailto, phone_key
from ..core.records import Contact, Handbook, Promise
from ..core.rule_table import RuleId
from ..core.rules import Item


def open_promises(contact: Contact, today: date) -> list[Promise]:
    return [promise for promise in contact.promises if promise.done is None or promise.done > today]


def draft_email(contact: Contact, handbook: Handbook, item: Item | None, today: date) -> str | None:
    """A `mailto:` link with a short, editable draft for `item` (the most urgent open one),
    naming every open promise; None without an address."""
    if not contact.emails:
        return None
    first_name = contact.name.split()[0]
    promises = open_promises(contact, today)
    mine = [p.what for p in promises if p.by == "me"]
    theirs = [p.what for p in promises if p.by == "them"]
    rule = item.rule if item else None
    if rule == RuleId.FOLLOW_UP_NEW:
        event = handbook.events.get(contact.met.at or "")
        where = f" at {event.name}" if event else ""
        subject = f"Great to meet you{where}"
        opening = (f"It was great to meet you{where}. I enjoyed our conversation and wanted to follow up"
                   " as promised.")
    elif rule == RuleId.MY_PROMISE and mine:
        subject, opening = f"As promised: {mine[0]}", "Following up on what I promised."
    elif rule == RuleId.THEIR_PROMISE and theirs:
        subject, opening = f"Checking in: {theirs[0]}", "Just checking in, no rush at all."
    else:
        subject, opening = "Catching up", "It has been a while: how are things going?"
    lines = [f"Hi {first_name},", "", opening, ""]
    lines += [f"As promised: {what}." for what in mine]
    lines += [f"When you have a moment: {what}?" for what in theirs]
    if not mine:
        lines.append("[What you offered, or a useful link]")
    lines += ["", "Looking forward to staying in touch,", ""]
    return mailto(contact.emails[0], subject=subject, body="\n".join(lines))


def tel_link(phone: str) -> str | None:
    """`+44 7700 900104` as `tel:+447700900104`; None for a phone with no digit."""
    number = phone_key(phone)
    return f"tel:{number}" if any(char.isdigit() for char in number) else None
