"""Shared helpers: real handbooks on disk, and the real `handbook` CLI in a subprocess."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
import traceback
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
QUIET_MKDOCS = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


# pip as `init` and `lock` run it in tests: only the local index of `package_index`, no
# configuration of this machine's.
OFFLINE_PIP = {"PIP_NO_INDEX": "1", "PIP_CONFIG_FILE": os.devnull}


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell; with OFFLINE_PIP, none of this machine's pip settings."""
    offline = extra.keys() >= OFFLINE_PIP.keys()
    env = {key: value for key, value in os.environ.items()
           if key != "HANDBOOK_TODAY" and not (offline and key.startswith("PIP_"))}
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
    """`handbook ARGS` run in this process through click's test runner, in `cwd`, with the
    environment `clean_env` gives: the same command, exit status and two streams as a user
    sees, without an interpreter start per call. An uncaught exception shows as a traceback
    on standard error, as it would in a terminal. `run_cli_process` is the real subprocess."""
    from click.testing import CliRunner

    from networking_handbook.cli import main
    environment = clean_env(**env)
    changes: dict[str, str | None] = {key: value for key, value in environment.items()
                                      if os.environ.get(key) != value}
    changes.update({key: None for key in os.environ if key not in environment})
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        runner = CliRunner()  # click 8.2 keeps the streams apart by itself
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(main, list(args), env=changes, prog_name="handbook")
    finally:
        os.chdir(previous)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["handbook", *args], result.exit_code, result.stdout, stderr)


def run_cli_process(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`handbook ARGS` as a user runs it, in a new interpreter from the installed package."""
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


def pytest_sessionstart(session: pytest.Session) -> None:
    """With HANDBOOK_WHEEL set, the tests must run against that installed wheel, not the tree."""
    if os.environ.get("HANDBOOK_WHEEL"):
        import networking_handbook
        if REPO / "plugins" in Path(networking_handbook.__file__).resolve().parents:
            raise pytest.UsageError("HANDBOOK_WHEEL is set but networking_handbook is imported from the "
                                    "source tree: install the wheel into a fresh venv without -e")


@pytest.fixture(scope="session", autouse=True)
def _cache_between_runs(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The commands' cache between runs kept in the session's temporary folder, never in the
    user's own cache folder (tests of the cache itself pick their own)."""
    os.environ["HANDBOOK_CACHE_DIR"] = str(tmp_path_factory.mktemp("handbook-cache"))


def _fingerprint(*folders: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example handbook built once with `mkdocs build --strict`, for the tests that only read
    it: no warning, and the build wrote none of the user's files."""
    out = tmp_path_factory.mktemp("example") / "site"
    before = _fingerprint(REPO / "handbook", REPO / "docs_src")
    result = run_mkdocs("build", "--strict", "-d", str(out), cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert _fingerprint(REPO / "handbook", REPO / "docs_src") == before, "the build wrote the user's files"
    return out


@pytest.fixture(scope="session")
def package_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of wheels (`pip --find-links`): this package's and every one it runs with here.

    The package's wheel is HANDBOOK_WHEEL when set (the wheel under test), else built from the
    tree; the others are fetched once from the package index, for the targets `lock` hashes."""
    from networking_handbook.hosting.lock import (
        HOSTING_PYTHON,
        TOOL,
        hosting_environment,
        installed_closure,
        pip_targets,
    )
    folder = tmp_path_factory.mktemp("index")
    wheel = os.environ.get("HANDBOOK_WHEEL")
    if wheel:
        shutil.copy(wheel, folder)
    else:
        # From a copy: two test workers building in the tree at once would race on build/.
        source = tmp_path_factory.mktemp("source")
        shutil.copytree(REPO, source, dirs_exist_ok=True, ignore=_not_the_package)
        _succeed([sys.executable, "-m", "build", "--wheel", "--outdir", str(folder), str(source)])
    pins = installed_closure([TOOL, "mkdocs-encryptcontent-plugin"], hosting_environment(HOSTING_PYTHON))
    del pins[TOOL]
    for target in pip_targets(HOSTING_PYTHON):
        _succeed([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                  "--dest", str(folder), *target, *(f"{name}=={version}" for name, version in pins.items())])
    return folder


def _not_the_package(folder: str, names: list[str]) -> set[str]:
    """What a copy of the tree for building leaves out: VCS data, caches, and at the top the
    outputs and environments (`site/` at the top is a build; the package's `site/` is code)."""
    left_out = {name for name in names if name in (".git", "__pycache__", ".pytest_cache", ".hypothesis")
                or name.endswith(".egg-info")}
    if Path(folder) == REPO:
        left_out |= {name for name in names if name in ("site", "dist", "build", "public") or name.startswith(".venv")}
    return left_out


def _succeed(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command[:4])}...:\n{result.stdout}{result.stderr}"


def init_cli(*args: str, index: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`handbook init ARGS` locking from the local `index` only."""
    return run_cli("init", "--find-links", str(index), *args, cwd=cwd, **OFFLINE_PIP)
