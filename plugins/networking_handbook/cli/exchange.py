"""Address books: `import` from LinkedIn, Google Contacts and vCard; `export` to vCard, CSV,
JSON and iCalendar."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click

from ..core.diagnostics import did_you_mean, has_errors, shorten
from ..core.identity import tag_slug
from ..core.records import Handbook
from ..edit.safe_write import DISK, DryRunFiles, replace_file
from ..exchange.exports import export_csv, export_ics, export_json, export_vcard, person_page_url, select_contacts
from ..exchange.merge import import_people
from ..exchange.readers import READERS
from .workspace import (
    SuggestingChoice,
    config_option,
    date_option,
    open_workspace,
    print_diagnostics,
    user_errors,
)

TAGS_LISTED = 12  # the most tags a refused `--tag` lists
SOURCE_NAMES = {"linkedin": "LinkedIn", "google": "Google Contacts", "vcard": "vCard"}


@click.command(name="import")
@config_option
@click.argument("source", type=SuggestingChoice(sorted(READERS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change, and write nothing.")
def import_command(config: Path | None, source: str, file: Path, dry_run: bool) -> None:
    """Bring people in from a LinkedIn, Google Contacts or vCard export.

    A person who is already in the handbook (same email, same LinkedIn URL, or same name)
    only gains what their file lacks; nothing you wrote is changed."""
    workspace = open_workspace(config)
    folder = workspace.folder(DryRunFiles() if dry_run else DISK)
    people, problems = READERS[source](file.read_bytes(), os.path.relpath(file))
    print_diagnostics(problems, err=True)
    show_progress = len(people) >= 50 and sys.stderr.isatty()
    with click.progressbar(length=len(people), label="Importing", file=sys.stderr if show_progress else
                           open(os.devnull, "w")) as bar:
        outcome = import_people(folder, people, SOURCE_NAMES[source], advance=lambda: bar.update(1))
    would = "would be " if dry_run else ""
    for path, name in outcome.created:
        click.echo(f"{would}created {path} ({name})")
    for path, gained in outcome.updated:
        click.echo(f"{would}updated {path}: added {', '.join(gained)}")
    for name, why in outcome.skipped:
        click.echo(f"skipped {name}: {why}")
    for name, why in outcome.failed:
        click.echo(f"failed {name}: {why}", err=True)
    summary = (f"{len(outcome.created)} created, {len(outcome.updated)} updated, "
               f"{len(outcome.skipped)} skipped" + (f", {len(outcome.failed)} failed" if outcome.failed else ""))
    click.echo(summary + (" (dry run: nothing was written)" if dry_run else ""), err=True)
    sys.exit(1 if has_errors(problems) or outcome.failed else 0)


@click.command()
@config_option
@click.argument("output_format", metavar="FORMAT", type=SuggestingChoice(["vcard", "csv", "json", "ics"]))
@click.option("--tag", metavar="TAG",
              help="Only the people on this tag's page: `Job hunting` is `job-hunting` (not for ics).")
@click.option("--out", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Write to FILE instead of standard output (`-` is standard output).")
@click.option("--today", callback=date_option, metavar="YYYY-MM-DD", help="For ics: the day to compute items for.")
def export(config: Path | None, output_format: str, tag: str | None, out: Path | None, today: date | None) -> None:
    """Export the contacts as vCard 3.0, CSV or JSON, or the follow-ups as an iCalendar file."""
    workspace = open_workspace(config)
    if has_errors(workspace.diagnostics):
        print_diagnostics(workspace.diagnostics, err=True)
        raise click.ClickException("fix the errors first: an export would silently miss people")
    if tag is not None:
        _require_tag(workspace.handbook, tag, output_format)
    if output_format == "ics":
        data = export_ics(workspace.handbook, workspace.settings, workspace.today(today),
                          person_page_url(workspace.site.site_url))
    else:
        exporter = {"vcard": export_vcard, "csv": export_csv, "json": export_json}[output_format]
        data = exporter(workspace.handbook, tag).encode("utf-8")
    if out is None or str(out) == "-":
        click.echo(data, nl=False)
        return
    with user_errors():
        replace_file(out, data)
    click.echo(f"wrote {out}", err=True)


def _require_tag(handbook: Handbook, tag: str, output_format: str) -> None:
    """Refuse a `--tag` that would export nobody (an empty file looks like a success)."""
    if output_format == "ics":
        raise click.UsageError("--tag is not for ics: the calendar holds every item, birthday and event",
                               ctx=click.get_current_context())
    if select_contacts(handbook, tag):
        return
    tags = {tag_slug(name): name for contact in handbook.contacts.values() for name in contact.tags}
    names = sorted(tags.values())
    listed = ", ".join(names[:TAGS_LISTED]) + (f" and {len(names) - TAGS_LISTED} more" if len(names) > TAGS_LISTED else "")
    hint = did_you_mean(tag, names, prefixes=True) or (f"the tags are: {listed}" if tags else "no contact has a tag yet")
    raise click.ClickException(f"no contact has the tag `{shorten(tag)}`: {hint}")
