"""Reading the notes: `check`, `due`, `schema`, `generate`."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from .. import build
from ..core.diagnostics import has_errors
from ..core.records import Handbook
from ..core.report import render_json
from ..core.rule_table import RULES
from ..core.rules import Item, compute_items, due_items, when_due
from ..core.schema import SCHEMA_FILES, schema_text
from ..edit.safe_write import replace_file
from ..site.render import guidance_pages, render_pages
from ..site.structure import build_site
from .workspace import (
    SuggestingChoice,
    config_option,
    date_option,
    open_workspace,
    print_diagnostics,
    read_site,
    summary_line,
    today_option,
    user_errors,
    valid_workspace,
)


@click.command()
@config_option
@click.option("--format", "output_format", type=SuggestingChoice(["text", "json"]), default="text",
              show_default=True, help="json: the diagnostics as a JSON array, for tools.")
def check(config: Path | None, output_format: str) -> None:
    """Validate every file, and the site's settings; print each problem as path:line:col.

    Everything `mkdocs build` refuses is reported: bad options, unsafe encryption settings, a
    bad HANDBOOK_TODAY or HANDBOOK_CALENDAR_SECRET, pages whose URLs collide."""
    site, diagnostics = read_site(config)
    output = build.check(site, Path.cwd()) if not has_errors(diagnostics) else None
    diagnostics += output.diagnostics if output else []
    if output_format == "json":
        click.echo(render_json(diagnostics))
    else:
        print_diagnostics(diagnostics, err=False)
    handbook = output.handbook if output else Handbook()
    counts = f"{len(handbook.contacts)} contacts, {len(handbook.events)} events"
    files = output.file_count if output else 0
    click.echo(f"{files} files checked ({counts}): {summary_line(diagnostics)}", err=True)
    sys.exit(1 if has_errors(diagnostics) else 0)


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


@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write contact.schema.json and event.schema.json to.")
def schema(out_dir: Path) -> None:
    """Write the JSON Schemas of contact and event files, for editors."""
    with user_errors():
        out_dir.mkdir(parents=True, exist_ok=True)
        for folder, name in SCHEMA_FILES.items():
            replace_file(out_dir / name, schema_text(folder).encode("utf-8"))  # atomic: never half a schema
            click.echo(str(out_dir / name))


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


@click.command()
@config_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write the Markdown pages to.")
@click.option("--today", callback=date_option, metavar="YYYY-MM-DD", help="The day to compute for.")
def generate(config: Path | None, out_dir: Path, today: date | None) -> None:
    """Write the site's generated pages as Markdown files, for any other site generator."""
    workspace = open_workspace(config)
    if has_errors(workspace.diagnostics):
        print_diagnostics(workspace.diagnostics, err=True)
        raise click.ClickException("fix the errors first: the pages would silently miss people")
    site = build_site(workspace.handbook, workspace.settings, workspace.today(today))
    pages = {page.path: page.markdown for page in render_pages(site)} | guidance_pages()
    with user_errors():
        for path, markdown in pages.items():
            target = out_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            replace_file(target, markdown.encode("utf-8"))
    click.echo(f"wrote {len(pages)} pages to {out_dir}", err=True)
