"""The hosting templates: linted, schema-checked, and their build steps run on the example."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, clean_env

WORKFLOW = REPO / ".github" / "workflows" / "handbook-site.yml"
GITLAB = REPO / ".gitlab-ci.yml"
SCAFFOLD = REPO / "plugins" / "networking_handbook" / "scaffold"


def test_the_repository_uses_the_templates_that_init_writes() -> None:
    assert WORKFLOW.read_bytes() == (SCAFFOLD / "github" / "workflows" / "handbook-site.yml").read_bytes()
    assert GITLAB.read_bytes() == (SCAFFOLD / "gitlab-ci.yml").read_bytes()


def test_workflow_passes_actionlint() -> None:
    result = subprocess.run(["actionlint", "-no-color", str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("schema", "path"), [("vendor.github-workflows", WORKFLOW), ("vendor.gitlab-ci", GITLAB)])
def test_templates_match_their_platform_schema(schema: str, path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_triggers_and_secrets() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"] and "schedule" in triggers and "workflow_dispatch" in triggers
    text = WORKFLOW.read_text()
    for secret in ("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID", "HANDBOOK_CALENDAR_SECRET"):
        assert "${{ secrets." + secret + " }}" in text


def _run_script(commands: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".git", ".venv", "site", "public", "*.egg-info"))
    script = "set -euo pipefail\n" + "\n".join(commands) + "\n"
    return subprocess.run(["bash", "-c", script], cwd=copy, capture_output=True, text=True, timeout=600,
                          env=clean_env(HANDBOOK_CALENDAR_SECRET="calendar-secret-0123456789abcdef"))


def test_github_build_steps_run_on_the_example(tmp_path: Path) -> None:
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]
    commands = [step["run"] for step in steps if "run" in step and "pip install" not in step["run"]]
    assert commands == ["handbook check", "mkdocs build --strict --site-dir site", "handbook audit site"]
    result = _run_script(commands, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "repo" / "site"
    assert (site / "dashboard" / "index.html").exists() and not (site / "sitemap.xml").exists()
    assert "0 findings" in result.stderr


def test_gitlab_pages_job_runs_on_the_example(tmp_path: Path) -> None:
    pipeline = yaml.safe_load(GITLAB.read_text())
    commands = pipeline["check"]["script"] + pipeline["pages"]["script"]
    result = _run_script(commands, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "repo" / "public" / "people" / "ana-souza" / "index.html").exists()
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
