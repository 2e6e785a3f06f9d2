"""`due`: the follow-ups due today, from the whole handbook (through the cache between runs)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from ..core.rule_table import RULES
from ..core.rules import Item, compute_items, due_items, when_due
from .workspace import config_option, today_option, valid_workspace


@click.command()
@config_option
@today_option
@click.option("--upcoming", type=click.IntRange(min=0), default=0, show_default=True, metavar="DAYS",
              help="Also list the items due in the next DAYS days.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def due(config: Path | None, today: date | None, upcoming: int, as_json: bool) -> None:
    """List the follow-ups due today or overdue, most overdue first.

    A promise's summary ends with its number, `[promise 2]`: `handbook done SLUG 2` keeps it."""
    workspace = valid_workspace(config)
    day = workspace.today(today)
    items = due_items(compute_items(workspace.handbook, workspace.settings, day), upcoming)
    if as_json:
        click.echo(json.dumps({"today": day.isoformat(),
                               "items": [item.as_json() | {"summary": numbered(item)} for item in items]},
                              ensure_ascii=False, indent=2))
    else:
        click.echo(_due_text(items, day))


_RULE_WIDTH = max(len(rule.id) for rule in RULES)  # the rule column of `handbook due`


def numbered(item: Item) -> str:
    """The item's summary, and for a promise the number `handbook done` takes."""
    return item.summary + (f" [promise {item.promise}]" if item.promise is not None else "")


def _due_text(items: list[Item], today: date) -> str:
    if not items:
        return f"Nothing due on {today.isoformat()}."
    lines = [f"Due on {today.isoformat()}: {len(items)} item{'s' * (len(items) != 1)}"]
    slug_width = max(len(item.contact) for item in items)
    for item in items:
        lines.append(f"  {item.due.isoformat()}  {when_due(item.days_overdue):<16}  {item.rule:<{_RULE_WIDTH}}  "
                     f"{item.contact:<{slug_width}}  {numbered(item)}")
    return "\n".join(lines)
