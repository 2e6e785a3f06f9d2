"""The rules of SPEC section 3 as one table: each rule's name, its dashboard title, the guide
page that explains it, and the wording of its items' summaries.

`rules` computes the items; the pages, the exports and the CLI show them. All of them read
a rule's name and words from here, so renaming or rewording a rule is a one-line change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class RuleId(StrEnum):
    """A rule's name, as items, `handbook due`, the dashboard's anchors and calendar UIDs spell it."""

    FOLLOW_UP_NEW = "follow-up-new"
    CHECK_IN = "check-in"
    MY_PROMISE = "my-promise"
    THEIR_PROMISE = "their-promise"
    RE_STOKE = "re-stoke"
    STATE_BENEFIT = "state-benefit"


@dataclass(frozen=True, slots=True)
class Rule:
    id: RuleId
    title: str  # the dashboard's heading over its items
    guide: str  # the page under `guide/` that explains it
    # An item's summary for each case the rule tells apart: `str.format` templates.
    summaries: Mapping[str, str] = field(hash=False)

    def summary(self, case: str, **values: object) -> str:
        """The summary for `case`, filled in with `values`, on one line."""
        return " ".join(self.summaries[case].format(**values).split())


def _rule(id: RuleId, title: str, guide: str, **summaries: str) -> Rule:
    return Rule(id, title, guide, MappingProxyType(summaries))


FOLLOW_UP_NEW = _rule(
    RuleId.FOLLOW_UP_NEW, "Follow up new people", "follow-up.md",
    met="Follow up with {name} (met {met_on})",
    met_at_event="Follow up with {name} (met {met_on} at {event})",
)
CHECK_IN = _rule(
    RuleId.CHECK_IN, "Check in", "make-time.md",
    touched="Check in with {name} (every {cadence}; last touch {last_touch})",
    untouched="Check in with {name} (every {cadence}; no touch yet)",
)
MY_PROMISE = _rule(
    RuleId.MY_PROMISE, "Your promises", "follow-up.md",
    open="You promised {name}: {what}",
)
THEIR_PROMISE = _rule(
    RuleId.THEIR_PROMISE, "Their promises", "follow-up.md",
    open="{name} promised you: {what} (a gentle reminder)",
)
RE_STOKE = _rule(
    RuleId.RE_STOKE, "Re-stoke dormant ties", "long-game.md",
    dormant="Reconnect with {name}: last touch {last_touch}",
    paused="Look again at {name} (paused until {revisit})",
)
STATE_BENEFIT = _rule(
    RuleId.STATE_BENEFIT, "Say how it helps you both", "long-game.md",
    exploring="Say how you and {name} help each other, or let it rest",
)

RULES: tuple[Rule, ...] = (FOLLOW_UP_NEW, CHECK_IN, MY_PROMISE, THEIR_PROMISE, RE_STOKE, STATE_BENEFIT)
"""In SPEC order, which is also the dashboard's order."""

RULE_BY_ID: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in RULES})
