"""The JSON Schemas agree with the model: on the example handbook and on the bad-input corpus."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.schema import PACKAGED_SCHEMAS, SCHEMA_FILES, schema_text

from .conftest import REPO

CORPUS = Path(__file__).parent / "bad_inputs"
# Problems a schema can express: keys and the shape and form of values.
SCHEMA_REASONS = re.compile(
    r"unknown key|must be (text|a list|a mapping)|is not a valid `|missing required key|is empty"
    r"|expected a (date|birthday|duration)|is not a web or mail link|a promise needs|duplicate key"
)


# Inputs that crash check-jsonschema itself (its parser recurses, and turns 5,000 digits
# into an int); the handbook's loader reports them as diagnostics instead.
CRASH_CHECK_JSONSCHEMA = {"deep-nesting-5000.yml", "number-5000-digits.yml"}


def check_jsonschema(schema: Path, files: list[Path]) -> set[Path]:
    """The files that check-jsonschema rejects (invalid, or unreadable as YAML)."""
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), "-o", "json", *map(str, files)],
        capture_output=True, text=True, timeout=120,
    )
    report = json.loads(result.stdout)
    failed = {Path(error["filename"]) for error in report.get("errors", [])}
    failed |= {Path(error["filename"]) for error in report.get("parse_errors", [])}
    return failed


@pytest.mark.parametrize("schemas", [PACKAGED_SCHEMAS, REPO / "handbook" / "schemas"])
def test_schemas_are_up_to_date(schemas: Path) -> None:
    for folder, name in SCHEMA_FILES.items():
        assert (schemas / name).read_text(encoding="utf-8") == schema_text(folder), (
            f"regenerate with `handbook schema --out {schemas.relative_to(REPO)}`")


@pytest.mark.parametrize("folder", ["contacts", "events"])
def test_example_handbook_is_valid_against_the_schema(folder: str) -> None:
    files = sorted((REPO / "handbook" / folder).glob("*.yml"))
    assert files
    assert check_jsonschema(PACKAGED_SCHEMAS / SCHEMA_FILES[folder], files) == set()
    for path in files:
        assert path.read_text(encoding="utf-8").startswith(
            f"# yaml-language-server: $schema=../schemas/{SCHEMA_FILES[folder]}\n")


@pytest.mark.parametrize("folder", ["contacts", "events"])
def test_schema_rejects_what_the_model_rejects_for_keys_and_types(folder: str) -> None:
    diagnostics = load_handbook(CORPUS, CORPUS).diagnostics
    files = sorted(p for p in (CORPUS / folder).iterdir()
                   if p.suffix in (".yml", ".yaml") and p.name not in CRASH_CHECK_JSONSCHEMA)
    by_schema = {path.relative_to(CORPUS).as_posix()
                 for path in check_jsonschema(PACKAGED_SCHEMAS / SCHEMA_FILES[folder], files)}
    by_model = {d.path for d in diagnostics if d.severity == "error" and SCHEMA_REASONS.search(d.message)
                and "but for case or Unicode form" not in d.message}  # JSON Schema compares keys exactly
    expected = {path.relative_to(CORPUS).as_posix() for path in files} & by_model
    assert expected, "the corpus should hold files rejected for key or type reasons"
    assert expected <= by_schema, f"the schema accepts: {sorted(expected - by_schema)}"
    clean = {path.relative_to(CORPUS).as_posix() for path in files} - {d.path for d in diagnostics}
    assert not clean & by_schema, f"the schema rejects valid files: {sorted(clean & by_schema)}"
