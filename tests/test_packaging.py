"""The package as users get it: every shipped file in the wheel, and lower bounds that hold."""

from __future__ import annotations

import re
import tomllib
import zipfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from .conftest import REPO

PACKAGE = REPO / "plugins" / "networking_handbook"


def test_the_wheel_holds_every_file_of_the_package(package_index: Path) -> None:
    """Templates, assets, guidance, scaffold (with its dot-less names) and schemas included."""
    (wheel,) = package_index.glob("networking_handbook-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"networking_handbook/{path.relative_to(PACKAGE).as_posix()}" for path in PACKAGE.rglob("*")
               if path.is_file() and "__pycache__" not in path.parts}
    assert shipped - names == set()
    for folder in ("site/templates", "site/assets", "site/guidance", "edit/scaffold_files", "core/schemas"):
        assert any(name.startswith(f"networking_handbook/{folder}/") for name in names), folder


def _lower_bounds() -> dict[str, Version]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    bounds = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        lowest = [Version(spec.version) for spec in requirement.specifier if spec.operator in (">=", "==")]
        assert lowest, f"{requirement.name} has no lower bound"
        bounds[canonicalize_name(requirement.name)] = max(lowest)
    return bounds


def test_the_lowest_versions_file_pins_every_lower_bound() -> None:
    lines = (REPO / "constraints" / "lowest.txt").read_text().splitlines()
    pins = {canonicalize_name(name): Version(version)
            for name, version in (line.split("==") for line in lines if line and not line.startswith("#"))}
    assert pins == _lower_bounds()


def _modules() -> dict[str, str]:
    return {path.relative_to(PACKAGE).as_posix(): path.read_text(encoding="utf-8")
            for path in PACKAGE.rglob("*.py")}


def test_only_core_environment_reads_environment_variables() -> None:
    readers = [name for name, text in _modules().items()
               if re.search(r"\bos\.(environ|getenv|putenv)\b|\bfrom os import .*\b(environ|getenv)\b", text)]
    assert readers == ["core/environment.py"]


def test_each_folder_imports_only_what_the_design_allows() -> None:
    """core/ imports nothing from the other folders; only plugin.py imports mkdocs, only cli/ click."""
    for name, text in _modules().items():
        imports = re.findall(r"^\s*(?:from|import) (\S+)", text, flags=re.MULTILINE)
        if name.startswith("core/"):
            assert not [i for i in imports if i.startswith("..") and not i.startswith("..core")], name
        if name != "plugin.py":
            assert not [i for i in imports if i.split(".")[0] in ("mkdocs", "properdocs")], name
        if not name.startswith("cli/"):
            assert not [i for i in imports if i.split(".")[0] == "click"], name


def test_the_readme_layout_names_every_module_of_the_package() -> None:
    """The README's layout section matches the tree: each folder and module is in it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):]
    missing = [path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
               if path.name not in ("__init__.py", "__main__.py")
               and f"`{path.stem}`" not in layout and f"`{path.name}`" not in layout]
    folders = [path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()]
    missing += [folder for folder in folders if f"`{folder}/`" not in layout]
    assert missing == []
