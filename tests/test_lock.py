"""A new handbook's CI installs exactly what was locked: every package pinned and hashed.

The generated workflow's own install step runs against a local package index (a folder of
wheels, as `pip --find-links` reads it), then its check, build and audit steps run in that
environment. Tampering with the lock (a hash, a pin, a package) must make the install fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.utils import canonicalize_name

from networking_handbook.hosting.lock import TOOL

from .conftest import OFFLINE_PIP, clean_env, init_cli, run_cli

REQUIREMENT = re.compile(r"^([a-z0-9-]+)==(\S+)((?: \\\n    --hash=sha256:[0-9a-f]{64})+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def new_handbook(tmp_path_factory: pytest.TempPathFactory, package_index: Path) -> Path:
    root = tmp_path_factory.mktemp("lock") / "my-handbook"
    result = init_cli(str(root), index=package_index, cwd=root.parent)
    assert result.returncode == 0, result.stderr
    return root


def _pins(requirements: str) -> dict[str, str]:
    return {name: version for name, version, _ in REQUIREMENT.findall(requirements)}


def _build_steps(root: Path) -> list[str]:
    workflow = yaml.safe_load((root / ".github" / "workflows" / "handbook-site.yml").read_text())
    return [step["run"] for step in workflow["jobs"]["build"]["steps"] if "run" in step]


def _venv(path: Path) -> dict[str, str]:
    """A fresh virtual environment, and the environment a workflow step runs in with it."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    # Leave out every folder that already has the tool (the tests' own environment, and any
    # other activated one), so the steps run only what this environment installed.
    rest = [entry for entry in os.environ["PATH"].split(os.pathsep)
            if entry and not (Path(entry) / "handbook").exists() and not (Path(entry) / "mkdocs").exists()]
    return {"PATH": os.pathsep.join([str(path / "bin"), *rest]), "VIRTUAL_ENV": str(path)}


def _run_step(command: str, root: Path, env: dict[str, str], index: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=root, capture_output=True, text=True,
                          timeout=600, env=clean_env(**env, **OFFLINE_PIP, PIP_FIND_LINKS=str(index)))


def test_every_requirement_is_pinned_and_hashed(new_handbook: Path) -> None:
    text = (new_handbook / "requirements.txt").read_text()
    body = [block for block in text.split("\n") if block and not block.startswith(("#", "--", "    --hash"))]
    pins = _pins(text)
    assert len(pins) == len(body), "a requirement without an exact version or a hash"
    assert pins[TOOL] == subprocess.run([sys.executable, "-m", "networking_handbook", "--version"],
                                        capture_output=True, text=True).stdout.split()[-1]
    assert {"mkdocs", "mkdocs-material", "pyyaml", "pydantic", "pydantic-core", "markupsafe"} <= pins.keys()
    assert "--require-hashes" in text.splitlines() and "--only-binary :all:" in text.splitlines()


def test_the_workflow_installs_the_lock_then_checks_builds_and_audits(new_handbook: Path, package_index: Path,
                                                                       tmp_path: Path) -> None:
    install, *rest = _build_steps(new_handbook)
    assert "pip install" in install and rest == ["handbook check", "mkdocs build --strict --site-dir site",
                                                 "handbook audit site"]
    env = _venv(tmp_path / "venv")
    result = _run_step(install, new_handbook, env, package_index)
    assert result.returncode == 0, result.stdout + result.stderr
    freeze = _run_step("python -m pip freeze", new_handbook, env, package_index).stdout
    installed = {canonicalize_name(name): version for name, version in (line.split("==") for line in freeze.split())}
    assert installed == _pins((new_handbook / "requirements.txt").read_text()), "installed other than the lock"
    for command in rest:
        result = _run_step(command, new_handbook, env, package_index)
        assert result.returncode == 0, f"{command}:\n{result.stdout}{result.stderr}"
    assert "Alex Example" in (new_handbook / "site" / "people" / "alex-example" / "index.html").read_text()


def _without_hashes(text: str, name: str) -> str:
    return re.sub(rf"^({name}==\S+)(?: \\\n    --hash=\S+)+", r"\1", text, flags=re.MULTILINE)


