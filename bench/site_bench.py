"""Building synthetic handbooks of 1,000 and 5,000 contacts, against bare MkDocs.

For each size, in the same run: (a) a site whose pages the handbook plugin generates from
YAML, and (b) a bare MkDocs + Material site of the very same Markdown pages, pre-written to
`docs/` (no plugin). Both keep person pages out of the navigation. The ratio (a)/(b) is the
cost of the plugin. Run: `python bench/site_bench.py [--sizes 1000 5000]`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.settings import Settings
from networking_handbook.site.render import guidance_pages, render_pages
from networking_handbook.site.structure import build_site
from synthetic import write_handbook, write_realistic_handbook

TODAY = date(2026, 3, 1)
BASE_CONFIG = """\
site_name: Bench
docs_dir: docs
nav:
  - index.md
  - dashboard.md
  - people/index.md
  - events/index.md
theme:
  name: material
  font: false
markdown_extensions: [admonition, attr_list, tables, toc]
plugins:
  - search
"""
# Reports the build's own peak memory when it exits.
BUILD = ("import atexit, resource, sys\n"
         "atexit.register(lambda: print('maxrss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
         " file=sys.stderr))\n"
         "from mkdocs.__main__ import cli\n"
         "cli(['build', '-q', '-d', sys.argv[1]])\n")


def timed_build(root: Path) -> tuple[float, int]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", BUILD, str(root / "site")], cwd=root, env=env,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{result.stderr}")
    peak = int(result.stderr.rsplit("maxrss_kb", 1)[1].split()[0])
    return elapsed, peak


def largest_person_page(root: Path) -> int:
    """The size in bytes of the biggest person page's HTML in a built site."""
    return max(page.stat().st_size for page in (root / "site" / "people").glob("*/index.html"))


def handbook_site(root: Path, contacts: int, realistic: bool) -> Path:
    if realistic:
        write_realistic_handbook(root, contacts)
    else:
        write_handbook(root, contacts)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Bench\n")
    (root / "mkdocs.yml").write_text(BASE_CONFIG + f"  - handbook:\n      today: {TODAY.isoformat()}\n")
    return root


def bare_site(root: Path, handbook_root: Path) -> Path:
    """The same Markdown the plugin generates, written out as ordinary pages."""
    result = load_handbook(handbook_root / "handbook", handbook_root)
    site = build_site(result.handbook, Settings(), TODAY)
    docs = root / "docs"
    pages = {page.path: page.markdown for page in render_pages(site)} | guidance_pages()
    pages["index.md"] = "# Bench\n"
    for path, text in pages.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(BASE_CONFIG)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--realistic", action="store_true",
                        help="the realistic handbook of synthetic.py (default: the uniform one of the first figures)")
    args = parser.parse_args()
    print(f"{'contacts':>8}  {'bare MkDocs':>12}  {'handbook':>12}  {'ratio':>6}  {'bare peak':>10}  "
          f"{'handbook peak':>13}  {'largest person page':>19}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            plugin_root = handbook_site(Path(tmp) / "handbook-site", size, args.realistic)
            bare_root = bare_site(Path(tmp) / "bare-site", plugin_root)
            bare_s, bare_kb = timed_build(bare_root)
            plugin_s, plugin_kb = timed_build(plugin_root)
            print(f"{size:>8}  {bare_s:>10.1f} s  {plugin_s:>10.1f} s  {plugin_s / bare_s:>6.2f}  "
                  f"{bare_kb / 1024:>7.0f} MB  {plugin_kb / 1024:>10.0f} MB  "
                  f"{largest_person_page(plugin_root) / 1024:>16.1f} KB", flush=True)


if __name__ == "__main__":
    main()
