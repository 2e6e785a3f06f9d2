"""The `handbook` command: a thin click layer over the engine."""

from __future__ import annotations

import json
import os
import re
import sys
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import click

from .. import build
from ..core import environment
from ..core.diagnostics import Diagnostic, has_errors
from ..core.handbook import load_handbook
from ..core.records import Handbook, InteractionKind
from ..core.report import render_json, render_text
from ..core.rule_table import RULES
from ..core.rules import Item, compute_items, due_items, when_due
from ..core.schema import write_schemas
from ..core.settings import Settings, parse_today, settings_from_site
from ..core.site_config import SiteConfig, find_config, read_site_config
from ..edit import commands as daily
from ..edit.commands import HandbookFolder
from ..edit.safe_write import DISK, DiskFiles, DryRunFiles, EditError, replace_file, write_atomically
from ..edit.scaffold import init_handbook
from ..exchange.exports import export_csv, export_ics, export_json, export_vcard, person_page_url
from ..exchange.merge import import_people
from ..exchange.readers import READERS
from ..hosting.audit import audit_site
from ..hosting.encryption import ENCRYPT_PLUGIN
from ..hosting.lock import HOSTING_PYTHON, LockError, lock_site, requirements_text
from ..site.render import guidance_pages, render_pages
from ..site.structure import build_site


@dataclass
class Workspace:
    """What every command starts from: the settings, the handbook and every problem found."""

    settings: Settings
    site: SiteConfig
    config_diagnostics: list[Diagnostic]  # problems with mkdocs.yml and the plugin's options
    handbook: Handbook = field(default_factory=Handbook)
    data_diagnostics: list[Diagnostic] = field(default_factory=list)  # problems in the notes
    file_count: int = 0
    data_dir: Path = Path("handbook")

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.config_diagnostics + self.data_diagnostics

    def folder(self, files: DiskFiles = DISK) -> HandbookFolder:
        """The handbook folder for commands that edit it; refuses when the settings are broken."""
        if has_errors(self.config_diagnostics):
            raise click.ClickException("\n".join(d.format() for d in self.config_diagnostics))
        return HandbookFolder(self.data_dir, self.handbook, Path.cwd(), files)

    def today(self, override: date | None = None) -> date:
        try:
            return self.settings.resolve_today(override)
        except ValueError as error:
            raise click.ClickException(str(error)) from None


def read_site(config: Path | None) -> tuple[SiteConfig, list[Diagnostic]]:
    """The site's mkdocs.yml (found here, or given with --config), read, with its problems."""
    cwd = Path.cwd()
    config_path = find_config(config, cwd)
    if config_path is None:
        raise click.ClickException(
            f"no mkdocs.yml in {cwd}: run `handbook` in the folder of your site, or pass --config FILE")
    display = os.path.relpath(config_path, cwd)
    site, diagnostics = read_site_config(config_path, display)
    if site.options is None and not diagnostics:
        click.echo(f"note: {display} does not enable the `handbook` plugin; using default settings", err=True)
    return site, diagnostics


def open_workspace(config: Path | None) -> Workspace:
    site, diagnostics = read_site(config)
    settings, problems = settings_from_site(site)
    diagnostics += problems
    data_dir = site.path.parent / settings.data_dir
    if has_errors(diagnostics):
        return Workspace(settings, site, diagnostics, data_dir=data_dir)
    result = load_handbook(data_dir, Path.cwd())
    return Workspace(settings, site, diagnostics, result.handbook, result.diagnostics, result.file_count, data_dir)


def _print_diagnostics(diagnostics: list[Diagnostic], *, err: bool) -> None:
    if diagnostics:
        stream = sys.stderr if err else sys.stdout
        color = stream.isatty() and environment.colours_allowed()
        click.echo(render_text(diagnostics, Path.cwd(), color=color), err=err)


def _summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    day = parse_today(value)
    if day is None:
        raise click.BadParameter(f"`{value}` is not a real date as YYYY-MM-DD")
    return day


