"""`handbook lock`: the hosting CI installs exactly what runs here, pinned and hashed.

The pins are the versions installed beside this tool, the ones `handbook check` and
`mkdocs serve` ran with: the tool, every package that provides a plugin the site names, and
everything they require. The hashes are those of the files pip chooses for the hosting CI
(CPython `HOSTING_PYTHON` on Linux x86_64) and, when it differs, for this machine. pip's
hash-checking mode then refuses any file, version or package the lock does not name, so
neither a look-alike package on the index nor a new release can change what CI runs.
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from .errors import LockError

TOOL = "networking-handbook"
# The Python of the hosting templates (`python-version:` and the GitLab image); one place.
HOSTING_PYTHON = "3.11"
# The oldest glibc among the hosting images (ubuntu-22.04: 2.35; python:3.11-slim: 2.36):
# wheels built for it or older run on all of them.
_HOSTING_GLIBC_MINOR = 35
_HOSTING_PLATFORMS = [f"manylinux_2_{minor}_x86_64" for minor in range(_HOSTING_GLIBC_MINOR, 4, -1)] + [
    "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]


@dataclass(frozen=True)
class Pin:
    name: str  # canonical (PEP 503) name
    version: str
    hashes: tuple[str, ...]  # sha256 hex digests


def plugin_distributions(plugin_names: Iterable[str]) -> list[str]:
    """The installed distributions that provide the MkDocs plugins named in the site config."""
    providers = {entry.name: entry.dist.name for entry in metadata.entry_points(group="mkdocs.plugins")
                 if entry.dist is not None}
    missing = sorted({name for name in plugin_names if name not in providers})
    if missing:
        named = ", ".join(f"`{name}`" for name in missing)
        raise LockError(f"mkdocs.yml names the plugin {named}, which is not installed beside "
                        "networking-handbook: install its package there (`pipx inject networking-handbook "
                        "PACKAGE`, or `pip install PACKAGE` in the tool's environment), then lock again")
    return sorted({providers[name] for name in plugin_names})


def _full_version(python_version: str) -> str:
    """This interpreter's version if it is `python_version`, else that line's latest patch
    release, which is what CI images and `setup-python` install (`3.11` alone means 3.11.0
    to pip, which packages needing 3.11.5 then refuse)."""
    here = platform.python_version()
    return here if here.startswith(python_version + ".") else f"{python_version}.99"


def hosting_environment(python_version: str) -> dict[str, str]:
    """Environment markers as CPython `python_version` on Linux x86_64 evaluates them."""
    environment = {key: str(value) for key, value in default_environment().items()}
    environment.update(
        implementation_name="cpython", platform_python_implementation="CPython", os_name="posix",
        sys_platform="linux", platform_system="Linux", platform_machine="x86_64",
        python_version=python_version, python_full_version=_full_version(python_version))
    return environment


def installed_closure(roots: Iterable[str], environment: dict[str, str]) -> dict[str, str]:
    """Canonical name to installed version, for `roots` and all they require in `environment`."""
    versions: dict[str, str] = {}
    pending: list[tuple[str, frozenset[str], str]] = [(root, frozenset(), "you asked for it") for root in roots]
    seen: set[tuple[str, frozenset[str]]] = set()
    while pending:
        name, extras, needed_by = pending.pop()
        key = (canonicalize_name(name), extras)
        if key in seen:
            continue
        seen.add(key)
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise LockError(f"{name} is needed ({needed_by}) but is not installed here: install it beside "
                            "networking-handbook, then lock again") from None
        versions[key[0]] = distribution.version
        for line in distribution.requires or []:
            try:
                requirement = Requirement(line)
            except InvalidRequirement:
                continue
            wanted = any(requirement.marker is None or requirement.marker.evaluate({**environment, "extra": extra})
                         for extra in (extras or {""}))
            if wanted:
                pending.append((requirement.name, frozenset(requirement.extras),
                                f"{distribution.metadata['Name']} requires it"))
    return dict(sorted(versions.items()))


def _pip() -> list[str]:
    try:
        import pip  # noqa: F401  (only to learn whether `python -m pip` works here)
    except ImportError:
        raise LockError("pip is not installed beside networking-handbook (uv tool environments have none): "
                        "run `uv tool install --with pip networking-handbook`, or use pipx") from None
    return [sys.executable, "-m", "pip"]


def _download(pins: dict[str, str], folder: Path, target: list[str], find_links: list[str]) -> None:
    command = [*_pip(), "download", "--quiet", "--no-deps", "--only-binary", ":all:", "--dest", str(folder),
               *target, *(f"--find-links={link}" for link in find_links),
               *(f"{name}=={version}" for name, version in pins.items())]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        errors = [line for line in result.stderr.splitlines()
                  if line.startswith("ERROR") and not line.startswith("ERROR: Ignored")] or result.stderr.splitlines()[-3:]
        raise LockError("pip could not fetch the packages to hash them:\n  " + "\n  ".join(errors) +
                        "\n(offline? a package not on the index? pass --find-links DIR with its wheel)")


def _file_hashes(folder: Path) -> dict[str, set[str]]:
    hashes: dict[str, set[str]] = {}
    for path in folder.iterdir():
        name = parse_wheel_filename(path.name)[0]
        hashes.setdefault(name, set()).add(hashlib.sha256(path.read_bytes()).hexdigest())
    return hashes


def pip_targets(python_version: str) -> list[list[str]]:
    """pip's target options: the hosting CI, then this machine where it differs."""
    hosting = ["--implementation", "cp", "--python-version", _full_version(python_version),
               *(option for tag in _HOSTING_PLATFORMS for option in ("--platform", tag))]
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    same = sys.platform == "linux" and platform.machine() == "x86_64" and here == python_version
    return [hosting] if same else [hosting, []]


