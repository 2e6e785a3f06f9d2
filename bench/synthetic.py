"""Synthetic handbooks for the benchmarks: `write_handbook`, uniform contact files of about 2 KB
each (the shape of the first figures in issue 15); `write_realistic_handbook`, one shaped as a real
handbook grows."""

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


# Realistic handbooks (issue 15): what a real one looks like after years of use. Each person's
# own data comes from a generator seeded by their number, so person 12 is the same person in a
# handbook of 200 and one of 20,000; only who else is there changes.
TODAY = date(2026, 3, 1)
FIRST_DAY = date(2016, 1, 1)
TAGS = ("mentor", "mastermind", "customer", "friends-family", "peer", "investor", "founder",
        "recruiter", "speaker", "alumni", "open-source", "neighbour")
CONFERENCE_EVERY = 25  # one event in this many is a conference, drawing 30 times the people
PEOPLE_PER_EVENT = 15  # contacts per event in the handbook (most events get a handful)


def realistic_events(contacts: int, seed: int) -> list[tuple[str, str, date]]:
    """The events: (slug, kind, day), about one per `PEOPLE_PER_EVENT` contacts, over ten years."""
    events = []
    for number in range(max(5, contacts // PEOPLE_PER_EVENT)):
        rng = random.Random(f"{seed}:event:{number}")
        kind = "conference" if number % CONFERENCE_EVERY == 0 else rng.choice(
            ["meetup", "meetup", "coworking", "online", "talk", "workshop", "social"])
        day = FIRST_DAY + timedelta(days=rng.randrange((TODAY - FIRST_DAY).days + 60))  # a few upcoming
        events.append((f"{kind}-{number}", kind, day))
    return events


def realistic_contact(index: int, seed: int, events: list[tuple[str, str, date]],
                      cumulative: list[int], knows: bool) -> tuple[str, str]:
    """One contact's YAML and the event where you met them."""
    rng = random.Random(f"{seed}:contact:{index}")
    at, _, event_day = events[rng.choices(range(len(events)), cum_weights=cumulative)[0]]
    met_on = min(event_day, TODAY)
    lines = [f"name: Person {index} Example", f"company: Company {rng.randrange(400)}",
             f"role: {rng.choice(['Engineer', 'Founder', 'Designer', 'Product lead', 'Recruiter'])}",
             f"industry: {rng.choice(['software', 'finance', 'health', 'education', 'retail'])}",
             f"location: {rng.choice(['Lisbon', 'Porto', 'Berlin', 'London', 'Casablanca', 'Remote'])}",
             f"emails: [person{index}@example.org]"]
    if rng.random() < 0.7:
        lines.append(f"tags: [{', '.join(rng.sample(TAGS, rng.choice([1, 1, 2, 3])))}]")
    lines += ["met:", f"  on: {met_on.isoformat()}", f"  at: {at}"]
    if index and rng.random() < 0.25:  # introduced by someone met earlier; early people introduce most
        lines.append(f"  via: person-{int(index * rng.random() ** 3)}")
    lines.append("  how: Talked about remote onboarding at the coffee break")
    lines.append(f"stage: {rng.choice(['exploring', 'active', 'active', 'active', 'paused', 'archived'])}")
    if rng.random() < 0.5:
        lines.append(f"benefit: We swap notes on {rng.choice(WORDS)}")
    lines += [f"needs: [{', '.join(rng.sample(WORDS, rng.randrange(3)))}]",
              f"offers: [{', '.join(rng.sample(WORDS, rng.randrange(3)))}]"]
    if knows and index:
        lines.append(f"knows: [{', '.join(f'person-{rng.randrange(index)}' for _ in range(rng.randrange(4)))}]")
    lines += _realistic_interactions(index, rng, met_on, events)
    lines += _realistic_promises(rng, met_on)
    if rng.random() < 0.5:
        lines += ["notes: |", f"  Interested in *{rng.choice(WORDS)}* and [{rng.choice(WORDS)}](https://example.org)."]
    return "\n".join(lines) + "\n", at


def _realistic_interactions(index: int, rng: random.Random, met_on: date,
                            events: list[tuple[str, str, date]]) -> list[str]:
    """Most relationships have a few touches, some dozens; spread from `met_on` to a little past today."""
    count = min(60, int(rng.expovariate(1 / 8)))
    span = max(1, (TODAY - met_on).days + 30)
    days = sorted(met_on + timedelta(days=rng.randrange(span)) for _ in range(count))
    lines = ["interactions:"] if days else []
    for day in days:
        kind = rng.choice(KINDS)
        lines += [f"  - on: {day.isoformat()}", f"    kind: {kind}",
                  f"    note: Talked about {rng.choice(WORDS)} and {rng.choice(WORDS)}"]
        if rng.random() < 0.3:
            lines.append(f"    gave: an intro to someone in {rng.choice(WORDS)}")
        elif rng.random() < 0.1:
            lines.append(f"    asked: advice on {rng.choice(WORDS)}")
        if kind == "event":
            lines.append(f"    event: {rng.choice(events)[0]}")
        if kind == "intro" and index:
            lines.append(f"    with: [person-{rng.randrange(index)}]")
    return lines


def _realistic_promises(rng: random.Random, met_on: date) -> list[str]:
    lines = []
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        made = met_on + timedelta(days=rng.randrange(max(1, (TODAY - met_on).days + 1)))
        done = made + timedelta(days=rng.randrange(1, 30))
        kept = f", done: {done.isoformat()}" if rng.random() < 0.6 and done <= TODAY else ""
        lines.append(f"  - {{by: {rng.choice(['me', 'them'])}, what: send notes on {rng.choice(WORDS)},"
                     f" on: {made.isoformat()}{kept}}}")
    return ["promises:", *lines] if lines else []


def write_realistic_handbook(root: Path, contacts: int, seed: int = 7, *, knows: bool = False) -> Path:
    """A handbook folder of `contacts` people as a real one grows (see above); returns the folder.
    With `knows`, contacts name a few people they know (the `knows` key)."""
    data = root / "handbook"
    (data / "contacts").mkdir(parents=True, exist_ok=True)
    (data / "events").mkdir(parents=True, exist_ok=True)
    events = realistic_events(contacts, seed)
    weights = [30 if kind == "conference" else 1 for _, kind, _ in events]
    cumulative = [sum(weights[:n + 1]) for n in range(len(weights))]
    met_at: dict[str, list[str]] = {}
    for index in range(contacts):
        text, at = realistic_contact(index, seed, events, cumulative, knows)
        met_at.setdefault(at, []).append(f"person-{index}")
        (data / "contacts" / f"person-{index}.yml").write_text(text, encoding="utf-8")
    for number, (slug, kind, day) in enumerate(events):
        lines = [f"name: {kind.title()} {number}", f"on: {day.isoformat()}", f"kind: {kind}", "where: Lisbon"]
        if number % 3 == 0 and met_at.get(slug):  # some event files list who you met there
            lines.append(f"people: [{', '.join(met_at[slug])}]")
        (data / "events" / f"{slug}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data
