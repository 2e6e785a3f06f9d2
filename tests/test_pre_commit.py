"""The pre-commit hook, run by the real pre-commit against a scratch repository."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import REPO, HandbookDir, clean_env


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env=clean_env(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
                                 GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org"))


def _pre_commit(cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "handbook-check", "--all-files"],
        cwd=cwd, env=clean_env(PRE_COMMIT_HOME=str(home)), capture_output=True, text=True, timeout=900,
    )


def test_hook_fails_on_a_bad_file_and_passes_once_fixed(site: HandbookDir, tmp_path_factory) -> None:
    home = tmp_path_factory.mktemp("pre-commit-home")
    bad = site.contact("ana", "name: Ana\nstage: sleeping\n")
    _git("init", "-q", cwd=site.root)
    _git("add", ".", cwd=site.root)
    failed = _pre_commit(site.root, home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "handbook/contacts/ana.yml:2:8: error: `sleeping` is not a valid `stage`" in failed.stdout

    bad.write_text("name: Ana\nstage: active\n", encoding="utf-8")
    _git("add", ".", cwd=site.root)
    passed = _pre_commit(site.root, home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "handbook check" in passed.stdout and "Passed" in passed.stdout