def lock(roots: Iterable[str], *, python_version: str = HOSTING_PYTHON,
         find_links: Iterable[str] = ()) -> list[Pin]:
    """Every package to install, at the version installed here, with the hashes of its files."""
    pins = installed_closure(roots, hosting_environment(python_version))
    hashes: dict[str, set[str]] = {}
    for target in pip_targets(python_version):
        with tempfile.TemporaryDirectory(prefix="handbook-lock-") as folder:
            _download(pins, Path(folder), target, list(find_links))
            for name, digests in _file_hashes(Path(folder)).items():
                hashes.setdefault(name, set()).update(digests)
    return [Pin(name, version, tuple(sorted(hashes.get(name, ())))) for name, version in pins.items()]


def requirements_text(pins: list[Pin], *, python_version: str, find_links: Iterable[str] = ()) -> str:
    """A requirements file that pip installs only in hash-checking mode, only from wheels."""
    tool_version = next((pin.version for pin in pins if pin.name == TOOL), "?")
    lines = [
        f"# Written by `handbook lock` (networking-handbook {tool_version}) for CPython {python_version} "
        "on Linux x86_64,",
        "# from the versions installed beside the tool. CI installs these files and nothing else.",
        "# Refresh after an upgrade: `handbook lock`, then commit this file.",
        "--require-hashes",
        "--only-binary :all:",
        *(f"--find-links {link}" for link in find_links),
    ]
    for pin in pins:
        lines.append(f"{pin.name}=={pin.version}" + "".join(f" \\\n    --hash=sha256:{digest}"
                                                            for digest in pin.hashes))
    return "\n".join(lines) + "\n"


def lock_site(plugin_names: Iterable[str], *, extra: Iterable[str] = (), python_version: str = HOSTING_PYTHON,
              find_links: Iterable[str] = ()) -> list[Pin]:
    """The pins of a site using `plugin_names`: the tool, their packages, `extra`, and all they need."""
    roots = {TOOL, *plugin_distributions(plugin_names), *extra}
    return lock(sorted(roots), python_version=python_version, find_links=find_links)
