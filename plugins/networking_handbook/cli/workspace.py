"""What every command shares: the workspace (settings, handbook, problems), common options,
and turning user errors into a message and exit status 1."""

from __future__ import annotations

import gc
import os
import sys
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core import environment
from ..core.diagnostics import Diagnostic, did_you_mean, has_errors
from ..core.handbook import FileCache, load_handbook
from ..core.records import Handbook, InteractionKind
from ..core.report import render_text
from ..core.settings import Settings, parse_today, settings_from_site
from ..core.site_config import CONFIG_NAMES, SiteConfig, read_site_config
from ..edit.errors import EditError
from ..hosting.errors import LockError

if TYPE_CHECKING:  # the edits' modules load with the commands that edit: `check` and `due` skip them
    from ..edit.commands import HandbookFolder
    from ..edit.safe_write import DiskFiles


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

    def folder(self, files: DiskFiles | None = None) -> HandbookFolder:
        """The handbook folder for commands that edit it; refuses when the settings are broken."""
        if has_errors(self.config_diagnostics):
            raise click.ClickException("\n".join(d.format() for d in self.config_diagnostics))
        from ..edit.commands import HandbookFolder
        from ..edit.safe_write import DISK
        return HandbookFolder(self.data_dir, self.handbook, Path.cwd(), DISK if files is None else files)

    def today(self, override: date | None = None) -> date:
        try:
            return self.settings.resolve_today(override)
        except ValueError as error:
            raise click.ClickException(str(error)) from None


def locate_config(explicit: Path | None, cwd: Path) -> Path:
    """The site's mkdocs.yml: `--config` (the file, or a folder holding it), else the first one in
    `cwd` or a folder above it, found as git finds `.git`: the search stops at the top of a git
    repository (a folder holding `.git`) or at the filesystem root."""
    if explicit is not None and not explicit.is_dir():
        return explicit
    if explicit is not None:
        found = _config_in(explicit)
        if found is None:
            raise click.ClickException(f"no {CONFIG_NAMES[0]} in the folder {explicit}: pass the folder that holds "
                                       "your site's mkdocs.yml, or the file itself")
        return found
    for folder in (cwd, *cwd.parents):
        found = _config_in(folder)
        if found is not None:
            return found
        if (folder / ".git").exists():
            stop = "the top of its git repository"
            break
    else:
        stop = "the filesystem root"
    where = f"{cwd} ({stop})" if folder == cwd else f"{cwd} or any folder above it up to {folder} ({stop})"
    raise click.ClickException(f"no mkdocs.yml in {where}: run `handbook` in the folder of your site or one "
                               "below it, or pass --config FILE or --config DIR")


def _config_in(folder: Path) -> Path | None:
    return next((folder / name for name in CONFIG_NAMES if (folder / name).is_file()), None)


def read_site(config: Path | None) -> tuple[SiteConfig, list[Diagnostic]]:
    """The site's mkdocs.yml (found here or above, or given with --config), read, with its problems."""
    cwd = Path.cwd()
    config_path = locate_config(config, cwd)
    display = os.path.relpath(config_path, cwd)
    site, diagnostics = read_site_config(config_path, display)
    if site.options is None and not diagnostics:
        click.echo(f"note: {display} does not enable the `handbook` plugin; using default settings", err=True)
    return site, diagnostics


def open_workspace(config: Path | None, *, notes: bool = True) -> Workspace:
    """The site's settings and, with `notes`, the whole handbook loaded and checked (the edits
    that touch one file leave it unread: they cost the same in a handbook of any size), through
    the cache between runs."""
    site, diagnostics = read_site(config)
    settings, problems = settings_from_site(site)
    diagnostics += problems
    data_dir = site.path.parent / settings.data_dir
    if has_errors(diagnostics) or not notes:
        return Workspace(settings, site, diagnostics, data_dir=data_dir)
    result = load_handbook(data_dir, Path.cwd(), command_cache())
    return Workspace(settings, site, diagnostics, result.handbook, result.diagnostics, result.file_count, data_dir)


