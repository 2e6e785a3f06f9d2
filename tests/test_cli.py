"""The `handbook` CLI, in process through click's runner, and as a real process where that matters."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from networking_handbook.core.rule_table import RULES

from .conftest import REPO, HandbookDir, clean_env, run_cli, run_cli_process


def test_the_installed_command_runs_as_a_process() -> None:
    """Smoke tests of the real thing: the console script and `python -m`, start to exit."""
    script = Path(sys.executable).with_name("handbook")
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True, env=clean_env())
    assert version.returncode == 0 and version.stdout.startswith("handbook, version ")
    check = run_cli_process("check", cwd=REPO)
    assert check.returncode == 0 and "0 errors" in check.stderr, check.stderr
    due = run_cli_process("due", "--today", "2026-03-01", "--json", cwd=REPO)
    assert due.returncode == 0 and json.loads(due.stdout) == json.loads(
        run_cli("due", "--today", "2026-03-01", "--json", cwd=REPO).stdout)


def test_check_passes_on_the_example_handbook() -> None:
    result = run_cli("check", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "0 errors" in result.stderr


def test_due_on_the_example_shows_every_rule() -> None:
    result = run_cli("due", "--today", "2026-03-01", "--json", cwd=REPO)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["today"] == "2026-03-01"
    assert {item["rule"] for item in report["items"]} == {rule.id for rule in RULES}
    for item in report["items"]:
        assert list(item) == ["rule", "contact", "due", "days_overdue", "summary"]
        assert item["days_overdue"] >= 0
    keys = [(-item["days_overdue"], item["contact"], item["rule"]) for item in report["items"]]
    assert keys == sorted(keys)


def test_due_text_and_upcoming(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana Souza\npromises: [{by: me, what: send the deck, due: 2026-02-27}]\n")
    site.contact("bo", "name: Bo\ncadence: none\npromises: [{by: me, what: a call, due: 2026-02-02, done: 2026-02-02},"
                       " {by: them, what: an intro, due: 2026-03-04}]\n")
    result = run_cli("due", "--today", "2026-03-01", cwd=site.root)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "Due on 2026-03-01: 1 item",
        "  2026-02-27  2 days overdue    my-promise     ana  You promised Ana Souza: send the deck [promise 1]",
    ]
    upcoming = run_cli("due", "--today", "2026-03-01", "--upcoming", "3", cwd=site.root)
    assert upcoming.stdout.splitlines()[-1] == (
        "  2026-03-04  in 3 days         their-promise  bo   Bo promised you: an intro (a gentle reminder) [promise 2]")
    # The JSON keeps the SPEC's keys: the number `done` takes ends the summary, as in the text.
    report = json.loads(run_cli("due", "--today", "2026-03-01", "--upcoming", "3", "--json", cwd=site.root).stdout)
    assert [item["summary"] for item in report["items"]] == [
        "You promised Ana Souza: send the deck [promise 1]", "Bo promised you: an intro (a gentle reminder) [promise 2]"]
    assert run_cli("done", "bo", "2", cwd=site.root, HANDBOOK_TODAY="2026-03-01").returncode == 0
    assert "bo" not in run_cli("due", "--today", "2026-03-01", "--upcoming", "3", cwd=site.root).stdout
    nothing = run_cli("due", "--today", "2026-02-01", cwd=site.root)
    assert nothing.stdout == "Nothing due on 2026-02-01.\n"


def test_today_comes_from_option_then_environment_then_flag(site: HandbookDir) -> None:
    site.options("today: 2026-01-10")
    site.contact("ana", "name: Ana\npromises: [{by: me, what: x, due: 2026-01-01}]\n")

    def today(*args: str, **env: str) -> str:
        return json.loads(run_cli("due", "--json", *args, cwd=site.root, **env).stdout)["today"]

    assert today() == "2026-01-10"
    assert today(HANDBOOK_TODAY="2026-02-02") == "2026-02-02"
    assert today("--today", "2026-03-03", HANDBOOK_TODAY="2026-02-02") == "2026-03-03"


def test_bad_data_makes_due_fail_with_every_error(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nstage: sleeping\n")
    site.event("meetup", "name: Meetup\non: 2026-02-30\n")
    result = run_cli("due", "--json", cwd=site.root)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "handbook/contacts/ana.yml:2:8: error: `sleeping` is not a valid `stage`" in result.stderr
    assert "handbook/events/meetup.yml:2:5: error: `2026-02-30` is not a real date" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_prints_paths_relative_to_the_current_folder(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nemial: a@example.org\n")
    work = site.root / "work"
    work.mkdir()
    result = run_cli("check", "--config", "../mkdocs.yml", cwd=work)
    assert result.returncode == 1
    assert result.stdout == (
        "../handbook/contacts/ana.yml:2:1: error: unknown key `emial`\n"
        "   2 | emial: a@example.org\n"
        "     | ^\n"
        "    hint: did you mean `emails`?\n")


def test_config_tags_are_read_without_running_anything(site: HandbookDir) -> None:
    (site.root / "handbook" / "data").mkdir()
    site.contact("ana", "name: Ana\npromises: [{by: me, what: x, due: 2026-01-01}]\n")
    (site.root / "mkdocs.yml").write_text("""\
