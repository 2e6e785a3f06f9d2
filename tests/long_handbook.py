"""A handbook long enough for every list the site pages at its real limits (site/paging.Limits):
People, a tag, a topic, the events, and the dashboard's Today and rule lists."""

from __future__ import annotations

from pathlib import Path

FIRST = ("Ana", "Bruno", "Chidi", "Dana", "Emil", "Farah", "Gus", "Hana", "Ivo", "Jun", "Kofi", "Lea", "Mina",
         "Nils", "Olga", "Pia", "Quinn", "Rosa", "Sami", "Tariq", "Una", "Vera", "Wen", "Xavi", "Yara", "Zoë")
LAST = ("Abreu", "Berg", "Costa", "Dube", "Eriksen", "Fong", "García", "Haddad", "Ito", "Jensen", "Kim", "López",
        "Moreau", "Novak", "Okafor", "Park", "Quispe", "Rossi", "Sato")
CONTACTS = 450  # People in 3 pages of 200, and everyone in the tag `all` and offering `design`
EVENTS = 210  # the events list in 2 pages


def write_long_handbook(data: Path, contacts: int = CONTACTS, events: int = EVENTS) -> list[str]:
    """Writes the files into the handbook folder `data` and returns the contacts' names: each
    met at an event in 2025 and not followed up, so that on 2026-03-01 Today and the
    dashboard's `follow-up-new` section hold everyone."""
    names = [f"{FIRST[n % len(FIRST)]} {LAST[n // len(FIRST) % len(LAST)]}" for n in range(contacts)]
    for folder in ("contacts", "events"):
        (data / folder).mkdir(parents=True, exist_ok=True)
    for n, name in enumerate(names):
        (data / "contacts" / f"person-{n}.yml").write_text(
            f"name: {name}\ncompany: Company {n % 40}\ntags: [all]\noffers: [design]\n"
            f"met: {{on: 2025-{n % 12 + 1:02d}-10, at: event-{n % events}}}\n", encoding="utf-8")
    for n in range(events):
        (data / "events" / f"event-{n}.yml").write_text(f"name: Meetup {n}\non: 2025-{n % 12 + 1:02d}-10\n",
                                                        encoding="utf-8")
    return names