def command_cache() -> FileCache:
    """The cache of a command that reads every file: kept between runs (`core.parse_cache`).
    Until the command ends the cyclic garbage collector stays off, as `load_handbook` has it
    while parsing: a collection after would scan the millions of objects the handbook is made
    of (0.1 s at 5,000 contacts) to find nearly nothing that reference counting leaves."""
    if gc.isenabled():
        gc.disable()
        click.get_current_context().call_on_close(_collector_back)
    return FileCache(between_runs=True)


def _collector_back() -> None:
    """The collector on again (for a caller that goes on, such as a test), with what the command
    left counted as old (frozen and thawed): switched on with millions of new objects, it would
    scan them all at once (a tenth of a second at 5,000 contacts) just before the process exits."""
    gc.freeze()
    gc.unfreeze()
    gc.enable()


def valid_workspace(config: Path | None) -> Workspace:
    """The workspace of a command that reads the notes: every problem printed to standard error,
    and exit status 1 when one is an error."""
    workspace = open_workspace(config)
    print_diagnostics(workspace.diagnostics, err=True)
    if has_errors(workspace.diagnostics):
        click.echo(f"handbook: {summary_line(workspace.diagnostics)}; fix them first (see `handbook check`)", err=True)
        sys.exit(1)
    return workspace


def print_diagnostics(diagnostics: list[Diagnostic], *, err: bool) -> None:
    if diagnostics:
        stream = sys.stderr if err else sys.stdout
        color = stream.isatty() and environment.colours_allowed()
        click.echo(render_text(diagnostics, Path.cwd(), color=color), err=err)


def summary_line(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = sum(d.severity == "warning" for d in diagnostics)
    notes = len(diagnostics) - errors - warnings
    text = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    return text + f", {notes} note{'s' * (notes != 1)}" if notes else text


def date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    day = parse_today(value)
    if day is None:
        raise click.BadParameter(f"`{value}` is not a real date as YYYY-MM-DD")
    return day


INTERACTION_KINDS = list(typing.get_args(InteractionKind))
config_option = click.option(
    "--config", "-f", "config", type=click.Path(path_type=Path), metavar="FILE|DIR",
    help="The mkdocs.yml to read the handbook plugin's options from, or its folder "
         "(default: the mkdocs.yml here or in the nearest folder above, within the git repository).")

today_option = click.option(
    "--today", callback=date_option, metavar="YYYY-MM-DD",
    help="The day to compute for (default: the `today` option, HANDBOOK_TODAY, or the clock).")


class SuggestingChoice(click.Choice):
    """A choice whose refusal suggests what was meant: the closest choice, or those that begin
    with the value (`--kind cofee`, `--kind c`)."""

    def convert(self, value: typing.Any, param: click.Parameter | None, ctx: click.Context | None) -> typing.Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as error:
            hint = did_you_mean(str(value), [str(choice) for choice in self.choices], prefixes=True)
            if hint is None:
                raise
            self.fail(f"{error.message}\nhint: {hint}", param, ctx)


@contextmanager
def user_errors() -> Iterator[None]:
    """Edits (and locks) that cannot be made are user errors: a message and exit status 1."""
    try:
        yield
    except (EditError, LockError) as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:  # a folder that cannot be made, a disk that is full
        raise click.ClickException(f"cannot write {error.filename or 'a file'}: {error.strerror or error}") from None


def date_flag(name: str, help_text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option(name, callback=date_option, metavar="YYYY-MM-DD", help=help_text)


def find_links_option(extra_help: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option(
        "--find-links", "find_links", multiple=True, metavar="DIR",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="A folder of wheels for packages the index lacks (such as this tool's own before its release); "
             "repeat for more. " + extra_help)


def links_inside(find_links: tuple[Path, ...], folder: Path) -> list[str]:
    """The `find_links` inside `folder`, relative to it: a repository's own wheels, for CI."""
    folder = folder.resolve()
    return [link.resolve().relative_to(folder).as_posix() for link in find_links
            if link.resolve().is_relative_to(folder)]