def _with_a_wrong_hash(text: str, name: str) -> str:
    return re.sub(rf"^({name}==\S+ \\\n    --hash=sha256:)[0-9a-f]{{64}}", r"\g<1>" + "0" * 64, text,
                  flags=re.MULTILINE)


def _unpinned(text: str, name: str) -> str:
    return re.sub(rf"^{name}==\S+", f"{name}>=0", text, flags=re.MULTILINE)


def _missing(text: str, name: str) -> str:
    return re.sub(rf"^{name}==\S+(?: \\\n    --hash=\S+)+\n", "", text, flags=re.MULTILINE)


@pytest.fixture(scope="module")
def untouched_venv(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One fresh environment for the installs that must fail: a failed install adds nothing
    (each test checks), so they can share it."""
    return _venv(tmp_path_factory.mktemp("venv") / "venv")


@pytest.mark.parametrize(("tamper", "name"), [
    (_without_hashes, TOOL), (_without_hashes, "markupsafe"), (_with_a_wrong_hash, "pyyaml"),
    (_unpinned, "mkdocs-material"), (_missing, "pydantic-core"),
], ids=["tool unhashed", "dependency unhashed", "wrong hash", "unpinned", "dependency missing"])
def test_a_tampered_lock_installs_nothing(tamper, name: str, new_handbook: Path, package_index: Path,
                                          untouched_venv: dict[str, str], tmp_path: Path) -> None:
    original = (new_handbook / "requirements.txt").read_text()
    changed = tamper(original, name)
    assert changed != original
    (tmp_path / "requirements.txt").write_text(changed)
    result = _run_step(_build_steps(new_handbook)[0], tmp_path, untouched_venv, package_index)
    assert result.returncode != 0, f"installed with a tampered lock ({tamper.__name__} {name})"
    assert _run_step("python -m pip freeze", tmp_path, untouched_venv, package_index).stdout == ""


def test_a_lock_without_the_tool_fails_the_job_at_the_check(new_handbook: Path, package_index: Path,
                                                            tmp_path: Path) -> None:
    """pip installs what is listed; the job then stops at its first `handbook` step."""
    root = tmp_path / "handbook"
    shutil.copytree(new_handbook, root, ignore=shutil.ignore_patterns("site"))
    requirements = root / "requirements.txt"
    requirements.write_text(_missing(requirements.read_text(), TOOL))
    env = _venv(tmp_path / "venv")
    install, check, *_ = _build_steps(root)
    assert _run_step(install, root, env, package_index).returncode == 0
    result = _run_step(check, root, env, package_index)
    assert result.returncode != 0 and "handbook: command not found" in result.stderr


def test_lock_rewrites_requirements_from_the_site_config(new_handbook: Path, package_index: Path) -> None:
    requirements = new_handbook / "requirements.txt"
    before = requirements.read_text()
    requirements.write_text("mkdocs\n")
    result = run_cli("lock", "--find-links", str(package_index), cwd=new_handbook, **OFFLINE_PIP)
    assert result.returncode == 0, result.stderr
    assert requirements.read_text() == before
    assert f"{len(_pins(before))} packages pinned with hashes" in result.stderr


def test_lock_names_a_plugin_that_is_not_installed(new_handbook: Path, package_index: Path) -> None:
    config = new_handbook / "mkdocs.yml"
    original = config.read_text()
    config.write_text(original.replace("plugins:\n", "plugins:\n  - no-such-plugin\n"))
    try:
        result = run_cli("lock", "--find-links", str(package_index), cwd=new_handbook, **OFFLINE_PIP)
    finally:
        config.write_text(original)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "`no-such-plugin`" in result.stderr and "not installed" in result.stderr


def test_lock_says_what_to_do_when_a_package_cannot_be_fetched(new_handbook: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    before = (new_handbook / "requirements.txt").read_bytes()
    result = run_cli("lock", "--find-links", str(empty), cwd=new_handbook, **OFFLINE_PIP)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "pip could not fetch" in result.stderr and "--find-links" in result.stderr
    assert (new_handbook / "requirements.txt").read_bytes() == before
