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


GROUP = 40  # people per community in a handbook with ties
INDUSTRIES = ["software", "software", "software", "healthcare", "finance", "design", "farming"]


def with_ties(text: str, index: int, contacts: int, rng: random.Random) -> str:
    """A synthetic contact who knows people: mostly of its own community of `GROUP`, now and
    then someone anywhere; a third were introduced by someone of their community; industries
    vary."""
    start = index - index % GROUP
    group = [other for other in range(start, min(start + GROUP, contacts)) if other != index]
    if not group:
        return text
    knows = rng.sample(group, min(len(group), rng.randint(1, 3)))
    if rng.random() < 0.08:
        knows.append(rng.randrange(contacts))
    listed = [f"person-{other}" for other in dict.fromkeys(knows) if other != index]
    text = text.replace("industry: software", f"industry: {rng.choice(INDUSTRIES)}", 1)
    if rng.random() < 0.3:
        text = text.replace("  how: ", f"  via: person-{rng.choice(group)}\n  how: ", 1)
    return text + f"knows: [{', '.join(listed)}]\n"


def write_handbook(root: Path, contacts: int, interactions: int = 20, seed: int = 7, ties: bool = False) -> Path:
    """A handbook folder with `contacts` people and a few events; returns the folder. With
    `ties`, people also know others (`knows`, `met.via`, mostly in communities of `GROUP`) and
    meet at 10 events for every 100 people, of 5 to 40 people from one or two communities."""
    rng = random.Random(seed)
    data = root / "handbook"
    (data / "contacts").mkdir(parents=True, exist_ok=True)
    (data / "events").mkdir(parents=True, exist_ok=True)
    event_slugs = [f"event-{n}" for n in range(20)]
    for n, slug in enumerate(event_slugs):
        day = date(2024, 1, 1) + timedelta(days=30 * n)
        (data / "events" / f"{slug}.yml").write_text(
            f"name: Event {n}\non: {day.isoformat()}\nkind: meetup\nwhere: Lisbon\n", encoding="utf-8")
    tie_rng = random.Random(seed + 1)  # its own draws: the files without ties stay as they were
    for index in range(contacts):
        text = contact_yaml(index, interactions, rng, event_slugs)
        if ties:
            text = with_ties(text, index, contacts, tie_rng)
        (data / "contacts" / f"person-{index}.yml").write_text(text, encoding="utf-8")
    for n in range(contacts // 10 if ties else 0):
        groups = tie_rng.sample(range(0, contacts, GROUP), min(tie_rng.randint(1, 2), len(range(0, contacts, GROUP))))
        pool = [index for start in groups for index in range(start, min(start + GROUP, contacts))]
        people = sorted(tie_rng.sample(pool, min(len(pool), tie_rng.randint(5, 40))))
        day = date(2024, 1, 1) + timedelta(days=tie_rng.randrange(780))
        (data / "events" / f"meet-{n}.yml").write_text(
            f"name: Meet {n}\non: {day.isoformat()}\nkind: meetup\n"
            f"people: [{', '.join(f'person-{index}' for index in people)}]\n", encoding="utf-8")
    return data
