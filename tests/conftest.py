"""Shared helpers: real handbooks on disk, and the real `handbook` CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
QUIET_MKDOCS = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def clean_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "HANDBOOK_TODAY"}
    env.update(QUIET_MKDOCS)
    env.update(extra)
    return env


def run_mkdocs(*args: str, cwd: Path, program: str = "mkdocs", **env: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs ARGS` (or `properdocs ARGS`) as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", program, *args],
        cwd=cwd, env=clean_env(**env), capture_output=True, text=True, timeout=300,
    )


def run_cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`handbook ARGS` as a user runs it, from the installed console script's module."""
    return subprocess.run(
        [sys.executable, "-m", "networking_handbook", *args],
        cwd=cwd, env=clean_env(**env), capture_output=True, text=True, timeout=120,
    )


class HandbookDir:
    """A site folder in tmp_path: mkdocs.yml with plugin options, and YAML files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "handbook" / "contacts").mkdir(parents=True)
        (root / "handbook" / "events").mkdir(parents=True)
        (root / "docs").mkdir()
        (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
        self.options("")

    def options(self, yaml_text: str) -> None:
        body = textwrap.indent(textwrap.dedent(yaml_text).strip(), "      ")
        plugin = "  - handbook:\n" + body if body.strip() else "  - handbook"
        (self.root / "mkdocs.yml").write_text(
            "site_name: Test\ntheme:\n  name: material\n  font: false\n"
            f"plugins:\n  - search\n{plugin}\n", encoding="utf-8")

    def contact(self, slug: str, yaml_text: str) -> Path:
        return self._write("contacts", slug, yaml_text)

    def event(self, slug: str, yaml_text: str) -> Path:
        return self._write("events", slug, yaml_text)

    def _write(self, folder: str, slug: str, yaml_text: str) -> Path:
        path = self.root / "handbook" / folder / f"{slug}.yml"
        path.write_text(textwrap.dedent(yaml_text).lstrip(), encoding="utf-8")
        return path


@pytest.fixture
def site(tmp_path: Path) -> HandbookDir:
    return HandbookDir(tmp_path)
