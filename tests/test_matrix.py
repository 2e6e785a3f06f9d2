"""The cells of the CI matrix run what they say: `.ci/run`'s lowest cell (HANDBOOK_LOWEST=1)
has every package of constraints/lowest.txt at exactly that version, mkdocs-material 9.7.5
among them; every cell has versions inside pyproject.toml's ranges."""

from __future__ import annotations

import os
import tomllib
from importlib.metadata import version

import pytest
import yaml
from packaging.requirements import Requirement

from .conftest import REPO


def _pins() -> dict[str, str]:
    lines = (REPO / "constraints" / "lowest.txt").read_text().splitlines()
    return dict(line.split("==") for line in lines if line and not line.startswith("#"))


@pytest.mark.skipif(not os.environ.get("HANDBOOK_LOWEST"), reason="only in .ci/run's lowest cell")
def test_the_lowest_cell_runs_the_lowest_versions() -> None:
    installed = {name: version(name) for name in _pins()}
    assert installed == _pins()
    assert installed["mkdocs-material"] == "9.7.5"


def test_every_cell_runs_versions_inside_the_declared_ranges() -> None:
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    for requirement in map(Requirement, declared):
        assert requirement.specifier.contains(version(requirement.name), prereleases=True), requirement


def test_the_ci_workflow_runs_every_python_and_the_engine_tests_on_macos_and_windows() -> None:
    jobs = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text())["jobs"]
    assert [step["run"] for step in jobs["ci-run"]["steps"] if "run" in step] == ["bash .ci/run"]
    assert [step["with"]["python-version"] for step in jobs["ci-run"]["steps"] if "setup-python" in step.get("uses", "")] \
        == ["3.11"]
    assert jobs["suite"]["strategy"]["matrix"]["python"] == ["3.12", "3.13", "3.14"]
    assert jobs["engine"]["strategy"]["matrix"]["os"] == ["macos-latest", "windows-latest"]
    command = next(step["run"] for step in jobs["engine"]["steps"] if "pytest" in step.get("run", ""))
    files = command.split()[3:]
    assert files and all((REPO / path).is_file() for path in files), "the engine job names a test file that is gone"
    assert "tests/test_windows_paths.py" in files and "tests/test_browser.py" not in files
