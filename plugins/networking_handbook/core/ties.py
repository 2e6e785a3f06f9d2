"""Stage 3b, ties: who among your contacts knows whom (SPEC section 5), for a day.

A pure function of the handbook and `today`: archived contacts are left out, interactions
and events after `today` give no tie, an event with more than `CROWD` people gives none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .records import Handbook

CROWD = 30  # an event with more people than this says nothing about who knows whom
STRONG, WEAK = 1.0, 0.25  # the weights of the community search


@dataclass(frozen=True, slots=True)
class Tie:
    """One tie between two contacts (`a` < `b`), and the first day it is known to exist:
    `None` when undated (`knows`, and `met.via` without `met.on`)."""

    a: str
    b: str
    strong: bool
    since: date | None

    @property
    def weight(self) -> float:
        return STRONG if self.strong else WEAK


def tie_graph(handbook: Handbook, today: date) -> dict[tuple[str, str], Tie]:
    """Every tie among the contacts who are not archived, by the pair of slugs in order."""
    members = {slug for slug, contact in handbook.contacts.items() if contact.stage != "archived"}
    strongest: dict[tuple[str, str], bool] = {}
    earliest: dict[tuple[str, str], date] = {}  # `date.min` while collecting stands for "undated"

    def add(one: str, other: str, strong: bool, since: date | None) -> None:
        if one == other or one not in members or other not in members:
            return
        pair = (one, other) if one < other else (other, one)
        day = date.min if since is None else since
        strongest[pair] = strong or strongest.get(pair, False)
        earliest[pair] = min(day, earliest.get(pair, day))

    for slug in sorted(members):
        contact = handbook.contacts[slug]
        for other in contact.knows:
            add(slug, other, True, None)
        if contact.met.via:
            add(slug, contact.met.via, True, contact.met.on)
        for interaction in contact.interactions:
            if interaction.on <= today:
                for other in interaction.with_:
                    add(slug, other, True, interaction.on)
    for _, event in sorted(handbook.events.items()):
        people = sorted(set(event.people) & members)
        if event.on > today or len(set(event.people)) > CROWD:
            continue
        for index, one in enumerate(people):
            for other in people[index + 1:]:
                add(one, other, False, event.on)
    return {pair: Tie(*pair, strongest[pair], None if earliest[pair] == date.min else earliest[pair])
            for pair in sorted(strongest)}
