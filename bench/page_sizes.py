"""The size of the pages a big handbook publishes (issue 15: bounded pages), built by MkDocs.

Writes a realistic synthetic handbook with the example's `mkdocs.yml` and `docs_src/`, builds
it with `mkdocs build`, and prints the whole HTML (theme included) of the dashboard, the
home page, People and its largest page, the biggest tag and event pages, the largest person
page and the people index. Run: `python bench/page_sizes.py [--contacts 5000] [--keep DIR]`.
Exit 1 if the largest person page is over issue 15's 40 KB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import write_realistic_handbook

REPO = Path(__file__).resolve().parent.parent
PERSON_LIMIT = 40 * 1024  # issue 15: a person page, whole, whatever the handbook's size


def _largest(site: Path, pattern: str) -> tuple[str, int]:
    sizes = {path.relative_to(site).parent.as_posix(): path.stat().st_size for path in site.glob(pattern)}
    name = max(sizes, key=sizes.__getitem__)
    return name, sizes[name]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="page-sizes-"))
    write_realistic_handbook(root, args.contacts)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs_src", root / "docs_src", dirs_exist_ok=True)
    started = time.monotonic()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=env, check=True)
    site = root / "site"
    rows = [("dashboard", site / "dashboard" / "index.html"), ("home page", site / "index.html"),
            ("People", site / "people" / "index.html"), ("events", site / "events" / "index.html")]
    found = [(label, path.relative_to(site).parent.as_posix(), path.stat().st_size) for label, path in rows]
    for label, pattern in (("largest People page", "people/index/*/index.html"),
                           ("biggest tag page", "tags/*/index.html"), ("biggest event page", "events/*/index.html"),
                           ("largest dashboard list page", "dashboard/*/**/index.html"),
                           ("largest person page", "people/person-*/index.html")):
        found.append((label, *_largest(site, pattern)))
    index = site / "people" / "index.json"
    if index.exists():
        found.append(("people index (JSON)", "people/index.json", index.stat().st_size))
    print(f"{args.contacts} realistic contacts, built in {time.monotonic() - started:.0f} s: "
          f"{sum(1 for _ in site.rglob('index.html'))} pages")
    for label, page, size in found:
        print(f"| {label} | `{page}` | {size / 1024:.1f} KB |")
    if not args.keep:
        shutil.rmtree(root)
    person = next(size for label, _, size in found if label == "largest person page")
    if person > PERSON_LIMIT:
        print(f"the largest person page is over {PERSON_LIMIT // 1024} KB")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
