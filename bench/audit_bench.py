"""`handbook audit` on the example site, clear and encrypted: the best of a few runs.

Builds the repository's example handbook (and a copy with the settings `handbook init
--encrypt` writes) with `mkdocs build`, then times `audit_site` in this process, so the
figure is the audit's own work, not an interpreter start. Run: `python bench/audit_bench.py`.
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

from networking_handbook.core.handbook import load_handbook
from networking_handbook.hosting.audit import audit_site
from networking_handbook.hosting.encryption import SAFE_SETTINGS

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "bench-only-password-with-enough-bits-0123456789"


def built(folder: Path, *, encrypted: bool) -> Path:
    shutil.copytree(REPO, folder, ignore=shutil.ignore_patterns(".git", ".venv", "site", "*.egg-info", "bench"))
    if encrypted:
        with (folder / "mkdocs.yml").open("a", encoding="utf-8") as config:
            config.write(SAFE_SETTINGS)
    env = {**os.environ, "HANDBOOK_PASSWORD": PASSWORD, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "--strict"], cwd=folder, env=env, check=True)
    return folder / "site"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    handbook = load_handbook(REPO / "handbook", REPO).handbook
    with tempfile.TemporaryDirectory() as temporary:
        for encrypted in (False, True):
            site = built(Path(temporary) / f"encrypted-{encrypted}", encrypted=encrypted)
            times, findings = [], []
            for _ in range(runs):
                start = time.perf_counter()
                findings = audit_site(site, handbook, encrypted=encrypted)
                times.append(time.perf_counter() - start)
            files = sum(1 for path in site.rglob("*") if path.is_file())
            mode = "encrypted" if encrypted else "clear"
            print(f"{mode:9} {files} files, {len(findings)} findings: best {min(times) * 1000:.0f} ms of {runs} runs")


if __name__ == "__main__":
    main()
