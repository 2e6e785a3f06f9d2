"""No surprise on upgrade: what users and their scripts rely on, pinned in a reviewed file.

tests/public_surface.json holds the plugin's options and their defaults, the entry points,
every CLI command with its arguments and options, and the shapes (keys and value types) of the
JSON and CSV the CLI prints. A change to any of them fails here until the file is rewritten on
purpose and the diff reviewed (and the README's Changes updated):

    UPDATE_GOLDEN=1 python -m pytest tests/test_public_surface.py -n 0
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from importlib.metadata import distribution
from pathlib import Path
from typing import Any

import click
import pytest

from networking_handbook.cli import main
from networking_handbook.core.settings import Settings

from .conftest import REPO, run_cli

GOLDEN = Path(__file__).parent / "public_surface.json"


def _options() -> dict[str, Any]:
    defaults = {name: field.get_default(call_default_factory=True) for name, field in Settings.model_fields.items()}
    return json.loads(json.dumps(defaults, default=str))


def _parameter(parameter: click.Parameter) -> dict[str, Any]:
    described: dict[str, Any] = {"kind": parameter.param_type_name, "type": parameter.type.name}
    if isinstance(parameter.type, click.Choice):
        described["choices"] = list(parameter.type.choices)
    if isinstance(parameter, click.Option):
        described |= {"flags": sorted(parameter.opts + parameter.secondary_opts), "is_flag": parameter.is_flag,
                      "multiple": parameter.multiple, "required": parameter.required}
    else:
        described |= {"nargs": parameter.nargs, "required": parameter.required}
    return described


def _commands(command: click.Command, prefix: str = "handbook") -> dict[str, Any]:
    """Every command by its full name (`handbook export`), with its parameters by name."""
    found = {prefix: {parameter.name: _parameter(parameter) for parameter in command.params
                      if parameter.name not in ("help",)}}
    if isinstance(command, click.Group):  # asked as click's help asks: the commands are imported on demand
        context = click.Context(command)
        for name in sorted(command.list_commands(context)):
            sub = command.get_command(context, name)
            assert sub is not None
            found |= _commands(sub, f"{prefix} {name}")
    return found


def shape(value: Any, mappings: frozenset[str] = frozenset(), path: str = "") -> Any:
    """The keys and value types of JSON data, lists merged over their items; at a path named
    in `mappings` (a dict keyed by slugs), the values are merged under the key `<slug>`."""
    if isinstance(value, dict):
        if path in mappings:
            return {"<slug>": _merge([shape(item, mappings, f"{path}.*") for item in value.values()])}
        return {key: shape(item, mappings, f"{path}.{key}") for key, item in sorted(value.items())}
    if isinstance(value, list):
        merged = _merge([shape(item, mappings, f"{path}[]") for item in value])
        return [merged] if merged is not None else []
    return type(value).__name__


def _merge(shapes: list[Any]) -> Any:
    if not shapes:
        return None
    if all(isinstance(item, dict) for item in shapes):
        keys = sorted({key for item in shapes for key in item})
        return {key: _merge([item[key] for item in shapes if key in item]) for key in keys}
    if all(isinstance(item, list) for item in shapes):
        merged = _merge([item[0] for item in shapes if item])
        return [merged] if merged is not None else []
    names = sorted({json.dumps(item, sort_keys=True) for item in shapes})
    return json.loads(names[0]) if len(names) == 1 else " | ".join(names)


def _output_shapes(example: Path) -> dict[str, Any]:
    due = run_cli("due", "--json", "--upcoming", "30", cwd=example)
    exported = run_cli("export", "json", cwd=example)
    table = run_cli("export", "csv", cwd=example)
    contact = example / "handbook" / "contacts" / "ana-souza.yml"
    contact.write_text(contact.read_text().replace("kind: coffee", "kind: coffe", 1))
    check = run_cli("check", "--format", "json", cwd=example)
    assert due.returncode == exported.returncode == table.returncode == 0 and check.returncode == 1
    return {
        "handbook due --json": shape(json.loads(due.stdout)),
        "handbook export json": shape(json.loads(exported.stdout), frozenset({".contacts", ".events", ".contacts.*.links"})),
        "handbook export csv (header)": next(csv.reader(io.StringIO(table.stdout))),
        "handbook check --format json": shape(json.loads(check.stdout)),
    }


def _entry_points() -> dict[str, str]:
    points = distribution("networking-handbook").entry_points
    return {f"{point.group}: {point.name}": point.value for point in sorted(points, key=lambda p: (p.group, p.name))}


def test_the_public_surface_is_the_reviewed_one(tmp_path: Path) -> None:
    example = tmp_path / "repo"
    shutil.copytree(REPO / "handbook", example / "handbook")
    shutil.copy(REPO / "mkdocs.yml", example / "mkdocs.yml")
    surface = {"plugin options (mkdocs.yml, with defaults)": _options(), "entry points": _entry_points(),
               "commands": _commands(main), "outputs": _output_shapes(example)}
    text = json.dumps(surface, indent=1, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    if GOLDEN.read_text(encoding="utf-8") != text:
        pytest.fail("the public surface changed; if on purpose, run "
                    "`UPDATE_GOLDEN=1 python -m pytest tests/test_public_surface.py -n 0`, review the diff of "
                    "tests/public_surface.json and say so in the README's Changes")


def test_shapes_merge_lists_and_slug_mappings() -> None:
    data = {"people": {"a": {"x": 1}, "b": {"y": "t"}}, "items": [{"k": 1}, {"k": None, "j": True}], "none": []}
    assert shape(data, frozenset({".people"})) == {
        "items": [{"j": "bool", "k": '"NoneType" | "int"'}], "none": [],
        "people": {"<slug>": {"x": "int", "y": "str"}}}
