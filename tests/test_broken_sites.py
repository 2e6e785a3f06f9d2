"""Broken sites: `handbook check` and `mkdocs build` refuse each one, with the same messages.

Each file in broken_sites/ is a small site (its files, and the environment it is built in);
broken_sites/expected/ holds the diagnostics both must print. Run with `UPDATE_GOLDEN=1` to
rewrite them after a deliberate change, then review the diff. Adding a case is adding a file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from .conftest import run_cli, run_mkdocs

CASES = Path(__file__).parent / "broken_sites"
GOLDEN = CASES / "expected"
# The diagnostic lines and their hints; not `check`'s source lines and carets, which a build has not.
_REPORTED = re.compile(r"^(\S+: (error|warning): |    hint: )")


class _CaseLoader(yaml.SafeLoader):
    """Case files hold mkdocs.yml as text, so its `!ENV` tags are only text here."""


def _reported(output: str) -> list[str]:
    return [line for line in output.splitlines() if _REPORTED.match(line)]


def _make_site(case: dict, root: Path) -> None:
    for folder in ("handbook/contacts", "handbook/events", "docs"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    for path, text in case["files"].items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("path", sorted(CASES.glob("*.yml")), ids=lambda p: p.stem)
def test_check_and_build_refuse_with_the_same_messages(path: Path, tmp_path: Path) -> None:
    case = yaml.load(path.read_text(encoding="utf-8"), Loader=_CaseLoader)
    env = {name: str(value) for name, value in (case.get("env") or {}).items()}
    _make_site(case, tmp_path)
    checked = run_cli("check", cwd=tmp_path, **env)
    built = run_mkdocs("build", "-d", str(tmp_path / "site"), cwd=tmp_path, **env)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert built.returncode == 1, built.stderr
    assert "Traceback" not in checked.stderr + built.stderr, checked.stderr + built.stderr
    assert not (tmp_path / "site" / "index.html").exists()
    reported = _reported(checked.stdout)
    assert reported, checked.stdout
    assert _reported(built.stderr) == reported, built.stderr
    golden = GOLDEN / f"{path.stem}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text("\n".join(reported) + "\n", encoding="utf-8")
    assert "\n".join(reported) + "\n" == golden.read_text(encoding="utf-8")


def test_every_golden_file_has_a_case() -> None:
    assert {p.stem for p in GOLDEN.glob("*.txt")} <= {p.stem for p in CASES.glob("*.yml")}
