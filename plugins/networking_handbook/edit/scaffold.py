"""`handbook init`: a new private handbook repository, ready to commit, push and serve."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..core.package_data import package_files
from ..core.schema import SCHEMA_FILES, schema_text
from ..core.site_config import PLUGIN_NAME
from ..hosting.encryption import ENCRYPT_PLUGIN, SAFE_SETTINGS
from ..hosting.lock import HOSTING_PYTHON, lock_site, requirements_text
from .safe_write import EditError, write_atomically

# Scaffold files whose names packaging would hide, and the name they get.
_RENAMED = {"gitignore.txt": ".gitignore", "gitlab-ci.yml": ".gitlab-ci.yml"}
_RENAMED_FOLDERS = {"github/": ".github/"}


def scaffold_files(*, requirements: str, encrypt: bool = False) -> dict[str, bytes]:
    """Every file a new handbook starts with: relative path to content. With `encrypt`, the
    site is also encrypted in the browser (a second layer behind the host's access control)."""
    files: dict[str, bytes] = {}
    for path, data in package_files("edit", "scaffold_files").items():
        folder, _, name = path.rpartition("/")
        folder = next((new + folder[len(old):] for old, new in _RENAMED_FOLDERS.items()
                       if (folder + "/").startswith(old)), folder)
        files[(folder + "/" if folder else "") + _RENAMED.get(name, name)] = data
    for folder, name in SCHEMA_FILES.items():
        files[f"handbook/schemas/{name}"] = schema_text(folder).encode("utf-8")
    files["requirements.txt"] = requirements.encode("utf-8")
    if encrypt:
        files["mkdocs.yml"] += SAFE_SETTINGS.encode("utf-8")
    return dict(sorted(files.items()))


def _blocked(path: Path, target: Path) -> bool:
    """Whether `path` exists, or a file stands where one of its folders must go."""
    if path.exists() or path.is_symlink():
        return True
    folders = [folder for folder in path.parents if folder == target or target in folder.parents]
    return any(folder.exists() and not folder.is_dir() for folder in folders)


def init_handbook(target: Path, *, encrypt: bool = False, find_links: Iterable[str] = (),
                  written_links: Iterable[str] = ()) -> list[Path]:
    """Write the scaffold into `target`; refuse, writing nothing, if any file already exists.

    `requirements.txt` locks the tool and everything it runs with here (see `lock`), so this
    needs the package index, or `find_links` folders holding the wheels; `written_links`
    (folders inside `target`) go into the file too, for CI."""
    existing = [path for path in scaffold_files(requirements="", encrypt=encrypt)
                if _blocked(target / path, target)]
    if existing:
        raise EditError(f"{target} already has {', '.join(existing)}: nothing was written "
                        "(init never overwrites; choose an empty folder)")
    pins = lock_site([PLUGIN_NAME, *([ENCRYPT_PLUGIN] if encrypt else [])], find_links=find_links)
    requirements = requirements_text(pins, python_version=HOSTING_PYTHON, find_links=written_links)
    files = scaffold_files(requirements=requirements, encrypt=encrypt)
    written: list[Path] = []
    made: list[Path] = []  # folders this run created, outermost first
    try:
        for relative, content in files.items():
            path = target / relative
            made += [folder for folder in reversed(path.parents) if folder not in made and not folder.exists()]
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, content, expected=None, display=str(path))
            written.append(path)
    except BaseException:
        _undo(written, made)  # all or nothing: a full disk leaves no half scaffold behind
        raise
    return written


def _undo(written: list[Path], made: list[Path]) -> None:
    """Remove the files and then the (now empty) folders a failed init made."""
    for path in written:
        path.unlink(missing_ok=True)
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            pass  # not empty: something else was put there meanwhile; keep it
