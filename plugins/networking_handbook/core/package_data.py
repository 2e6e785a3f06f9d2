"""Files shipped inside the package (the guide, the scaffold of a new handbook)."""

from __future__ import annotations

from importlib import resources


def package_files(*folder: str) -> dict[str, bytes]:
    """Every file under `folder` (its path parts) of the package: path relative to it, to its bytes."""
    files: dict[str, bytes] = {}
    stack = [(resources.files("networking_handbook").joinpath(*folder), "")]
    while stack:
        directory, prefix = stack.pop()
        for entry in directory.iterdir():
            if entry.is_dir():
                stack.append((entry, f"{prefix}{entry.name}/"))
            elif entry.name != "__pycache__":
                files[prefix + entry.name] = entry.read_bytes()
    return dict(sorted(files.items()))