site_name: !ENV [SITE_NAME, Tagged]
theme:
  name: material
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/object/apply:os.system ["touch pwned"]
  - pymdownx.snippets:
      base_path: !relative $config_dir
plugins:
  - search
  - handbook:
      today: !ENV [MY_TODAY, "2026-01-05"]
""")
    result = run_cli("due", "--json", cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["today"] == "2026-01-05"
    assert json.loads(run_cli("due", "--json", cwd=site.root, MY_TODAY="2026-01-07").stdout)["today"] == "2026-01-07"
    assert not (site.root / "pwned").exists()


def test_invalid_plugin_options(site: HandbookDir) -> None:
    site.options("""
        first_follow_up: soon
        weekly_goal: 0
        todya: 2026-01-01
    """)
    result = run_cli("check", cwd=site.root)
    assert result.returncode == 1
    assert [line for line in result.stdout.splitlines() if not line.startswith(" ")] == [
        "mkdocs.yml:8:24: error: plugin option `first_follow_up`: expected a duration like `2w`, got `soon`",
        "mkdocs.yml:9:20: error: plugin option `weekly_goal`: must be 1 or more, got `0`",
        "mkdocs.yml:10:7: error: unknown option `todya` of the handbook plugin",
    ]
    assert "   9 |       weekly_goal: 0\n     |                    ^\n" in result.stdout
    assert "    hint: did you mean `today`?" in result.stdout.splitlines()


def test_bad_today_flag_and_missing_config(tmp_path: Path, site: HandbookDir) -> None:
    bad = run_cli("due", "--today", "2026-02-30", cwd=site.root)
    assert bad.returncode == 2
    assert "`2026-02-30` is not a real date as YYYY-MM-DD" in bad.stderr
    empty = tmp_path / "empty"
    (empty / ".git").mkdir(parents=True)  # the search upward stops at a repository's top, before tmp_path
    missing = run_cli("check", cwd=empty)
    assert missing.returncode == 1
    assert "no mkdocs.yml in" in missing.stderr and "--config FILE" in missing.stderr
    assert f"no mkdocs.yml in {empty} (the top of its git repository)" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_config_without_the_plugin_uses_defaults(site: HandbookDir) -> None:
    (site.root / "mkdocs.yml").write_text("site_name: Plain\n")
    site.contact("ana", "name: Ana\n")
    result = run_cli("check", cwd=site.root)
    assert result.returncode == 0
    assert "does not enable the `handbook` plugin" in result.stderr


def test_check_json_format_and_no_colour_when_piped(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nemails: a@b.org\n")
    result = run_cli("check", "--format", "json", cwd=site.root)
    assert result.returncode == 1
    assert json.loads(result.stdout) == [{
        "path": "handbook/contacts/ana.yml", "line": 2, "column": 9, "severity": "error",
        "message": "`emails` must be a list, not text", "hint": "write it as a list: `emails: [a@b.org]`",
    }]
    text = run_cli("check", cwd=site.root).stdout
    assert "\033[" not in text and text.startswith("handbook/contacts/ana.yml:2:9: error:")


def test_caret_lines_up_under_tabs_and_wide_characters(site: HandbookDir) -> None:
    site.contact("wide", 'name: Tanaka\nmet: {how: "日本\tx", on: 2026-02-30}\n')
    lines = run_cli("check", cwd=site.root).stdout.splitlines()
    assert lines[0].startswith("handbook/contacts/wide.yml:2:24: error: `2026-02-30` is not a real date")
    assert lines[1:3] == ['   2 | met: {how: "日本\tx", on: 2026-02-30}', "     | " + " " * 16 + "\t" + " " * 8 + "^"]


def test_schema_command_writes_the_packaged_schemas(tmp_path: Path) -> None:
    result = run_cli("schema", "--out", str(tmp_path / "schemas"), cwd=tmp_path)
    assert result.returncode == 0
    packaged = REPO / "plugins" / "networking_handbook" / "core" / "schemas"
    for name in ("contact.schema.json", "event.schema.json"):
        assert (tmp_path / "schemas" / name).read_text() == (packaged / name).read_text()


def test_every_command_is_documented_in_the_readme() -> None:
    from networking_handbook.cli import main
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [name for name in main.commands if f"handbook {name}" not in readme]
    assert missing == []


def test_an_option_yaml_cannot_read_as_a_number_is_a_positioned_error(site: HandbookDir) -> None:
    """`0x_` looks like a hex number to YAML 1.1, which then fails to read it: it stays text and
    is refused like any wrong value (MkDocs' own loader still raises on it before plugins run)."""
    site.options("weekly_goal: 0x_\n")
    result = run_cli("check", cwd=site.root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "mkdocs.yml:" in result.stdout and "expected a whole number like `5`, got the text `\"0x_\"`" in result.stdout
