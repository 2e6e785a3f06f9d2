"""One process run and its figures, for the benchmarks: wall time, and from the kernel's
accounting of that process (wait4) its CPU time and peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Runs:
    """The figures of repeated runs of one command."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    def summary(self, figure: str) -> tuple[float, float, float]:
        """min, median and max of `figure` ("wall", "cpu" or "peak_mb")."""
        values: list[float] = getattr(self, figure)
        return min(values), statistics.median(values), max(values)


def run_once(command: Sequence[str], cwd: Path, runs: Runs | None, env: dict[str, str]) -> None:
    """One run of `command`, its output thrown away; its figures added to `runs` (None: a
    warm-up). A failed run stops the benchmark with its standard error."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}) in {cwd}:\n"
                         f"{errors.decode(errors='replace')[-4000:]}")
    if runs is not None:
        runs.wall.append(elapsed)
        runs.cpu.append(usage.ru_utime + usage.ru_stime)
        runs.peak_mb.append(usage.ru_maxrss / 1024)
