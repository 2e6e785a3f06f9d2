"""Loading 2,000 contact files: our loader against bare `yaml.load(..., CSafeLoader)`.

Both read the same files in the same run; the figure that matters is the ratio. The
target (issue 2) is at most 1.5 for the load stage. Run: `python bench/load_bench.py`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.load import load_document
from synthetic import write_handbook


def timed(run: Callable[[], object], repeats: int) -> float:
    """The median of `repeats` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--max-ratio", type=float, default=1.5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = write_handbook(Path(tmp), args.contacts)
        paths = sorted((data / "contacts").glob("*.yml"))
        sizes = [path.stat().st_size for path in paths]

        def bare() -> None:
            for path in paths:
                yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)

        def ours() -> None:
            for path in paths:
                document, diagnostics = load_document(path.read_bytes(), path.name)
                assert document is not None and not diagnostics

        def whole() -> None:
            assert not load_handbook(data, Path(tmp)).diagnostics

        bare_s, ours_s, whole_s = (timed(run, args.repeats) for run in (bare, ours, whole))
    print(f"{len(paths)} contact files, mean {statistics.mean(sizes) / 1024:.2f} KB, 20 interactions each")
    print(f"bare yaml.load(CSafeLoader):       {bare_s * 1000:8.1f} ms  ({bare_s / len(paths) * 1e3:.3f} ms/file)")
    print(f"load stage (load_document):        {ours_s * 1000:8.1f} ms  ratio {ours_s / bare_s:.2f}")
    print(f"load + validate + cross-check:     {whole_s * 1000:8.1f} ms  ratio {whole_s / bare_s:.2f}")
    ok = ours_s / bare_s <= args.max_ratio
    print(f"load stage within {args.max_ratio}x of bare libyaml: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
