"""The `handbook` command: a thin click layer over the engine, one module per kind of work."""

from __future__ import annotations

import sys

import click

from . import daily, exchange, hosting, network, notes, promises


@click.group()
@click.version_option(package_name="networking-handbook")
def main() -> None:
    """Keep your relationships as YAML notes in git: check them and see who to follow up."""
    for argument in sys.argv[1:]:
        if not argument.isprintable() and any(0xDC80 <= ord(c) <= 0xDCFF for c in argument):
            shown = argument.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            raise click.UsageError(f"the argument `{shown}` is not valid UTF-8: retype it")


for command in (notes.check, notes.due, promises.promises, notes.schema, notes.generate, daily.add, daily.log,
                daily.promise, daily.done, daily.init,
                hosting.lock, hosting.audit, exchange.import_command, exchange.export, network.network):
    main.add_command(command)
