"""`handbook init`: a new private handbook repository, ready to commit, push and serve."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from .edit import EditError, write_atomically
from .encryption import SAFE_SETTINGS
from .package_data import package_files
from .schema import SCHEMA_FILES, schema_text

# Scaffold files whose names packaging would hide, and the name they get.
_RENAMED = {"gitignore.txt": ".gitignore", "gitlab-ci.yml": ".gitlab-ci.yml"}
_RENAMED_FOLDERS = {"github/": ".github/"}
_PINNED = ("networking-handbook", "mkdocs", "mkdocs-material")


def scaffold_files(*, encrypt: bool = False) -> dict[str, bytes]:
    """Every file a new handbook starts with: relative path to content. With `encrypt`, the
    site is also encrypted in the browser (a second layer behind the host's access control)."""
    files: dict[str, bytes] = {}
    for path, data in package_files("scaffold").items():
        folder, _, name = path.rpartition("/")
        folder = next((new + folder[len(old):] for old, new in _RENAMED_FOLDERS.items()
                       if (folder + "/").startswith(old)), folder)
        files[(folder + "/" if folder else "") + _RENAMED.get(name, name)] = data
    for folder, name in SCHEMA_FILES.items():
        files[f"handbook/schemas/{name}"] = schema_text(folder).encode("utf-8")
    files["requirements.txt"] = _requirements(encrypt).encode("utf-8")
    if encrypt:
        files["mkdocs.yml"] += SAFE_SETTINGS.encode("utf-8")
    return dict(sorted(files.items()))


def _requirements(encrypt: bool) -> str:
    lines = ["# What the site build installs (pinned, so a rebuild next year gives the same site)."]
    for package in _PINNED + (("mkdocs-encryptcontent-plugin",) if encrypt else ()):
        try:
            lines.append(f"{package}=={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            lines.append(package)
    return "\n".join(lines) + "\n"


def _blocked(path: Path, target: Path) -> bool:
    """Whether `path` exists, or a file stands where one of its folders must go."""
    if path.exists() or path.is_symlink():
        return True
    folders = [folder for folder in path.parents if folder == target or target in folder.parents]
    return any(folder.exists() and not folder.is_dir() for folder in folders)


def init_handbook(target: Path, *, encrypt: bool = False) -> list[Path]:
    """Write the scaffold into `target`; refuse, writing nothing, if any file already exists."""
    files = scaffold_files(encrypt=encrypt)
    existing = [path for path in files if _blocked(target / path, target)]
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
