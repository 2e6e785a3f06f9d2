"""Edit to reload under `mkdocs serve --dirty` (issue 15): a saved contact file, shown over HTTP.

Writes a realistic handbook of N contacts (bench/synthetic.py) with the config `handbook init`
writes, starts the documented serve command (`mkdocs serve --dirty`) as a real process on a
free port and waits for its first build. Then, `--edits` times, adds an interaction (dated
today) at the top of one contact's `interactions` (a different contact each time, one listed
as "still open" on its event's page, with an item on the dashboard) and measures the wall time
from the write to the moment the person page shows the new note and the dashboard and that
event page (a page linking to them) are served from the same build. The server holds every
request while it rebuilds, so once the person page is new the whole rebuild is on disk.
Prints each edit, what the plugin said it rebuilt, and min/median/max; then the same on the
16-contact example (`handbook/`), as a reference measured in the same run.
Target: a median under 3 s at 5,000 contacts. Run: `python bench/serve_bench.py [--contacts 5000]`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import TODAY, write_realistic_handbook

REPO = Path(__file__).resolve().parents[1]
SCAFFOLD = REPO / "plugins" / "networking_handbook" / "edit" / "scaffold_files"
TARGET = 3.0
LIVERELOAD = re.compile(r"<script>\s*var livereload.*?</script>", re.DOTALL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> str | None:
    """The page without the script `mkdocs serve` injects (it names the build); None if not served."""
    try:
        with urllib.request.urlopen(url, timeout=600) as response:
            return LIVERELOAD.sub("", response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def edit_targets(root: Path, count: int) -> list[tuple[str, str]]:
    """Up to `count` contacts (slug, event slug) spread over the handbook, each "still open" on its
    event's page and with an item on the dashboard: an interaction today changes all three."""
    from networking_handbook.build import _plan, configure
    from networking_handbook.core.handbook import load_handbook
    from networking_handbook.core.site_config import read_site_config
    from networking_handbook.site.structure import DASHBOARD_HORIZON_DAYS

    os.environ["HANDBOOK_TODAY"] = TODAY.isoformat()
    setup = configure(read_site_config(root / "mkdocs.yml", "mkdocs.yml")[0])
    site = _plan(setup, load_handbook(setup.data_dir, root), [])[0]
    on_dashboard = {item.contact for item in site.items if item.days_overdue >= -DASHBOARD_HORIZON_DAYS}
    found = [(person.slug, slug) for slug, view in site.events.items() for person in view.people
             if person.status.state == "open" and person.slug in on_dashboard]
    found = sorted(dict(found).items())  # one event per contact
    step = max(1, len(found) // count)
    picked = found[::step][:count]
    if not picked:
        raise SystemExit(f"no contact to edit in {root}")
    return picked


def add_interaction(path: Path, note: str) -> None:
    """An interaction today, first in the file's list (as an editor's save: one write)."""
    text = path.read_text(encoding="utf-8")
    entry = f"  - on: {TODAY.isoformat()}\n    kind: call\n    note: {note}\n"
    if re.search(r"^interactions:\n", text, re.MULTILINE):
        text = re.sub(r"^interactions:\n", lambda _: "interactions:\n" + entry, text, count=1, flags=re.MULTILINE)
    else:
        text += "interactions:\n" + entry
    path.write_text(text, encoding="utf-8")


def measure(root: Path, edits: int, label: str) -> list[float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    targets = edit_targets(root, edits)
    log_path = root / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", HANDBOOK_TODAY=TODAY.isoformat())
    with log_path.open("w") as log:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                                  cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        start = time.perf_counter()
        while get(f"{base}/dashboard/") is None:
            if server.poll() is not None:
                raise SystemExit(f"mkdocs serve stopped:\n{log_path.read_text()}")
            time.sleep(0.5)
        print(f"{label}: first build served after {time.perf_counter() - start:.1f} s")
        times = []
        for number, (slug, event) in enumerate(targets, 1):
            pages = {"person": f"{base}/people/{slug}/", "dashboard": f"{base}/dashboard/",
                     "event page": f"{base}/events/{event}/"}
            before = {name: get(url) for name, url in pages.items()}
            note = f"Serve bench call {number} {time.time_ns()}"
            time.sleep(1)  # the server idle again after those requests
            logged = len(log_path.read_text().splitlines())
            start = time.perf_counter()
            add_interaction(root / "handbook" / "contacts" / f"{slug}.yml", note)
            while note not in (get(pages["person"]) or ""):
                time.sleep(0.05)
            after = {name: get(url) for name, url in pages.items() if name != "person"}
            elapsed = time.perf_counter() - start
            times.append(elapsed)
            unchanged = [name for name, page in after.items() if page == before[name]]
            said = [line.split("- ", 1)[-1] for line in log_path.read_text().splitlines()[logged:]
                    if "generated files changed" in line or "Documentation built" in line]
            print(f"  edit {number} ({slug}): {elapsed:.2f} s; {'; '.join(said)}"
                  + (f"; NOT CHANGED: {', '.join(unchanged)}" if unchanged else ""))
        print(f"  {label}: min {min(times):.2f} s, median {statistics.median(times):.2f} s, max {max(times):.2f} s")
        return times
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big, example = Path(tmp) / "big", Path(tmp) / "example"
        write_realistic_handbook(big, args.contacts)
        shutil.copy(SCAFFOLD / "mkdocs.yml", big / "mkdocs.yml")
        shutil.copytree(SCAFFOLD / "docs_src", big / "docs_src")
        shutil.copytree(REPO, example, ignore=shutil.ignore_patterns(".*", "site", "plugins", "tests", "bench"))
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
        times = measure(big, args.edits, f"{args.contacts} contacts")
        measure(example, args.edits, "the example (16 contacts)")
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    median = statistics.median(times)
    print(f"median {median:.2f} s at {args.contacts} contacts: {'under' if median < TARGET else 'NOT under'} {TARGET} s")
    return 0 if median < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
