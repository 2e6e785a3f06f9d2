"""The CLI at scale (issue 15): `handbook check`, `due` and `log` in a synthetic handbook.

Writes a realistic handbook of N contacts (bench/synthetic.py) to a temporary folder and runs
each command as a real process, as a user does, after a warm-up, interleaved with the
references, so a figure and its reference see the same machine: `python -c pass` (interpreter
start-up) and a bare libyaml parse of the same files (the floor of any check that reads them).
`check` and `due` run three ways (core/parse_cache.py): cold (an empty cache folder: every
file parsed, the cache written), right after an edit (`handbook log` has just appended an
interaction to one contact: that file parsed, the cache rewritten) and warm (nothing changed
since the last run). Each run's CPU time and peak memory come from the kernel's accounting of
that process (wait4). Prints min, median and max of each figure, and the median ratio to
`python -c pass`. Targets: check and due under 1 s warm and after an edit, log under 0.5 s.
Run: `python bench/cli_bench.py [--contacts 5000]`.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import Runs, run_once
from networking_handbook.core.parse_cache import RACY_NS
from synthetic import TODAY, write_realistic_handbook

TARGETS = {"handbook check, warm": 1.0, "handbook check, after edit": 1.0, "handbook due, warm": 1.0,
           "handbook due, after edit": 1.0, "handbook log": 0.5}
SETTLE = "settle"
BARE_PARSE = ("import pathlib, yaml\n"
              "for path in sorted(pathlib.Path('handbook').glob('*/*.yml')):\n"
              "    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)\n")


def bench_env(cache: Path) -> dict[str, str]:
    """The environment of each run: the bench's day, and the cache in `cache`."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", HANDBOOK_TODAY=TODAY.isoformat(),
               HANDBOOK_CACHE_DIR=str(cache))
    env.pop("HANDBOOK_CACHE", None)
    return env


def handbook_command() -> list[str]:
    """The `handbook` script installed beside this Python, as a user runs it."""
    script = Path(sys.executable).with_name("handbook")
    return [str(script)] if script.exists() else [sys.executable, "-m", "networking_handbook"]


def commands(slug: str) -> list[tuple[str, list[str], bool]]:
    """One round, in order: (name, command, whether it runs with an empty cache folder). Each
    `after edit` follows a `handbook log`; `settle` (not measured) waits out the cache's racy
    window after the edits, so that the files they changed are kept and `warm` finds every file."""
    handbook = handbook_command()
    log = [*handbook, "log", slug, "--kind", "call", "--note", "Benchmark call"]
    return [
        ("python -c pass", [sys.executable, "-c", "pass"], False),
        ("bare libyaml parse", [sys.executable, "-c", BARE_PARSE], False),
        ("handbook check, cold", [*handbook, "check"], True),
        ("handbook due, cold", [*handbook, "due"], True),
        ("handbook log", log, False),
        ("handbook check, after edit", [*handbook, "check"], False),
        ("handbook log", log, False),
        ("handbook due, after edit", [*handbook, "due"], False),
        (SETTLE, [*handbook, "due"], False),
        ("handbook check, warm", [*handbook, "check"], False),
        ("handbook due, warm", [*handbook, "due"], False),
    ]


def spread(values: list[float], unit: str) -> str:
    return "".join(f"{value:>10.3f}{unit}" for value in (min(values), statistics.median(values), max(values)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_realistic_handbook(root, args.contacts)
        (root / "mkdocs.yml").write_text(f"site_name: Bench\nplugins:\n  - handbook:\n      today: {TODAY}\n")
        (root / "docs").mkdir()
        listed = commands("person-1")
        results = {name: Runs() for name, _, _ in listed if name != SETTLE}
        cache = root / "cache"
        for round_number in range(args.warmup + args.repeats):  # interleaved: every command once per round
            for name, command, cold in listed:
                if name == SETTLE:
                    time.sleep(RACY_NS / 1e9)
                folder = root / f"cold-{round_number}-{name}" if cold else cache  # a new, empty one
                measured = round_number >= args.warmup and name != SETTLE
                run_once(command, root, results[name] if measured else None, bench_env(folder))
        files = sum(1 for _ in (root / "handbook").glob("*/*.yml"))
        size = sum(path.stat().st_size for path in (root / "handbook").glob("*/*.yml"))
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {args.contacts} contacts "
          f"({files} files, {size / 1e6:.1f} MB); {args.repeats} runs each after {args.warmup} warm-up, interleaved")
    print(f"{'':<28}{'wall min':>11}{'median':>11}{'max':>11}   {'cpu min':>10}{'median':>11}{'max':>11}"
          f"   {'peak MB':>8}   {'wall / start-up':>15}   target")
    start_up = statistics.median(results["python -c pass"].wall)
    missed = 0
    for name, runs in results.items():
        target = TARGETS.get(name)
        median = statistics.median(runs.wall)
        verdict = "" if target is None else f"< {target} s: {'yes' if median < target else 'NO'}"
        missed += target is not None and median >= target
        print(f"{name:<28}{spread(runs.wall, ' s')}   {spread(runs.cpu, ' s')}   {max(runs.peak_mb):>8.0f}"
              f"   {median / start_up:>15.1f}   {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
