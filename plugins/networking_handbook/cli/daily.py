"""The daily edits: `add`, `log`, `promise`, `done`, and `init` for a new handbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..edit import commands as daily
from .workspace import (
    INTERACTION_KINDS,
    SuggestingChoice,
    config_option,
    date_flag,
    find_links_option,
    links_inside,
    open_workspace,
    user_errors,
)


@click.command()
@config_option
@click.argument("name")
@date_flag("--on", "The day you met (default: today).")
@click.option("--at", metavar="EVENT", help="The event where you met (its slug).")
@click.option("--via", metavar="SLUG", help="The contact who introduced you.")
@click.option("--how", metavar="TEXT", help="How you met, in a few words.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag; repeat for more.")
@click.option("--email", "emails", multiple=True, metavar="EMAIL", help="An email address; repeat for more.")
@click.option("--company", metavar="TEXT")
@click.option("--role", metavar="TEXT")
@click.option("--knows", multiple=True, metavar="SLUG", help="A contact this person knows; repeat for more.")
def add(config: Path | None, name: str, on: date | None, at: str | None, via: str | None, how: str | None,
        tags: tuple[str, ...], emails: tuple[str, ...], company: str | None, role: str | None,
        knows: tuple[str, ...]) -> None:
    """Create a contact file for someone you just met; print its path."""
    workspace = open_workspace(config)
    folder = workspace.folder()
    same_name = daily.namesakes(folder, name)
    with user_errors():
        path = daily.add_contact(folder, name, on=workspace.today(on), at=at, via=via, how=how, tags=list(tags),
                                 emails=list(emails), company=company, role=role, knows=knows)
    click.echo(folder.display(path))
    if same_name:
        others = ", ".join(folder.display(other) for other in same_name)
        click.echo(f"warning: {others} already has the name {name}: {folder.display(path)} is another person of "
                   f"that name\n    hint: if it is the same person, delete {folder.display(path)} and use "
                   f"`handbook log {same_name[0].stem}`", err=True)


@click.command()
@config_option
@click.argument("slug")
@date_flag("--on", "The day of the interaction (default: today).")
@click.option("--kind", type=SuggestingChoice(INTERACTION_KINDS), help="What kind of touch it was.")
@click.option("--note", metavar="TEXT", help="What happened, in a line.")
@click.option("--gave", metavar="TEXT", help="What you gave them.")
@click.option("--asked", metavar="TEXT", help="What you asked of them.")
@click.option("--event", metavar="EVENT", help="The event it happened at (its slug).")
@click.option("--with", "with_", multiple=True, metavar="SLUG",
              help="Someone else involved (for --kind intro: who you introduced them to); repeat for more.")
@click.option("--knows", multiple=True, metavar="SLUG",
              help="A contact you learned they know, added to their `knows`; repeat for more.")
def log(config: Path | None, slug: str, on: date | None, kind: str | None, note: str | None, gave: str | None,
        asked: str | None, event: str | None, with_: tuple[str, ...], knows: tuple[str, ...]) -> None:
    """Add an interaction to a contact's file."""
    workspace = open_workspace(config, notes=False)
    folder = workspace.folder()
    with user_errors():
        path = daily.log_interaction(folder, slug, on=workspace.today(on), kind=kind, note=note, gave=gave,
                                     asked=asked, event=event, with_=list(with_), knows=knows)
    click.echo(f"logged in {folder.display(path)}")


@click.command()
@config_option
@click.argument("slug")
@click.option("--by", type=SuggestingChoice(["me", "them"]), required=True, help="Who made the promise.")
@click.option("--what", required=True, metavar="TEXT", help="What was promised.")
@date_flag("--due", "When it is due (default: the `promise_due` setting after today).")
def promise(config: Path | None, slug: str, by: str, what: str, due: date | None) -> None:
    """Add a promise, made today, to a contact's file."""
    workspace = open_workspace(config, notes=False)
    folder = workspace.folder()
    with user_errors():
        path = daily.add_promise(folder, slug, by=by, what=what, on=workspace.today(), due=due)
    click.echo(f"promise added to {folder.display(path)}")


@click.command()
@config_option
@click.argument("slug")
@click.argument("number")
@date_flag("--on", "The day it was kept (default: today).")
def done(config: Path | None, slug: str, number: str, on: date | None) -> None:
    """Mark promise NUMBER (1 = the first in the file; `handbook promises` shows it) of a contact as done."""
    workspace = open_workspace(config, notes=False)
    folder = workspace.folder()
    with user_errors():
        path = daily.mark_done(folder, slug, number, workspace.today(on))
    click.echo(f"promise {int(number)} marked done in {folder.display(path)}")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--encrypt", is_flag=True,
              help="Also encrypt the pages in the browser (password from HANDBOOK_PASSWORD at build time).")
@find_links_option("A folder inside DIRECTORY is also written into requirements.txt, for CI.")
def init(directory: Path, encrypt: bool, find_links: tuple[Path, ...]) -> None:
    """Start a new handbook in DIRECTORY (default: here): mkdocs.yml, example notes, git-ready.

    Its requirements.txt pins, with hashes, this tool and every package it runs with here,
    so it needs the package index (or --find-links)."""
    from ..edit.scaffold import init_handbook  # with the lock's packaging library, which the daily edits skip

    click.echo("Locking requirements.txt to the packages installed here (pip fetches them to hash them)...",
               err=True)
    with user_errors():
        written = init_handbook(directory, encrypt=encrypt, find_links=[str(link) for link in find_links],
                                written_links=links_inside(find_links, directory))
    for path in written:
        click.echo(f"created {path}")
    if encrypt:
        click.echo("\nThe password comes from HANDBOOK_PASSWORD when the site is built: export it "
                   "locally, and add it as a secret in your CI.", err=True)
    click.echo(f"\nNext: cd {directory} && git init && mkdocs serve", err=True)