INTERACTION_KINDS = list(typing.get_args(InteractionKind))
config_option = click.option(
    "--config", "-f", "config", type=click.Path(dir_okay=False, path_type=Path),
    help="The mkdocs.yml to read the handbook plugin's options from (default: ./mkdocs.yml).")


@click.group()
@click.version_option(package_name="networking-handbook")
def main() -> None:
    """Keep your relationships as YAML notes in git: check them and see who to follow up."""
    for argument in sys.argv[1:]:
        if not argument.isprintable() and any(0xDC80 <= ord(c) <= 0xDCFF for c in argument):
            shown = argument.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            raise click.UsageError(f"the argument `{shown}` is not valid UTF-8: retype it")


@main.command()
@config_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
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
        _print_diagnostics(diagnostics, err=False)
    handbook = output.handbook if output else Handbook()
    counts = f"{len(handbook.contacts)} contacts, {len(handbook.events)} events"
    files = output.file_count if output else 0
    click.echo(f"{files} files checked ({counts}): {_summary(diagnostics)}", err=True)
    sys.exit(1 if has_errors(diagnostics) else 0)


@main.command()
@config_option
@click.option("--today", callback=_date_option, metavar="YYYY-MM-DD",
              help="The day to compute for (default: the `today` option, HANDBOOK_TODAY, or the clock).")
