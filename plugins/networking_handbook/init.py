"""`handbook init`: a new private handbook repository, ready to commit, push and serve."""

from __future__ import annotations

from importlib import metadata, resources
from pathlib import Path

from .edit import EditError, write_atomically
from .schema import SCHEMA_FILES, schema_text

# Scaffold files whose names packaging would hide, and the name they get.
_RENAMED = {"gitignore.txt": ".gitignore"}
_PINNED = ("networking-handbook", "mkdocs", "mkdocs-material")


def scaffold_files() -> dict[str, bytes]:
    """Every file a new handbook starts with: relative path to content."""
    root = resources.files("networking_handbook") / "scaffold"
    files: dict[str, bytes] = {}
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                stack.append((entry, f"{prefix}{entry.name}/"))
            else:
                files[prefix + _RENAMED.get(entry.name, entry.name)] = entry.read_bytes()
    for folder, name in SCHEMA_FILES.items():
        files[f"handbook/schemas/{name}"] = schema_text(folder).encode("utf-8")
    files["requirements.txt"] = _requirements().encode("utf-8")
    return dict(sorted(files.items()))


def _requirements() -> str:
    lines = ["# What the site build installs (pinned, so a rebuild next year gives the same site)."]
    for package in _PINNED:
        try:
            lines.append(f"{package}=={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            lines.append(package)
    return "\n".join(lines) + "\n"


def init_handbook(target: Path) -> list[Path]:
    """Write the scaffold into `target`; refuse, writing nothing, if any file already exists."""
    files = scaffold_files()
    existing = [path for path in files if (target / path).exists()]
    if existing:
        raise EditError(f"{target} already has {', '.join(existing)}: nothing was written "
                        "(init never overwrites; choose an empty folder)")
    written = []
    for relative, content in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, content, expected=None, display=str(path))
        written.append(path)
    return written
