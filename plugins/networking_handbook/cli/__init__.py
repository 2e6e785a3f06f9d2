"""The `handbook` command: a thin click layer over the engine, one module per kind of work.

Each command's module is imported only when that command runs (or help lists them all), so
`handbook log` does not pay for the site renderer, the exporters or the lock's packaging."""

from __future__ import annotations

import importlib
import sys

import click

COMMANDS = {  # name: (module in this package, the command's function there)
    "check": ("notes", "check"), "due": ("due", "due"), "promises": ("promises", "promises"),
    "schema": ("generate", "schema"), "generate": ("generate", "generate"), "add": ("daily", "add"),
    "log": ("daily", "log"), "promise": ("daily", "promise"), "done": ("daily", "done"), "init": ("daily", "init"),
    "lock": ("hosting", "lock"), "audit": ("hosting", "audit"), "import": ("exchange", "import_command"),
    "export": ("exchange", "export"), "network": ("network", "network"),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(f".{module}", __name__), name)
        return command


@click.group(cls=LazyGroup)
@click.version_option(package_name="networking-handbook")
def main() -> None:
    """Keep your relationships as YAML notes in git: check them and see who to follow up."""
    for argument in sys.argv[1:]:
        if not argument.isprintable() and any(0xDC80 <= ord(c) <= 0xDCFF for c in argument):
            shown = argument.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            raise click.UsageError(f"the argument `{shown}` is not valid UTF-8: retype it")
