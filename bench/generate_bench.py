"""`handbook generate` on synthetic handbooks: a first run, a second run (it must write
nothing), and a run after one contact changed (it must write only the pages that changed).
Run: `python bench/generate_bench.py [--sizes 1000 5000]`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import write_handbook

CONFIG = "site_name: Bench\ndocs_dir: docs\nplugins:\n  - handbook:\n      today: '2026-03-01'\n"


def timed_generate(root: Path) -> tuple[float, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "networking_handbook", "generate", "--out", "generated"],
                            cwd=root, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"generate failed in {root}:\n{result.stderr}")
    return elapsed, result.stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    for size in parser.parse_args().sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            write_handbook(root, size)
            (root / "mkdocs.yml").write_text(CONFIG)
            (root / "docs").mkdir()
            for label in ("first run", "second run"):
                elapsed, summary = timed_generate(root)
                print(f"{size} contacts, {label}: {elapsed:.2f} s ({summary})")
            contact = next((root / "handbook" / "contacts").glob("*.yml"))
            contact.write_text(contact.read_text().replace(" Example", " Changed", 1))
            elapsed, summary = timed_generate(root)
            print(f"{size} contacts, one contact changed: {elapsed:.2f} s ({summary})")


if __name__ == "__main__":
    main()
