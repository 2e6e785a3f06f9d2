"""`check`: every file and the site's settings validated, everything a build would refuse."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import build
from ..core.diagnostics import has_errors
from ..core.records import Handbook
from ..core.report import render_json
from .workspace import SuggestingChoice, command_cache, config_option, print_diagnostics, read_site, summary_line


@click.command()
@config_option
@click.option("--format", "output_format", type=SuggestingChoice(["text", "json"]), default="text",
              show_default=True, help="json: the diagnostics as a JSON array, for tools.")
def check(config: Path | None, output_format: str) -> None:
    """Validate every file, and the site's settings; print each problem as path:line:col.

    Everything `mkdocs build` refuses is reported: bad options, unsafe encryption settings, a
    bad HANDBOOK_TODAY or HANDBOOK_CALENDAR_SECRET, pages whose URLs collide."""
    site, diagnostics = read_site(config)
    output = build.check(site, Path.cwd(), command_cache()) if not has_errors(diagnostics) else None
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