@click.option("--upcoming", type=click.IntRange(min=0), default=0, show_default=True, metavar="DAYS",
              help="Also list the items due in the next DAYS days.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def due(config: Path | None, today: date | None, upcoming: int, as_json: bool) -> None:
    """List the follow-ups due today or overdue, most overdue first."""
    workspace = open_workspace(config)
    _print_diagnostics(workspace.diagnostics, err=True)
    if has_errors(workspace.diagnostics):
        click.echo(f"handbook: {_summary(workspace.diagnostics)}; fix them first (see `handbook check`)", err=True)
        sys.exit(1)
    day = workspace.today(today)
    items = due_items(compute_items(workspace.handbook, workspace.settings, day), upcoming)
    if as_json:
        click.echo(json.dumps({"today": day.isoformat(), "items": [item.as_json() for item in items]},
                              ensure_ascii=False, indent=2))
    else:
        click.echo(_due_text(items, day))


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write contact.schema.json and event.schema.json to.")
def schema(out_dir: Path) -> None:
    """Write the JSON Schemas of contact and event files, for editors."""
    for path in write_schemas(out_dir):
        click.echo(str(path))


_RULE_WIDTH = max(len(rule.id) for rule in RULES)  # the rule column of `handbook due`


def _due_text(items: list[Item], today: date) -> str:
    if not items:
        return f"Nothing due on {today.isoformat()}."
    lines = [f"Due on {today.isoformat()}: {len(items)} item{'s' * (len(items) != 1)}"]
    slug_width = max(len(item.contact) for item in items)
    for item in items:
        lines.append(f"  {item.due.isoformat()}  {when_due(item.days_overdue):<16}  {item.rule:<{_RULE_WIDTH}}  "
                     f"{item.contact:<{slug_width}}  {item.summary}")
    return "\n".join(lines)


@contextmanager
def _editing() -> Iterator[None]:
    """Edits (and locks) that cannot be made are user errors: a message and exit status 1."""
    try:
        yield
    except (EditError, LockError) as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:  # a folder that cannot be made, a disk that is full
        raise click.ClickException(f"cannot write {error.filename or 'a file'}: {error.strerror or error}") from None


def _date(name: str, help_text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option(name, callback=_date_option, metavar="YYYY-MM-DD", help=help_text)


@main.command()
@config_option
@click.argument("name")
@_date("--on", "The day you met (default: today).")
@click.option("--at", metavar="EVENT", help="The event where you met (its slug).")
@click.option("--via", metavar="SLUG", help="The contact who introduced you.")
@click.option("--how", metavar="TEXT", help="How you met, in a few words.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag; repeat for more.")
@click.option("--email", "emails", multiple=True, metavar="EMAIL", help="An email address; repeat for more.")
@click.option("--company", metavar="TEXT")
@click.option("--role", metavar="TEXT")
def add(config: Path | None, name: str, on: date | None, at: str | None, via: str | None, how: str | None,
        tags: tuple[str, ...], emails: tuple[str, ...], company: str | None, role: str | None) -> None:
    """Create a contact file for someone you just met; print its path."""
    workspace = open_workspace(config)
    folder = workspace.folder()
    with _editing():
        path = daily.add_contact(folder, name, on=workspace.today(on), at=at, via=via, how=how, tags=list(tags),
                                 emails=list(emails), company=company, role=role)
    click.echo(folder.display(path))


@main.command()
@config_option
@click.argument("slug")
@_date("--on", "The day of the interaction (default: today).")
@click.option("--kind", type=click.Choice(INTERACTION_KINDS), help="What kind of touch it was.")
@click.option("--note", metavar="TEXT", help="What happened, in a line.")
@click.option("--gave", metavar="TEXT", help="What you gave them.")
@click.option("--asked", metavar="TEXT", help="What you asked of them.")
@click.option("--event", metavar="EVENT", help="The event it happened at (its slug).")
@click.option("--with", "with_", multiple=True, metavar="SLUG",
              help="Someone else involved (for --kind intro: who you introduced them to); repeat for more.")
def log(config: Path | None, slug: str, on: date | None, kind: str | None, note: str | None, gave: str | None,
        asked: str | None, event: str | None, with_: tuple[str, ...]) -> None:
    """Add an interaction to a contact's file."""
    workspace = open_workspace(config)
    folder = workspace.folder()
    with _editing():
        path = daily.log_interaction(folder, slug, on=workspace.today(on), kind=kind, note=note, gave=gave,
                                     asked=asked, event=event, with_=list(with_))
    click.echo(f"logged in {folder.display(path)}")


@main.command()
@config_option
@click.argument("slug")
@click.option("--by", type=click.Choice(["me", "them"]), required=True, help="Who made the promise.")
@click.option("--what", required=True, metavar="TEXT", help="What was promised.")
@_date("--due", "When it is due (default: the `promise_due` setting after today).")
def promise(config: Path | None, slug: str, by: str, what: str, due: date | None) -> None:
    """Add a promise, made today, to a contact's file."""
    workspace = open_workspace(config)
    folder = workspace.folder()
    with _editing():
        path = daily.add_promise(folder, slug, by=by, what=what, on=workspace.today(), due=due)
    click.echo(f"promise added to {folder.display(path)}")


@main.command()
@config_option
@click.argument("slug")
@click.argument("number", type=click.IntRange(min=1))
@_date("--on", "The day it was kept (default: today).")
def done(config: Path | None, slug: str, number: int, on: date | None) -> None:
    """Mark promise NUMBER (1 = the first in the file) of a contact as done."""
    workspace = open_workspace(config)
    folder = workspace.folder()
    with _editing():
        path = daily.mark_done(folder, slug, number, workspace.today(on))
    click.echo(f"promise {number} marked done in {folder.display(path)}")


def _find_links_option(extra_help: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option(
        "--find-links", "find_links", multiple=True, metavar="DIR",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="A folder of wheels for packages the index lacks (such as this tool's own before its release); "
             "repeat for more. " + extra_help)


def _links_inside(find_links: tuple[Path, ...], folder: Path) -> list[str]:
    """The `find_links` inside `folder`, relative to it: a repository's own wheels, for CI."""
    folder = folder.resolve()
    return [link.resolve().relative_to(folder).as_posix() for link in find_links
            if link.resolve().is_relative_to(folder)]


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--encrypt", is_flag=True,
              help="Also encrypt the pages in the browser (password from HANDBOOK_PASSWORD at build time).")
@_find_links_option("A folder inside DIRECTORY is also written into requirements.txt, for CI.")
def init(directory: Path, encrypt: bool, find_links: tuple[Path, ...]) -> None:
    """Start a new handbook in DIRECTORY (default: here): mkdocs.yml, example notes, git-ready.

    Its requirements.txt pins, with hashes, this tool and every package it runs with here,
    so it needs the package index (or --find-links)."""
    click.echo("Locking requirements.txt to the packages installed here (pip fetches them to hash them)...",
               err=True)
    with _editing():
        written = init_handbook(directory, encrypt=encrypt, find_links=[str(link) for link in find_links],
                                written_links=_links_inside(find_links, directory))
    for path in written:
        click.echo(f"created {path}")
    if encrypt:
        click.echo("\nThe password comes from HANDBOOK_PASSWORD when the site is built: export it "
                   "locally, and add it as a secret in your CI.", err=True)
    click.echo(f"\nNext: cd {directory} && git init && mkdocs serve", err=True)


@main.command()
@config_option
@_find_links_option("A folder inside the site's folder is also written into the file, for CI.")
@click.option("--with", "extra", multiple=True, metavar="PACKAGE",
              help="Another installed package to lock, one that provides no plugin mkdocs.yml names.")
@click.option("--python", "python_version", default=HOSTING_PYTHON, show_default=True, metavar="X.Y",
              help="Your CI's Python (`python-version:` in the workflow, the GitLab image).")
def lock(config: Path | None, find_links: tuple[Path, ...], extra: tuple[str, ...], python_version: str) -> None:
    """Rewrite requirements.txt (beside mkdocs.yml): exactly what is installed here, with hashes.

    The tool, the packages of every plugin mkdocs.yml names, and all they require, each at the
    version installed beside this tool, with the sha256 of the wheel pip picks for CPython
    X.Y on Linux (and for this machine), so CI installs what you ran and nothing else."""
    if not re.fullmatch(r"3\.\d{1,2}", python_version):
        raise click.BadParameter(f"`{python_version}` is not a Python version such as {HOSTING_PYTHON}",
                                 param_hint="--python")
    cwd = Path.cwd()
    config_path = find_config(config, cwd)
    if config_path is None:
        raise click.ClickException(f"no mkdocs.yml in {cwd}: run `handbook lock` in the folder of your site, "
                                   "or pass --config FILE")
    site, diagnostics = read_site_config(config_path, os.path.relpath(config_path, cwd))
    if has_errors(diagnostics):
        raise click.ClickException("\n".join(d.format() for d in diagnostics))
    target = config_path.parent / "requirements.txt"
    before = target.read_bytes() if target.exists() else None
    click.echo(f"Locking {len(site.plugins)} plugins and their requirements (pip fetches the wheels to hash them)...",
               err=True)
    with _editing():
        pins = lock_site(site.plugins, extra=extra, python_version=python_version,
                         find_links=[str(link) for link in find_links])
    text = requirements_text(pins, python_version=python_version,
                             find_links=_links_inside(find_links, config_path.parent))
    display = os.path.relpath(target, cwd)
    with _editing():
        write_atomically(target, text.encode("utf-8"), expected=before, display=display, replace_new=True)
    click.echo(f"wrote {display}: {len(pins)} packages pinned with hashes; commit it", err=True)


SOURCE_NAMES = {"linkedin": "LinkedIn", "google": "Google Contacts", "vcard": "vCard"}


@main.command(name="import")
@config_option
@click.argument("source", type=click.Choice(sorted(READERS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change, and write nothing.")
def import_command(config: Path | None, source: str, file: Path, dry_run: bool) -> None:
    """Bring people in from a LinkedIn, Google Contacts or vCard export.

    A person who is already in the handbook (same email, same LinkedIn URL, or same name)
    only gains what their file lacks; nothing you wrote is changed."""
    workspace = open_workspace(config)
    folder = workspace.folder(DryRunFiles() if dry_run else DISK)
    people, problems = READERS[source](file.read_bytes(), os.path.relpath(file))
    _print_diagnostics(problems, err=True)
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
    summary = (f"{len(outcome.created)} created, {len(outcome.updated)} updated, "
               f"{len(outcome.skipped)} skipped")
    click.echo(summary + (" (dry run: nothing was written)" if dry_run else ""), err=True)
    sys.exit(1 if has_errors(problems) else 0)


@main.command()
@config_option
@click.argument("output_format", metavar="FORMAT", type=click.Choice(["vcard", "csv", "json", "ics"]))
@click.option("--tag", metavar="TAG",
              help="Only the people on this tag's page: `Job hunting` is `job-hunting` (not for ics).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of the screen.")
@click.option("--today", callback=_date_option, metavar="YYYY-MM-DD", help="For ics: the day to compute items for.")
def export(config: Path | None, output_format: str, tag: str | None, out: Path | None, today: date | None) -> None:
    """Export the contacts as vCard 3.0, CSV or JSON, or the follow-ups as an iCalendar file."""
    workspace = open_workspace(config)
    if has_errors(workspace.diagnostics):
        _print_diagnostics(workspace.diagnostics, err=True)
        raise click.ClickException("fix the errors first: an export would silently miss people")
    if output_format == "ics":
        data = export_ics(workspace.handbook, workspace.settings, workspace.today(today),
                          person_page_url(workspace.site.site_url))
    else:
        exporter = {"vcard": export_vcard, "csv": export_csv, "json": export_json}[output_format]
        data = exporter(workspace.handbook, tag).encode("utf-8")
    if out is None:
        click.echo(data, nl=False)
        return
    with _editing():
        replace_file(out, data)
    click.echo(f"wrote {out}", err=True)


@main.command()
@config_option
@click.argument("site_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--encrypted/--not-encrypted", default=None,
              help="Also treat every email and phone as secret (default: when mkdocs.yml uses encryptcontent).")
def audit(config: Path | None, site_dir: Path, encrypted: bool | None) -> None:
    """Scan a built site for leaks: private notes, sitemaps, sources, external fetches, live HTML."""
    workspace = open_workspace(config)
    if has_errors(workspace.diagnostics):
        _print_diagnostics(workspace.diagnostics, err=True)
        raise click.ClickException("fix the errors first: the audit needs every contact's private text")
    if encrypted is None:
        encrypted = ENCRYPT_PLUGIN in workspace.site.plugins
    findings = audit_site(site_dir, workspace.handbook, encrypted=encrypted)
    for finding in findings:
        click.echo(f"{site_dir / finding.path}: {finding.kind}: {finding.detail}")
    files = sum(1 for path in site_dir.rglob("*") if path.is_file())
    mode = "encrypted site" if encrypted else "site"
    click.echo(f"{files} files of the {mode} audited: {len(findings)} finding{'s' * (len(findings) != 1)}", err=True)
    sys.exit(1 if findings else 0)


@main.command()
@config_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write the Markdown pages to.")
@click.option("--today", callback=_date_option, metavar="YYYY-MM-DD", help="The day to compute for.")
def generate(config: Path | None, out_dir: Path, today: date | None) -> None:
    """Write the site's generated pages as Markdown files, for any other site generator."""
    workspace = open_workspace(config)
    if has_errors(workspace.diagnostics):
        _print_diagnostics(workspace.diagnostics, err=True)
        raise click.ClickException("fix the errors first: the pages would silently miss people")
    site = build_site(workspace.handbook, workspace.settings, workspace.today(today))
    pages = {page.path: page.markdown for page in render_pages(site)} | guidance_pages()
    with _editing():
        for path, markdown in pages.items():
            target = out_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            replace_file(target, markdown.encode("utf-8"))
    click.echo(f"wrote {len(pages)} pages to {out_dir}", err=True)
