"""The hosting templates: linted, schema-checked, and their build steps run on the example."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from networking_handbook.hosting.lock import HOSTING_PYTHON

from .conftest import REPO, clean_env

SCAFFOLD = REPO / "plugins" / "networking_handbook" / "edit" / "scaffold_files"
WORKFLOW = SCAFFOLD / "github" / "workflows" / "handbook-site.yml"
GITLAB = SCAFFOLD / "gitlab-ci.yml"
PROJECT_WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
USES = re.compile(r"^\s*(?:- )?uses: (\S+)(.*)$", re.MULTILINE)


@pytest.mark.parametrize("path", [WORKFLOW, *PROJECT_WORKFLOWS], ids=lambda p: p.name)
def test_actions_are_pinned_by_commit_with_the_version_in_a_comment(path: Path) -> None:
    uses = USES.findall(path.read_text())
    assert uses
    for action, comment in uses:
        name, _, ref = action.partition("@")
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{name} is pinned by `{ref}`, not a commit"
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), f"{name}: say the version in a comment"


def test_templates_install_only_the_locked_packages_on_the_locked_python() -> None:
    install = "python -m pip install --require-hashes --only-binary=:all: -r requirements.txt"
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]
    assert [step["run"] for step in steps if "pip" in step.get("run", "")] == [install]
    assert [step["with"]["python-version"] for step in steps if "setup-python" in step.get("uses", "")] == \
        [HOSTING_PYTHON]
    pipeline = yaml.safe_load(GITLAB.read_text())
    assert pipeline["default"]["before_script"] == [install]
    assert pipeline["image"] == f"python:{HOSTING_PYTHON}-slim"


@pytest.mark.parametrize("path", [WORKFLOW, *PROJECT_WORKFLOWS], ids=lambda p: p.name)
def test_workflow_passes_actionlint(path: Path) -> None:
    result = subprocess.run(["actionlint", "-no-color", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_release_publishes_by_trusted_publishing_from_the_one_version() -> None:
    release = REPO / ".github" / "workflows" / "release.yml"
    jobs = yaml.safe_load(release.read_text())["jobs"]
    assert jobs["publish"]["permissions"] == {"id-token": "write"} and "secrets." not in release.read_text()
    assert jobs["publish"]["needs"] == "build" and jobs["build"]["needs"] == "test"
    assert any("pyproject.toml" in step.get("run", "") and "TAG" in step.get("run", "")
               for step in jobs["build"]["steps"])
    assert [step["run"] for step in jobs["test"]["steps"] if "run" in step] == ["bash .ci/run"]


@pytest.mark.parametrize(("schema", "path"), [("vendor.github-workflows", WORKFLOW), ("vendor.gitlab-ci", GITLAB),
                                              *(("vendor.github-workflows", path) for path in PROJECT_WORKFLOWS)],
                         ids=lambda value: value.name if isinstance(value, Path) else value)
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
    shutil.copytree(REPO, copy,
                    ignore=shutil.ignore_patterns(".git", ".venv", "site", "public", "*.egg-info", "__pycache__"))
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
