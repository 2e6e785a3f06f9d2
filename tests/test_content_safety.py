"""User text stays text wherever a site, a check or an export shows it (issue 12): no macro
plugin evaluates it, no link gains mail headers, no spreadsheet runs it as a formula, no CI
log quotes a private line, and an allowed same-name pair never fails a strict build."""

from __future__ import annotations

from .conftest import HandbookDir, run_cli, run_mkdocs


def test_same_name_contacts_pass_a_strict_build_and_check_still_says_so(site: HandbookDir) -> None:
    site.contact("ana-souza", "name: Ana Souza\n")
    site.contact("ana-souza-2", "name: Ana Souza\n")
    result = run_mkdocs("build", "--strict", cwd=site.root, HANDBOOK_TODAY="2026-02-01")
    assert result.returncode == 0, result.stderr
    checked = run_cli("check", cwd=site.root)
    assert checked.returncode == 0
    assert "note: `Ana Souza` is also the name in handbook/contacts/ana-souza.yml" in checked.stdout
    assert "0 errors, 0 warnings, 1 note" in checked.stderr
