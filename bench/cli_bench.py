"""The CLI at scale (issue 15): `handbook check`, `due` and `log` in a synthetic handbook.

Writes a realistic handbook of N contacts (bench/synthetic.py) to a temporary folder and runs
each command as a real process, as a user does, after a warm-up, interleaved with the
references, so a figure and its reference see the same machine: `python -c pass` (interpreter
start-up) and a bare libyaml parse of the same files (the floor of any check that reads them).
Each run's CPU time and peak memory come from the kernel's accounting of that process (wait4).
Prints min, median and max of each figure, and the median ratio to `python -c pass`.
Targets: check and due under 1 s, log under 0.5 s. Run: `python bench/cli_bench.py [--contacts 5000]`.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import TODAY, write_realistic_handbook

TARGETS = {"handbook check": 1.0, "handbook due": 1.0, "handbook log": 0.5}
BARE_PARSE = ("import pathlib, yaml\n"
              "for path in sorted(pathlib.Path('handbook').glob('*/*.yml')):\n"
              "    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)\n")


@dataclass
class Runs:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)


def run_once(command: list[str], cwd: Path, runs: Runs | None) -> None:
    """One run of `command`, its output thrown away; its figures added to `runs` (None: a warm-up)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", HANDBOOK_TODAY=TODAY.isoformat())
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{errors.decode(errors='replace')}")
    if runs is not None:
        runs.wall.append(elapsed)
        runs.cpu.append(usage.ru_utime + usage.ru_stime)
        runs.peak_mb.append(usage.ru_maxrss / 1024)


def handbook_command() -> list[str]:
    """The `handbook` script installed beside this Python, as a user runs it."""
    script = Path(sys.executable).with_name("handbook")
    return [str(script)] if script.exists() else [sys.executable, "-m", "networking_handbook"]


def commands(slug: str) -> dict[str, list[str]]:
    handbook = handbook_command()
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "bare libyaml parse": [sys.executable, "-c", BARE_PARSE],
        "handbook check": [*handbook, "check"],
        "handbook due": [*handbook, "due"],
        "handbook log": [*handbook, "log", slug, "--kind", "call", "--note", "Benchmark call"],
    }


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
        results = {name: Runs() for name in listed}
        for _ in range(args.warmup):
            for command in listed.values():
                run_once(command, root, None)
        for _ in range(args.repeats):  # interleaved: every command once per round
            for name, command in listed.items():
                run_once(command, root, results[name])
        files = sum(1 for _ in (root / "handbook").glob("*/*.yml"))
        size = sum(path.stat().st_size for path in (root / "handbook").glob("*/*.yml"))
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {args.contacts} contacts "
          f"({files} files, {size / 1e6:.1f} MB); {args.repeats} runs each after {args.warmup} warm-up, interleaved")
    print(f"{'':<20}{'wall min':>11}{'median':>11}{'max':>11}   {'cpu min':>10}{'median':>11}{'max':>11}"
          f"   {'peak MB':>8}   {'wall / start-up':>15}   target")
    start_up = statistics.median(results["python -c pass"].wall)
    missed = 0
    for name, runs in results.items():
        target = TARGETS.get(name)
        median = statistics.median(runs.wall)
        verdict = "" if target is None else f"< {target} s: {'yes' if median < target else 'NO'}"
        missed += target is not None and median >= target
        print(f"{name:<20}{spread(runs.wall, ' s')}   {spread(runs.cpu, ' s')}   {max(runs.peak_mb):>8.0f}"
              f"   {median / start_up:>15.1f}   {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
