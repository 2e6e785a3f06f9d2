"""Synthetic handbooks for the benchmarks: realistic contact files of about 2 KB each."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

KINDS = ["email", "call", "message", "coffee", "meeting", "event", "intro", "other"]
WORDS = ("product hiring pricing onboarding design research funding platform python data "
         "community mentoring sales growth remote teams").split()


def contact_yaml(index: int, interactions: int, rng: random.Random, event_slugs: list[str]) -> str:
    start = date(2024, 1, 1) + timedelta(days=rng.randrange(600))
    lines = [
        f"# contact {index}",
        f"name: Person {index} Example",
        "pronouns: they/them",
        f"company: Company {index % 97}",
        "role: Engineering lead",
        "industry: software",
        "location: Lisbon",
        f"emails: [person{index}@example.org, p{index}@example.com]",
        f'phones: ["+44 7700 9{index % 100000:05d}"]',
        "links:",
        f"  linkedin: https://www.linkedin.com/in/person-{index}",
        f"tags: [{', '.join(rng.sample(['mentor', 'mastermind', 'customer', 'friends-family', 'peer'], 2))}]",
        "met:",
        f"  on: {start.isoformat()}",
        f"  at: {rng.choice(event_slugs)}",
        "  how: Talked about remote onboarding at the coffee break",
        f"stage: {rng.choice(['exploring', 'active', 'active', 'paused'])}",
        f"needs: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]",
        f"offers: [{rng.choice(WORDS)}]",
        "interactions:",
    ]
    for step in range(interactions):
        day = start + timedelta(days=7 * step + rng.randrange(7))
        lines.append(f"  - on: {day.isoformat()}")
        lines.append(f"    kind: {rng.choice(KINDS)}")
        lines.append(f"    note: Talked about {rng.choice(WORDS)} and {rng.choice(WORDS)}")
        if step % 4 == 0:
            lines.append(f"    gave: an intro to someone in {rng.choice(WORDS)}")
    lines += [
        "promises:",
        f"  - {{by: me, what: send notes on {rng.choice(WORDS)}, on: {start.isoformat()}}}",
        "notes: |",
        "  Met through the meetup. Interested in *remote teams* and [pricing](https://example.org).",
    ]
    return "\n".join(lines) + "\n"


def write_handbook(root: Path, contacts: int, interactions: int = 20, seed: int = 7) -> Path:
    """A handbook folder with `contacts` people and a few events; returns the folder."""
    rng = random.Random(seed)
    data = root / "handbook"
    (data / "contacts").mkdir(parents=True, exist_ok=True)
    (data / "events").mkdir(parents=True, exist_ok=True)
    event_slugs = [f"event-{n}" for n in range(20)]
    for n, slug in enumerate(event_slugs):
        day = date(2024, 1, 1) + timedelta(days=30 * n)
        (data / "events" / f"{slug}.yml").write_text(
            f"name: Event {n}\non: {day.isoformat()}\nkind: meetup\nwhere: Lisbon\n", encoding="utf-8")
    for index in range(contacts):
        text = contact_yaml(index, interactions, rng, event_slugs)
        (data / "contacts" / f"person-{index}.yml").write_text(text, encoding="utf-8")
    return data
