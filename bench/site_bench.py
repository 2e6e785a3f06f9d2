"""Whole builds of synthetic handbooks with the plugin, against bare MkDocs, in one run.

For each size: (a) a site whose pages the handbook plugin generates from the YAML, and (b) a
bare MkDocs + Material site of the very same Markdown pages, pre-written to `docs/` (no
plugin). Both keep person pages out of the navigation. The two are built in turn, repeat after
repeat (ABBA order, so a machine growing busier slows both alike), each as a real process whose
CPU time and peak memory come from the kernel's accounting (wait4). Prints, per size, the min
and median of each figure, the plugin's ratio to bare, and across sizes how the time grows;
then each of issue 15's targets, met or missed. The plugin's builds share a parse cache of
the run's own (`core/parse_cache.py`): the first, with it empty, is also printed apart.

Run: `python bench/site_bench.py [--sizes 1000 5000 20000] [--repeats 3] [--json FILE]`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
from dataclasses import asdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import Runs, run_once
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
BUILD = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"]
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
# Issue 15's targets.
MAX_RATIO = 1.10  # plugin build over bare, at 5,000 contacts
MAX_GROWTH = 4.3  # 20,000 contacts over 5,000
MAX_PEAK_MB = 2048
MAX_PEAK_ABOVE_BARE = 0.15


def handbook_site(root: Path, contacts: int, shape: str) -> Path:
    (write_realistic_handbook if shape == "realistic" else write_handbook)(root, contacts)
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


def largest_person_page(root: Path) -> int:
    """The size in bytes of the biggest person page's whole HTML in a built site."""
    return max(page.stat().st_size for page in (root / "site" / "people").glob("*/index.html"))


def measure(size: int, shape: str, repeats: int, tmp: Path) -> dict[str, object]:
    plugin_root = handbook_site(tmp / "handbook-site", size, shape)
    bare_root = bare_site(tmp / "bare-site", plugin_root)
    bare, plugin = Runs(), Runs()
    env = ENV | {"HANDBOOK_CACHE_DIR": str(tmp / "cache")}  # the run's own parse cache, empty at first
    env.pop("HANDBOOK_CACHE", None)
    for repeat in range(repeats):
        order = [(bare_root, bare), (plugin_root, plugin)]
        for root, runs in order if repeat % 2 == 0 else reversed(order):
            run_once(BUILD, root, runs, env)
            print(f"  {size} {'bare' if runs is bare else 'plugin'} #{repeat + 1}: {runs.wall[-1]:.1f} s wall, "
                  f"{runs.cpu[-1]:.1f} s CPU, {runs.peak_mb[-1]:.0f} MB", flush=True)
    return {"contacts": size, "bare": asdict(bare), "plugin": asdict(plugin),
            "largest_person_page_kb": largest_person_page(plugin_root) / 1024}


def report(results: list[dict[str, object]]) -> list[str]:
    """The figures as a table, then the targets; returns the targets missed."""
    print(f"\n{'contacts':>8}  {'figure':>8}  {'bare min':>9}  {'bare med':>9}  {'plugin min':>10}  "
          f"{'plugin med':>10}  {'ratio min':>9}  {'ratio med':>9}")
    runs = {int(r["contacts"]): (Runs(**r["bare"]), Runs(**r["plugin"])) for r in results}  # type: ignore[arg-type,call-overload]
    for size, (bare, plugin) in runs.items():
        for figure, unit in (("wall", "s"), ("cpu", "s"), ("peak_mb", "MB")):
            b_min, b_med, _ = bare.summary(figure)
            p_min, p_med, _ = plugin.summary(figure)
            print(f"{size:>8}  {figure:>8}  {b_min:>7.1f}{unit:>2}  {b_med:>7.1f}{unit:>2}  {p_min:>8.1f}{unit:>2}  "
                  f"{p_med:>8.1f}{unit:>2}  {p_min / b_min:>9.2f}  {p_med / b_med:>9.2f}")
    for r in results:
        print(f"{r['contacts']:>8}  largest person page (whole HTML): {r['largest_person_page_kb']:.1f} KB")
    for size, (bare, plugin) in runs.items():  # the others read the parse cache it wrote
        print(f"{size:>8}  the plugin's first build, with an empty parse cache (a fresh machine): "
              f"{plugin.wall[0]:.1f} s, {plugin.wall[0] / bare.summary('wall')[1]:.2f} times bare's median")
    sizes = sorted(runs)
    for small, big in itertools.pairwise(sizes):
        grow = [runs[big][i].summary("wall")[1] / runs[small][i].summary("wall")[1] for i in (0, 1)]
        print(f"{big} over {small} contacts ({big / small:.1f} times the people): bare {grow[0]:.2f} times the "
              f"time, plugin {grow[1]:.2f}")
    missed = []

    def target(ok: bool, text: str) -> None:
        print(f"{'meets' if ok else 'MISSES'}: {text}")
        if not ok:
            missed.append(text)

    print()
    for size, (bare, plugin) in runs.items():
        ratio = plugin.summary("wall")[1] / bare.summary("wall")[1]
        if size == 5000:
            target(ratio <= MAX_RATIO, f"build at 5,000 at most {MAX_RATIO} times bare (median {ratio:.2f})")
        if size != 20000:
            continue
        peak, bare_peak = plugin.summary("peak_mb")[2], bare.summary("peak_mb")[2]
        target(peak <= MAX_PEAK_MB, f"peak memory at {size} at most {MAX_PEAK_MB} MB ({peak:.0f} MB)")
        target(peak <= bare_peak * (1 + MAX_PEAK_ABOVE_BARE),
               f"peak memory at {size} at most {MAX_PEAK_ABOVE_BARE:.0%} above bare ({peak / bare_peak - 1:+.0%})")
    if 5000 in runs and 20000 in runs:
        growth = runs[20000][1].summary("wall")[1] / runs[5000][1].summary("wall")[1]
        target(growth <= MAX_GROWTH, f"20,000 contacts at most {MAX_GROWTH} times the 5,000 time ({growth:.2f})")
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeats", type=int, default=3, help="builds of each site per size (default 3)")
    parser.add_argument("--shape", choices=("realistic", "uniform"), default="realistic",
                        help="synthetic.py's realistic handbook (default) or the uniform one of the first figures")
    parser.add_argument("--json", type=Path, help="also write every run's figures to this file")
    args = parser.parse_args()
    print(f"{args.shape} handbooks, {args.repeats} builds each, load average {os.getloadavg()[0]:.1f}", flush=True)
    results = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            results.append(measure(size, args.shape, args.repeats, Path(tmp)))
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
    missed = report(results)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
