"""The bad-input corpus: every file under bad_inputs/ with its golden diagnostics.

Run with `UPDATE_GOLDEN=1` to rewrite the golden files after a deliberate change, then
review the diff. Adding a case is adding a file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from networking_handbook.core.diagnostics import Diagnostic
from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.report import render_text

from .conftest import run_cli

CORPUS = Path(__file__).parent / "bad_inputs"
GOLDEN = CORPUS / "expected"
INPUTS = sorted(p for p in CORPUS.glob("*/*") if p.parent.name in ("contacts", "events"))


def _fingerprint() -> dict[Path, str]:
    return {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in INPUTS}


@pytest.fixture(scope="module")
def corpus_diagnostics() -> dict[str, list[Diagnostic]]:
    before = _fingerprint()
    diagnostics = load_handbook(CORPUS, CORPUS).diagnostics
    assert _fingerprint() == before, "checking must never change an input file"
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        by_file.setdefault(diagnostic.path, []).append(diagnostic)
    return by_file


def test_corpus_is_large_enough() -> None:
    assert len(INPUTS) >= 130


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden_diagnostics(path: Path, corpus_diagnostics: dict[str, list[Diagnostic]]) -> None:
    """What `handbook check` prints for the file: each problem, its source line and caret, the hint."""
    relative = path.relative_to(CORPUS).as_posix()
    found = corpus_diagnostics.get(relative, [])
    actual = render_text(found, CORPUS) + "\n" if found else ""
    golden = GOLDEN / f"{relative}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_every_golden_file_has_an_input() -> None:
    inputs = {p.relative_to(CORPUS).as_posix() for p in INPUTS}
    goldens = {p.relative_to(GOLDEN).as_posix().removesuffix(".txt") for p in GOLDEN.rglob("*.txt")}
    assert goldens <= inputs | {f"generated/{name}" for name in GENERATED}


def test_cli_check_reports_every_file_in_one_run(tmp_path: Path) -> None:
    """`handbook check` prints the whole corpus's problems, in order, and exits 1."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: corpus\nplugins:\n  - handbook:\n      data_dir: {CORPUS}\n")
    before = _fingerprint()
    result = run_cli("check", "--config", str(config), cwd=CORPUS)
    assert result.returncode == 1
    expected = "".join(
        (GOLDEN / f"{p.relative_to(CORPUS).as_posix()}.txt").read_text(encoding="utf-8") for p in INPUTS
    )
    assert result.stdout == expected
    assert "Traceback" not in result.stderr
    assert _fingerprint() == before


# Inputs too big to keep in git are made at test time; their goldens live beside the others.
GENERATED = {
    "contacts/five-mib.yml": b"name: Big File\nnotes: " + b"x" * (5 * 1024 * 1024) + b"\n",
}


@pytest.mark.parametrize("relative", sorted(GENERATED))
def test_generated_inputs(relative: str, tmp_path: Path) -> None:
    path = tmp_path / relative
    path.parent.mkdir(parents=True)
    path.write_bytes(GENERATED[relative])
    found = load_handbook(tmp_path, tmp_path).diagnostics
    actual = render_text(found, tmp_path) + "\n"
    golden = GOLDEN / "generated" / f"{relative}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")
    assert path.read_bytes() == GENERATED[relative]
