"""A handbook long enough for every list the site pages at its real limits (site/paging.Limits):
People, a tag, a topic, the events, and the dashboard's Today and rule lists."""

from __future__ import annotations

from .conftest import HandbookDir

FIRST = ("Ana", "Bruno", "Chidi", "Dana", "Emil", "Farah", "Gus", "Hana", "Ivo", "Jun", "Kofi", "Lea", "Mina",
         "Nils", "Olga", "Pia", "Quinn", "Rosa", "Sami", "Tariq", "Una", "Vera", "Wen", "Xavi", "Yara", "Zoë")
LAST = ("Abreu", "Berg", "Costa", "Dube", "Eriksen", "Fong", "García", "Haddad", "Ito", "Jensen", "Kim", "López",
        "Moreau", "Novak", "Okafor", "Park", "Quispe", "Rossi", "Sato")
CONTACTS = 450  # People in 3 pages of 200, and everyone in the tag `all` and offering `design`
EVENTS = 210  # the events list in 2 pages


def write_long_handbook(site: HandbookDir) -> list[str]:
    """The contacts' names: each met at an event in 2025 and not followed up, so Today and
    the dashboard's `follow-up-new` section hold everyone."""
    site.options("today: 2026-03-01")
    names = [f"{FIRST[n % len(FIRST)]} {LAST[n // len(FIRST) % len(LAST)]}" for n in range(CONTACTS)]
    for n, name in enumerate(names):
        event = f"event-{n % EVENTS}"
        site.contact(f"person-{n}", f"name: {name}\ncompany: Company {n % 40}\ntags: [all]\noffers: [design]\n"
                                    f"met: {{on: 2025-{n % 12 + 1:02d}-10, at: {event}}}\n")
    for n in range(EVENTS):
        site.event(f"event-{n}", f"name: Meetup {n}\non: 2025-{n % 12 + 1:02d}-10\n")
    return names
