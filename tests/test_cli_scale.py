"""What keeps the CLI quick in a big handbook (the times themselves are in bench/cli_bench.py):
each command imports only what it needs, and an edit reads only the file it edits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import HandbookDir, clean_env, run_cli

TODAY = {"HANDBOOK_TODAY": "2026-03-01"}
# Imported only by the commands that render pages, export, lock or draw the network, never by the daily ones.
HEAVY = ("mkdocs", "jinja2", "markdown", "nh3", "icalendar", "vobject", "networkx", "packaging")
# Imported only by the commands that plan or render pages: not by `due` or `promises`.
PAGES = ("networking_handbook.build", "networking_handbook.site.structure", "networking_handbook.site.render")
# Imported only by the commands that write files.
WRITING = ("networking_handbook.edit.commands", "networking_handbook.edit.yaml_text",
           "networking_handbook.edit.safe_write", "networking_handbook.edit.output_folder")


def imported(modules: tuple[str, ...], args: list[str], cwd: Path) -> list[str]:
    """Which of `modules` the real `handbook ARGS` imports, run in a new interpreter."""
    script = ("import atexit, json, sys\n"
              f"atexit.register(lambda: print(json.dumps([m for m in {modules!r} if m in sys.modules])))\n"
              "from networking_handbook.cli import main\n"
              "main(sys.argv[1:], prog_name='handbook')\n")
    result = subprocess.run([sys.executable, "-c", script, *args], cwd=cwd, env=clean_env(**TODAY),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found: list[str] = json.loads(result.stdout.splitlines()[-1])
    return found


@pytest.fixture
def ana(site: HandbookDir) -> Path:
    site.event("meetup", "name: Meetup\non: 2026-02-26\n")
    site.contact("bo", "name: Bo\n")
    return site.contact("ana-souza", "name: Ana Souza\npromises:\n  - {by: me, what: send the deck, on: 2026-02-01}\n")


@pytest.mark.parametrize("args", [
    ["check"], ["due"], ["promises"], ["log", "ana-souza", "--note", "coffee"],
    ["promise", "ana-souza", "--by", "me", "--what", "an intro"], ["done", "ana-souza", "1"],
    ["add", "Cy Doe"],
])
def test_the_daily_commands_import_no_renderer_or_exporter(site: HandbookDir, ana: Path, args: list[str]) -> None:
    assert imported(HEAVY, args, site.root) == []


@pytest.mark.parametrize("args", [["due"], ["promises"]])
def test_due_and_promises_import_no_page_planning(site: HandbookDir, ana: Path, args: list[str]) -> None:
    assert imported(PAGES, args, site.root) == []


@pytest.mark.parametrize("args", [["check"], ["due"], ["promises"], ["network"]])
def test_the_commands_that_only_read_import_no_writer(site: HandbookDir, ana: Path, args: list[str]) -> None:
    assert imported(WRITING, args, site.root) == []


def test_help_still_lists_every_command(site: HandbookDir) -> None:
    result = run_cli("--help", cwd=site.root)
    listed = {line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == {"add", "audit", "check", "done", "due", "export", "generate", "import", "init", "lock", "log",
                      "network", "promise", "promises", "schema"}


@pytest.fixture
def no_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the whole handbook fails: what still works reads single files only."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole handbook was loaded")
    monkeypatch.setattr("networking_handbook.cli.workspace.load_handbook", refuse)


@pytest.mark.parametrize("args", [
    ["log", "ana-souza", "--note", "coffee", "--event", "meetup", "--with", "bo", "--knows", "bo"],
    ["promise", "ana-souza", "--by", "them", "--what", "an intro"],
    ["done", "ana-souza", "1"],
])
def test_an_edit_reads_only_the_files_it_names(site: HandbookDir, ana: Path, no_loading: None,
                                               args: list[str]) -> None:
    result = run_cli(*args, cwd=site.root, **TODAY)
    assert result.returncode == 0, result.stderr
    assert "2026-03-01" in ana.read_text(encoding="utf-8")


def test_an_edit_still_suggests_a_slug_from_the_file_names(site: HandbookDir, ana: Path, no_loading: None) -> None:
    result = run_cli("log", "ana", "--with", "bo", cwd=site.root, **TODAY)
    assert result.returncode == 1 and "did you mean `ana-souza`" in result.stderr.lower()
    wrong_event = run_cli("log", "ana-souza", "--event", "meetpu", cwd=site.root, **TODAY)
    assert wrong_event.returncode == 1 and "`meetup`" in wrong_event.stderr


def test_an_edit_of_a_file_with_errors_is_still_refused(site: HandbookDir, no_loading: None) -> None:
    broken = site.contact("cy", "name: Cy\nstage: sleeping\n")
    before = broken.read_bytes()
    result = run_cli("log", "cy", "--note", "coffee", cwd=site.root, **TODAY)
    assert result.returncode == 1 and "has errors; fix them first" in result.stderr
    assert broken.read_bytes() == before


def test_check_plans_the_pages_without_making_a_person_view(site: HandbookDir, ana: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """`check` checks every page's URL, which needs no person page's lists."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a person view was made")
    monkeypatch.setattr("networking_handbook.site.structure._person", refuse)
    site.contact("index-2", "name: Index\n")
    result = run_cli("check", cwd=site.root, **TODAY)
    assert result.returncode == 0, result.stderr
    assert "4 files checked (3 contacts, 1 events)" in result.stderr


