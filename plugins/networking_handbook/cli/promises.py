"""`promises`: every promise with the number `handbook done` takes, open ones by default."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from ..core.records import Promise
from ..core.rules import PROMISED_BY, open_promises, promise_due, when_due
from ..core.settings import Settings
from .workspace import config_option, today_option, user_errors, valid_workspace

Numbered = tuple[str, int, Promise]  # contact slug, number in its file, the promise


@click.command()
@config_option
@click.argument("slug", required=False)
@click.option("--all", "kept_too", is_flag=True, help="Also the promises already kept.")
@today_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def promises(config: Path | None, slug: str | None, kept_too: bool, today: date | None, as_json: bool) -> None:
    """List the open promises (of SLUG, or everyone's), numbered as `handbook done` counts them:
    1 = the first in the contact's file."""
    workspace = valid_workspace(config)
    day = workspace.today(today)
    if slug is not None and slug not in workspace.handbook.contacts:
        with user_errors():
            raise workspace.folder().unknown("contacts", slug)
    contacts = workspace.handbook.contacts
    listed = [(name, number, promise) for name in sorted(contacts) if slug in (None, name)
              for number, promise in open_promises(contacts[name], day, kept_too=kept_too)]
    if as_json:
        click.echo(json.dumps({"today": day.isoformat(), "promises": [
            _as_json(entry, workspace.settings) for entry in listed]}, ensure_ascii=False, indent=2))
    else:
        click.echo(_text(listed, day, workspace.settings, kept_too))


def _as_json(entry: Numbered, settings: Settings) -> dict[str, object]:
    contact, number, promise = entry
    return {"contact": contact, "number": number, "by": promise.by, "what": promise.what,
            "on": promise.on and promise.on.isoformat(), "due": promise_due(promise, settings).isoformat(),
            "done": promise.done and promise.done.isoformat()}


def _text(listed: list[Numbered], today: date, settings: Settings, kept_too: bool) -> str:
    which = "promises" if kept_too else "open promises"
    if not listed:
        return f"No {which} on {today.isoformat()}."
    lines = [f"{which.capitalize()} on {today.isoformat()}: {len(listed)}"]
    width = max(len(contact) for contact, _, _ in listed)
    for contact, number, promise in listed:
        due = promise_due(promise, settings)
        state = f"kept {promise.done.isoformat()}" if promise.done and promise.done <= today else when_due(
            (today - due).days)
        lines.append(f"  {contact:<{width}}  {number:>2}  due {due.isoformat()}  {state:<16}  "
                     f"{PROMISED_BY[promise.by]}: {' '.join(promise.what.split())}")  # one line, as summaries
    return "\n".join(lines)
