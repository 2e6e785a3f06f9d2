"""`--watch`: run a command again on each change to some files and folders, until Ctrl+C.

Through watchdog, the file-events library MkDocs' own `serve` uses (native events on Linux,
macOS and Windows). Changes that arrive together (an editor's save, a `git pull`) make one run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import click
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

QUIET = 0.3  # seconds without a change before running again
STOP_WAIT = 2.0  # seconds Ctrl+C waits for watchdog's threads (daemons: they never keep the process)


class _Changed(FileSystemEventHandler):
    """Sets `event` on a change to anything it watches, or with `only`, to one of those files."""

    def __init__(self, event: threading.Event, only: set[Path] | None = None) -> None:
        self.event = event
        self.only = only

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):  # reads, not changes
            return
        paths = {Path(str(event.src_path)), Path(str(getattr(event, "dest_path", "") or event.src_path))}
        if self.only is None or paths & self.only:
            self.event.set()


def watch_folder(paths: Iterable[Path], run: Callable[[], object]) -> None:
    """Call `run` after each change under `paths` (folders, recursively, and files), until Ctrl+C."""
    paths = [path.resolve() for path in paths]
    files = {path for path in paths if not path.is_dir()}
    changed = threading.Event()
    observer = Observer()
    for folder in {path for path in paths if path.is_dir()}:
        observer.schedule(_Changed(changed), str(folder), recursive=True)
    for folder in {path.parent for path in files}:
        observer.schedule(_Changed(changed, files), str(folder), recursive=False)
    observer.start()
    shown = ", ".join(click.format_filename(path) for path in paths)
    click.echo(f"watching {shown} for changes (Ctrl+C to stop)", err=True)
    try:
        while True:
            changed.wait()
            while changed.wait(QUIET):  # until the changes settle
                changed.clear()
            run()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join(STOP_WAIT)  # a watcher thread stuck in a read must not make Ctrl+C hang
