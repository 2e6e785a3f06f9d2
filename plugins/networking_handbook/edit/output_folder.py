"""A folder of generated files kept in step with what the build publishes (`handbook generate`).

Only files whose content changed are written (atomically), so a second run changes nothing and
a watcher downstream rebuilds nothing. A manifest in the folder (`MANIFEST`) names every file
this tool wrote there, with its sha256: a file it no longer produces is removed only if the
manifest names it and it still holds what was written; the user's own files are never
replaced or removed. Everything is checked before the first write.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .safe_write import EditError, replace_file

MANIFEST = ".handbook-generated.json"
_FORMAT = "networking-handbook generated files, v1"


@dataclass
class FolderChanges:
    """What a sync of the folder did (or, refused, would have done)."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # no longer produced, but changed by someone since written
    unchanged: int = 0


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def owned_files(folder: Path) -> dict[str, str]:
    """The files the manifest says this tool wrote in `folder` (path to sha256); none if absent."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise EditError(f"cannot read {folder / MANIFEST}: {error}; delete it to start the folder afresh "
                        "(files it named are then treated as yours)") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or data.get("format") != _FORMAT:
        raise EditError(f"{folder / MANIFEST} is not a manifest of `handbook generate`; move it away")
    return {str(path): str(digest) for path, digest in files.items()}


def _target(folder: Path, root: Path, path: str) -> Path:
    """`folder/path`, refused if it is a symbolic link or leads outside the folder."""
    target = folder / path
    if Path(path).is_absolute() or ".." in Path(path).parts:
        raise EditError(f"refusing to write {path}: not inside {folder}")
    if target.is_symlink() or not target.resolve().is_relative_to(root):
        raise EditError(f"refusing to write {target}: it leads outside {folder} (a symbolic link)")
    return target


def _current(target: Path) -> bytes | None:
    if target.is_dir():
        raise EditError(f"{target} is a folder; move it away so the page can be written")
    return target.read_bytes() if target.exists() else None


def sync_folder(folder: Path, files: dict[str, bytes]) -> FolderChanges:
    """Make `folder` hold `files` (relative POSIX path to bytes): see the module's docstring.

    A file at one of those paths that the manifest does not name is the user's, and refused,
    unless it already holds exactly those bytes (then it is adopted: an interrupted run, or a
    folder written by an earlier version)."""
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    owned = owned_files(folder)
    changes = FolderChanges()
    plan: list[tuple[Path, bytes]] = []
    for path, data in sorted(files.items()):
        target = _target(folder, root, path)
        current = _current(target)
        if current == data:
            changes.unchanged += 1
            continue
        if current is not None and path not in owned:
            raise EditError(f"{target} exists and was not written by `handbook generate`; nothing was written "
                            "(move it away, or delete it, and run again)")
        plan.append((target, data))
    stale = []
    for path, digest in sorted(owned.items()):
        if path in files:
            continue
        target = _target(folder, root, path)
        if not target.is_file():
            continue
        if _digest(target.read_bytes()) == digest:
            stale.append(target)
            changes.removed.append(path)
        else:
            changes.kept.append(path)
    for target, data in plan:
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, data)
        changes.written.append(target.relative_to(folder).as_posix())
    for target in stale:
        target.unlink()
        _remove_empty_folders(target.parent, folder)
    manifest = {"format": _FORMAT, "files": {path: _digest(data) for path, data in sorted(files.items())}}
    text = (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8")
    if _current(folder / MANIFEST) != text:
        replace_file(folder / MANIFEST, text)
    return changes


def _remove_empty_folders(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents up to `root` while they are empty (a tag's last page gone)."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:  # not empty (the user's files, or other pages): kept
            return
        folder = folder.parent
