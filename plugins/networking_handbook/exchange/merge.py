"""Bringing people in from address-book exports without touching what the user wrote.

Each imported record is matched to an existing contact by email, then LinkedIn URL, then
name. A match only gains what it lacks (new emails, phones, links, tags; a company or a
birthday where there is none), by insertion. Everyone else gets a new file. Imported people
carry no `met.on`, so a bulk import does not flood the dashboard with follow-ups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..core.identity import email_key, name_key, note_slug, phone_key, tag_slug, url_key
from ..core.records import Contact
from ..core.validate import parse_file
from ..edit.commands import HandbookFolder, create_contact
from ..edit.safe_write import EditError, WriteFailed
from ..edit.yaml_text import NoteText, Value
from .readers import ImportedPerson


@dataclass
class ImportOutcome:
    created: list[tuple[str, str]] = field(default_factory=list)  # (file, name)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)  # (file, what it gained)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, why): the system refused a write


class _Index:
    """Who is who among the contacts, kept current as the import creates and updates files."""

    def __init__(self, contacts: dict[str, Contact]) -> None:
        self.contacts: dict[str, Contact] = {}
        self.by_email: dict[str, str] = {}
        self.by_url: dict[str, str] = {}
        self.by_name: dict[str, set[str]] = {}
        for slug, contact in contacts.items():
            self.add(slug, contact)

    def add(self, slug: str, contact: Contact) -> None:
        self.contacts[slug] = contact
        for email in contact.emails:
            self.by_email.setdefault(email_key(email), slug)
        for url in contact.links.values():
            self.by_url.setdefault(url_key(url), slug)
        self.by_name.setdefault(name_key(contact.name), set()).add(slug)

    def match(self, person: ImportedPerson) -> tuple[str | None, str | None]:
        """The matching slug, or a reason the match is ambiguous."""
        strong = {self.by_email[email_key(e)] for e in person.emails if email_key(e) in self.by_email}
        strong |= {self.by_url[url_key(u)] for _, u in person.links if url_key(u) in self.by_url}
        if len(strong) > 1:
            return None, f"matches several contacts ({', '.join(sorted(strong))}) by email or link"
        if strong:
            return strong.pop(), None
        named = self.by_name.get(name_key(person.name), set())
        if len(named) > 1:
            return None, f"several contacts are named {person.name} ({', '.join(sorted(named))})"
        if named and _may_be_two_people(self.contacts[next(iter(named))], person):
            return None, (f"has the name of {next(iter(named))} but none of its emails or links, so it may be "
                          "someone else: not merged (add a shared email to the file to merge them, or "
                          "`handbook add` the other person)")
        return (next(iter(named)), None) if named else (None, None)


def _may_be_two_people(contact: Contact, person: ImportedPerson) -> bool:
    """Same name, but both have emails (or both a LinkedIn profile) and none is shared: a
    match by email or link would already have been found, so these differ."""
    linkedin = {label for label, _ in person.links} & set(contact.links) & {"linkedin"}
    return bool(person.emails and contact.emails) or bool(linkedin)


def new_contact_fields(person: ImportedPerson, met_how: str | None) -> list[tuple[str, Value]]:
    fields: list[tuple[str, Value]] = [
        (key, value) for key, value in (("company", person.company), ("role", person.role),
                                        ("location", person.location)) if value]
    fields += [(key, list(values)) for key, values in
               (("emails", person.emails), ("phones", person.phones), ("tags", person.tags)) if values]
    if person.links:
        fields.append(("links", list(_unique_labels(person.links, {}))))
    if met_how:
        fields.append(("met", [("how", met_how)]))
    fields += [(key, value) for key, value in (("birthday", person.birthday), ("notes", person.notes)) if value]
    return fields


def import_people(folder: HandbookFolder, people: list[ImportedPerson], source: str,
                  advance: Callable[[], None] = lambda: None) -> ImportOutcome:
    """Bring `people` into `folder`; with `folder.files` in memory (`DryRunFiles`), the same
    run, the same outcome, and nothing written."""
    index = _Index(dict(folder.handbook.contacts))
    outcome = ImportOutcome()
    for person in people:
        try:
            _import_one(folder, index, person, source, outcome)
        except WriteFailed as error:
            outcome.failed.append((person.name, str(error).splitlines()[0]))
        except EditError as error:
            outcome.skipped.append((person.name, str(error).splitlines()[0]))
        advance()
    return outcome


def _import_one(folder: HandbookFolder, index: _Index, person: ImportedPerson, source: str,
                outcome: ImportOutcome) -> None:
    slug, ambiguity = index.match(person)
    if ambiguity:
        outcome.skipped.append((person.name, ambiguity))
        return
    met_how = f"{source} connection since {person.met_on}" if person.met_on else None
    if slug is None:
        same_name = folder.contact_path(note_slug(person.name, lambda slug: False))
        if folder.files.exists(same_name) and same_name.stem not in index.contacts:
            outcome.skipped.append((person.name, f"{folder.display(same_name)} has errors; fix it and import again"))
            return
        path = create_contact(folder, person.name, new_contact_fields(person, met_how))
        parsed = parse_file("contacts", folder.files.read(path), folder.display(path))
        index.add(path.stem, parsed.record if isinstance(parsed.record, Contact) else Contact(name=person.name))
        outcome.created.append((folder.display(path), person.name))
        return
    contact = index.contacts[slug]
    path = folder.contact_path(slug)
    note = folder.read_note(path)
    gained = _add_what_is_missing(note, contact, person, met_how)
    if not gained:
        outcome.skipped.append((person.name, f"{note.display} already has everything"))
        return
    note.write(lambda data: parse_file("contacts", data, note.display).diagnostics)
    parsed = parse_file("contacts", note.encoded(), note.display)
    if isinstance(parsed.record, Contact):
        index.add(slug, parsed.record)
    outcome.updated.append((note.display, gained))


def _add_what_is_missing(note: NoteText, contact: Contact, person: ImportedPerson, met_how: str | None) -> list[str]:
    """Insert into `note` what `person` has and `contact` lacks; describe each addition."""
    gained = _add_new_items(note, "emails", person.emails, contact.emails, email_key)
    gained += _add_new_items(note, "phones", person.phones, contact.phones, phone_key)
    for key in ("company", "role", "location", "birthday", "notes"):
        value = getattr(person, key)
        if value and getattr(contact, key) is None:
            note.add_key((), key, value)
            gained.append(key)
    new_links = [(label, url) for label, url in person.links
                 if url_key(url) not in {url_key(u) for u in contact.links.values()}]
    for label, url in _unique_labels(tuple(new_links), contact.links):
        if note_has_key(note, "links"):
            note.add_key(("links",), label, url)
        else:
            note.add_key((), "links", [(label, url)])
        gained.append(f"link {label}")
    gained += _add_new_items(note, "tags", person.tags, contact.tags, tag_slug)
    if met_how and not note_has_key(note, "met"):
        note.add_key((), "met", [("how", met_how)])
        gained.append("met")
    return gained


def _add_new_items(note: NoteText, key: str, wanted: Iterable[str], have: Iterable[str],
                   identity: Callable[[str], str]) -> list[str]:
    """Append to the list `key` each of `wanted` that is not the same (by `identity`) as one it
    has or one just added; describe each addition (`email ana@example.org`)."""
    known = {identity(value) for value in have}
    added = []
    for value in wanted:
        if identity(value) not in known:
            note.add_item((), key, value)
            known.add(identity(value))
            added.append(f"{key.removesuffix('s')} {value}")
    return added


def note_has_key(note: NoteText, key: str) -> bool:
    return any(k.value == key for k, _ in note.root().value)


def _unique_labels(links: tuple[tuple[str, str], ...], existing: dict[str, str]) -> list[tuple[str, str]]:
    """Link labels that do not clash with the contact's own (`website`, `website-2`...)."""
    taken = set(existing)
    result: list[tuple[str, str]] = []
    for label, url in links:
        unique, number = label or "link", 1
        while unique in taken:
            number += 1
            unique = f"{label}-{number}"
        taken.add(unique)
        result.append((unique, url))
    return result
