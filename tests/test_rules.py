"""SPEC section 3 on real YAML files: each case under rule_cases/ is a small handbook, one or
more days (with settings) and the items expected on each; the ledger, the rhythm and the due
filter are tested as code below.

A case file holds the contact and event files as text (`contacts`, `events`: slug to file),
`about` (what it shows) and `checks`, each a `today`, optional `settings` (plugin options) and
the expected `items`, in order. Adding a case is adding a file: write it with `items: []`, run
with `UPDATE_GOLDEN=1` to fill in the items, then review the diff. The files are kept in the
form that run writes (checked below), so regenerating changes nothing but the items.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.records import Handbook
from networking_handbook.core.rule_table import RuleId
from networking_handbook.core.rules import Item, compute_items, due_items, ledger, weekly_rhythm
from networking_handbook.core.settings import Settings

from .conftest import HandbookDir

DAY = date(2026, 3, 1)
CASES = Path(__file__).parent / "rule_cases"
CASE_FILES = sorted(CASES.glob("*.yml"))
CASE_KEYS = ("about", "contacts", "events", "checks")
CHECK_KEYS = ("today", "settings", "items")
ITEM_KEYS = ("rule", "contact", "due", "days_overdue", "summary")


def load(site: HandbookDir) -> Handbook:
    result = load_handbook(site.root / "handbook", site.root)
    assert result.diagnostics == []
    return result.handbook


# The rule cases


class _Flow(dict[str, Any]):
    """An item: one line of the case file."""


class _CaseDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list entries indented under their key

    def ignore_aliases(self, data: Any) -> bool:
        return True  # the same day twice is written twice, not as an anchor and an alias


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    """Multi-line text (a file, the `about`) as a literal block, exactly as the file holds it."""
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_CaseDumper.add_representer(str, _text)
_CaseDumper.add_representer(
    _Flow, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True))


def case_text(case: dict[str, Any]) -> str:
    """A case in its one written form: keys in a fixed order, files as blocks, an item a line."""
    document = {key: case[key] for key in ("about", "contacts", "events") if case.get(key)}
    document["checks"] = [
        {key: check[key] for key in ("today", "settings") if check.get(key)}
        | {"items": [_Flow({key: item[key] for key in ITEM_KEYS}) for item in check["items"]]}
        for check in case["checks"]
    ]
    return yaml.dump(document, Dumper=_CaseDumper, sort_keys=False, allow_unicode=True, width=10**6)


def item_data(item: Item) -> dict[str, Any]:
    return {"rule": str(item.rule), "contact": item.contact, "due": item.due,
            "days_overdue": item.days_overdue, "summary": item.summary}


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda path: path.stem)
def test_rule_case(path: Path, site: HandbookDir) -> None:
    """Every item of every contact, on each day of the case, exactly and in order."""
    text = path.read_text(encoding="utf-8")
    case = yaml.safe_load(text)
    assert set(case) <= set(CASE_KEYS) and case.get("about") and case.get("checks"), f"{path.name}: {list(case)}"
    for slug, body in (case.get("contacts") or {}).items():
        site.contact(slug, body)
    for slug, body in (case.get("events") or {}).items():
        site.event(slug, body)
    book = load(site)
    actual = []
    for check in case["checks"]:
        assert set(check) <= set(CHECK_KEYS) and isinstance(check["today"], date), f"{path.name}: {check}"
        found = compute_items(book, Settings(**check.get("settings") or {}), check["today"])
        actual.append([item_data(item) for item in found])
    if os.environ.get("UPDATE_GOLDEN"):
        for check, items in zip(case["checks"], actual, strict=True):
            check["items"] = items
        text = case_text(case)
        path.write_text(text, encoding="utf-8")
    for check, items in zip(case["checks"], actual, strict=True):
        assert items == check["items"], f"{path.name}, on {check['today']}"
    assert text == case_text(case), f"{path.name} is not in the written form: run with UPDATE_GOLDEN=1"


def test_rule_cases_show_every_rule() -> None:
    shown = {item["rule"] for path in CASE_FILES
             for check in yaml.safe_load(path.read_text(encoding="utf-8"))["checks"] for item in check["items"]}
    assert shown == set(RuleId)


# The due filter, the ledger and the rhythm


def test_due_filter_and_order(site: HandbookDir) -> None:
    site.contact("bo", "name: Bo\npromises: [{by: me, what: a, due: 2026-03-01}, {by: them, what: b, due: 2026-03-01}]\n")
    site.contact("ana", "name: Ana\npromises: [{by: me, what: c, due: 2026-03-01}, {by: me, what: d, due: 2026-03-08}]\n")
    found = compute_items(load(site), Settings(), DAY)
    assert [(i.contact, i.rule) for i in due_items(found)] == [
        ("ana", "my-promise"), ("bo", "my-promise"), ("bo", "their-promise")]
    assert len(due_items(found, 6)) == 3 and len(due_items(found, 7)) == 4


def test_ledger_early_ask_and_ready_to_ask(site: HandbookDir) -> None:
    site.contact("ana", """
        name: Ana
        interactions:
          - {on: 2026-01-03, gave: an intro}
          - {on: 2026-01-01, gave: a article}
          - {on: 2026-01-05, asked: a favour}
          - {on: 2026-01-05, gave: feedback}
          - {on: 2026-01-06, gave: a lead, asked: a quote}
          - {on: 2026-01-07, gave: x}
          - {on: 2026-01-08, gave: y}
          - {on: 2026-01-09, gave: z}
          - {on: 2026-03-09, asked: future, gave: future}
    """)
    book = load(site)
    result = ledger(book.contacts["ana"], Settings(), DAY)
    assert (result.gives, result.asks) == (7, 2)
    assert [ask.asked for ask in result.early_asks] == ["a favour"]
    assert (result.gives_since_last_ask, result.ready_to_ask) == (3, True)
    stricter = ledger(book.contacts["ana"], Settings(gives_before_ask=5), DAY)
    assert [ask.asked for ask in stricter.early_asks] == ["a favour", "a quote"]
    assert stricter.ready_to_ask is False


def test_ready_to_ask_with_no_ask_yet(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\ninteractions: [{on: 2026-01-01, gave: a}, {on: 2026-01-02, gave: b}]\n")
    book = load(site)
    assert ledger(book.contacts["ana"], Settings(), DAY).ready_to_ask is False
    assert ledger(book.contacts["ana"], Settings(gives_before_ask=2), DAY).ready_to_ask is True


def test_weekly_rhythm_streak_across_a_year_boundary(site: HandbookDir) -> None:
    # ISO weeks: 2025-12-22 (W52), 2025-12-29 (2026-W01, spans the new year), 2026-01-05 (W02).
    touches = ["2025-12-15", "2025-12-22", "2025-12-23", "2025-12-29", "2025-12-31", "2026-01-01",
               "2026-01-04", "2026-01-05", "2026-01-07", "2026-01-08", "2026-01-09"]
    site.contact("ana", "name: Ana\ninteractions:\n" + "".join(f"  - on: {day}\n" for day in touches))
    book = load(site)
    rhythm = weekly_rhythm(book, Settings(weekly_goal=2), date(2026, 1, 8))
    assert (rhythm.week_start, rhythm.touches, rhythm.streak) == (date(2026, 1, 5), 3, 2)
    assert weekly_rhythm(book, Settings(weekly_goal=2), date(2026, 1, 12)).streak == 3
    assert weekly_rhythm(book, Settings(weekly_goal=4), date(2026, 1, 12)).streak == 2
    assert weekly_rhythm(book, Settings(weekly_goal=5), date(2026, 1, 12)).streak == 0