def test_check_plans_the_pages_without_computing_the_network(site: HandbookDir, ana: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The network (clusters of the whole tie graph) is for the pages that show it, not for `check`."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the network was computed")
    monkeypatch.setattr("networking_handbook.site.structure.compute_network", refuse)
    result = run_cli("check", cwd=site.root, **TODAY)
    assert result.returncode == 0, result.stderr
    generated = run_cli("generate", "--out", str(site.root / "out"), cwd=site.root, **TODAY)
    assert generated.returncode != 0 and "the network was computed" in generated.stderr  # the pages do need it


@pytest.mark.parametrize("running", [True, False])
def test_the_collector_pauses_while_files_are_parsed(site: HandbookDir, ana: Path, monkeypatch: pytest.MonkeyPatch,
                                                     running: bool) -> None:
    """Not while anything else runs, and left as the caller had it."""
    import gc

    from networking_handbook.core import handbook
    seen: list[bool] = []
    parse = handbook.FileCache.parse

    def noting(cache: handbook.FileCache, note: handbook.NoteFile) -> handbook.ParsedFile:
        seen.append(gc.isenabled())
        return parse(cache, note)
    monkeypatch.setattr(handbook.FileCache, "parse", noting)
    (gc.enable if running else gc.disable)()
    try:
        result = handbook.load_handbook(site.root / "handbook", site.root)
        assert gc.isenabled() is running
    finally:
        gc.enable()
    assert seen == [False] * 3 and set(result.handbook.contacts) == {"ana-souza", "bo"}


@pytest.mark.parametrize("args", [["check"], ["due"]])
def test_the_collector_is_off_until_a_command_that_loads_everything_ends(site: HandbookDir, ana: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         args: list[str]) -> None:
    """Not collecting the millions of objects of a big handbook after the load; on again after,
    for a caller that goes on (this test)."""
    import gc

    from networking_handbook.core import rules
    seen: list[bool] = []
    compute = rules.compute_items

    def noting(*arguments: object) -> list[rules.Item]:
        seen.append(gc.isenabled())
        return compute(*arguments)  # type: ignore[arg-type]
    monkeypatch.setattr("networking_handbook.core.rules.compute_items", noting)
    monkeypatch.setattr("networking_handbook.cli.due.compute_items", noting)
    monkeypatch.setattr("networking_handbook.site.structure.compute_items", noting)
    assert gc.isenabled()
    result = run_cli(*args, cwd=site.root, **TODAY)
    assert result.returncode == 0, result.stderr
    assert seen == [False] and gc.isenabled()
