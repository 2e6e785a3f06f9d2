"""The files made from the handbook for other tools: `generate` (the site's pages as plain
files, for another site generator) and `schema` (JSON Schemas, for editors)."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import click

from .. import build
from ..core.diagnostics import has_errors
from ..core.schema import SCHEMA_FILES, schema_text
from ..edit.output_folder import MANIFEST, owned_files, sync_folder
from ..edit.safe_write import replace_file
from ..site.urls import docs_files
from .watch import watch_folder
from .workspace import config_option, date_option, print_diagnostics, read_site, summary_line, user_errors


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


@click.command()
@config_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to keep the pages in (the docs folder of another site generator).")
@click.option("--today", callback=date_option, metavar="YYYY-MM-DD", help="The day to compute for.")
@click.option("--watch", is_flag=True, help="Keep running: generate again on each change to the handbook folder.")
def generate(config: Path | None, out_dir: Path, today: date | None, watch: bool) -> None:
    """Keep a folder of the site's pages, assets and feed as plain files, for any other site
    generator: writes only what changed, removes the pages it wrote that are gone."""
    ok, watched = _generate_once(config, out_dir, today)
    if not watch:
        sys.exit(0 if ok else 1)
    watch_folder(watched, lambda: _generate_again(config, out_dir, today))


def _generate_again(config: Path | None, out_dir: Path, today: date | None) -> None:
    """A run under `--watch`: a refusal (a file of the user's in the way) is shown, and watching goes on."""
    try:
        _generate_once(config, out_dir, today)
    except click.ClickException as error:
        error.show()


def _generate_once(config: Path | None, out_dir: Path, today: date | None) -> tuple[bool, list[Path]]:
    """One run of `generate`: every problem `handbook check` reports stops it before any write.
    Returns whether it succeeded, and what `--watch` watches (the handbook folder, mkdocs.yml)."""
    site, diagnostics = read_site(config)
    setup = build.configure(site, building=False) if not has_errors(diagnostics) else None
    watched = [site.path, setup.data_dir if setup else site.path.parent / "handbook"]
    output = None
    if setup and not has_errors(setup.diagnostics):
        if today is not None:
            setup = replace(setup, today=today, settings=setup.settings.model_copy(update={"today": today}))
        output = _publish_into(setup, out_dir)
    diagnostics += (output.diagnostics if output else setup.diagnostics if setup else [])
    print_diagnostics(diagnostics, err=True)
    if output is None or has_errors(diagnostics):
        click.echo(f"handbook: {summary_line(diagnostics)}; nothing was written to {out_dir}", err=True)
        return False, watched
    if setup is not None and setup.site.encryption is not None:
        click.echo(f"handbook: warning: this site is encrypted, but the pages in {out_dir} are plain Markdown: a "
                   "build of them without the encryptcontent plugin (Zensical runs no plugin) publishes every "
                   "page unencrypted", err=True)
    files = {page.path: page.markdown for page in output.pages} | output.files
    with user_errors():
        changes = sync_folder(out_dir, {path: _bytes(content) for path, content in files.items()})
    for path in changes.removed:
        click.echo(f"removed {out_dir / path} (no longer generated)", err=True)
    for path in changes.kept:
        click.echo(f"kept {out_dir / path}: no longer generated, but changed since it was written", err=True)
    click.echo(f"{len(files)} files in {out_dir}: {len(changes.written)} written, {len(changes.removed)} removed, "
               f"{changes.unchanged} unchanged", err=True)
    return True, watched


def _publish_into(setup: build.Setup, out_dir: Path) -> build.Output:
    """The build's output for `out_dir`, whose files the manifest does not name are the user's:
    they take their URLs as `docs_dir` files do. One that already holds exactly what would be
    written there is not (an interrupted run, a lost manifest, an earlier version's folder)."""
    if not out_dir.is_dir():
        return build.publish(setup, [], Path.cwd())
    with user_errors():
        owned = owned_files(out_dir)
    theirs = [file for file in docs_files(out_dir, Path.cwd(), setup.site.use_directory_urls)
              if file.src not in owned and file.src != MANIFEST]
    output = build.publish(setup, theirs, Path.cwd())
    if not theirs or not has_errors(output.refusals):
        return output
    ours = build.publish(setup, [], Path.cwd())
    produced = {page.path: page.markdown for page in ours.pages} | ours.files
    same = {file.src for file in theirs if file.src in produced
            and (out_dir / file.src).read_bytes() == _bytes(produced[file.src])}
    return build.publish(setup, [file for file in theirs if file.src not in same], Path.cwd()) if same else output


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content
