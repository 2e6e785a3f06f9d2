"""`mkdocs serve` keeps serving with bad data, shows a problems page, and rebuilds on YAML edits;
`mkdocs serve --dirty` (the command for a big handbook) shows an edit on every page it changes."""

from __future__ import annotations

import gc
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import jinja2
import pytest

from networking_handbook.plugin import HandbookPlugin

from .conftest import HandbookDir, clean_env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _wait_for(url: str, check: Callable[[int, str], bool], seconds: float = 60) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while True:
        status, body = _get(url)
        if check(status, body) or time.monotonic() > deadline:
            return status, body
        time.sleep(0.3)


def _without_reload_script(page: str) -> str:
    """A served page without the script `mkdocs serve` adds to it (it names the latest build)."""
    return re.sub(r"<script>\s*var livereload.*?</script>", "", page, flags=re.DOTALL)


@contextmanager
def _serving(site: HandbookDir, *options: str) -> Iterator[tuple[str, list[str]]]:
    """`mkdocs serve OPTIONS` on a free port: its address, and its terminal output once it stopped."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", *options, "-a", f"127.0.0.1:{port}"],
        cwd=site.root, env=clean_env(HANDBOOK_TODAY="2026-03-01"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    terminal: list[str] = []
    try:
        yield f"http://127.0.0.1:{port}", terminal
    finally:
        server.terminate()
        terminal.append(server.communicate(timeout=30)[0])


def test_serve_shows_problems_and_reloads_on_yaml_changes(site: HandbookDir) -> None:
    good = site.contact("good", "name: Good Person\n")
    bad = site.contact("bad", "name: Bad Person\nstage: sleeping\n")
    with _serving(site) as (base, terminal):
        status, problems = _wait_for(f"{base}/problems/", lambda s, _: s == 200)
        assert status == 200, "serve did not come up with a problems page"
        assert "handbook/contacts/bad.yml:2:8" in problems
        assert "is not a valid" in problems
        status, dashboard = _get(f"{base}/dashboard/")
        assert status == 200 and "1 problem in your notes" in dashboard and 'href="../problems/"' in dashboard
        assert _get(f"{base}/people/good/")[0] == 200

        time.sleep(1.1)  # let the file's modification time move on
        good.write_text("name: Renamed Person\n", encoding="utf-8")
        status, page = _wait_for(f"{base}/people/good/", lambda s, body: "Renamed Person" in body)
        assert "Renamed Person" in page, "serve did not rebuild after a YAML change"

        bad.write_text("name: Bad Person\nstage: active\n", encoding="utf-8")
        status, _ = _wait_for(f"{base}/problems/", lambda s, _: s == 404)
        assert status == 404, "the problems page should go once the problem is fixed"
        assert _get(f"{base}/people/bad/")[0] == 200
    output = terminal[0]
    assert "handbook/contacts/bad.yml:2:8: error:" in output  # also told in the terminal
    assert "Traceback" not in output


def test_serve_dirty_shows_an_edit_on_every_page_it_changes_and_problems_come_and_go(site: HandbookDir) -> None:
    """Under `mkdocs serve --dirty`, renaming someone shows on their page, the dashboard, the
    home page's Today list and the pages linking to them; a YAML error shows on the problems
    page and in the terminal, and both go once it is fixed; a deleted contact's page goes."""
    (site.root / "docs" / "index.md").write_text("# Home\n\n<!-- handbook:today -->\n", encoding="utf-8")
    bo = site.contact("bo", "name: Bo Berg\nmet:\n  on: 2026-02-20\n  at: meetup\n")
    site.contact("ana", "name: Ana Souza\nmet:\n  on: 2026-01-02\n  at: meetup\n  via: bo\n"
                        "interactions:\n  - on: 2026-02-27\n    kind: call\n")
    eve = site.contact("eve", "name: Eve Faro\n")
    site.event("meetup", "name: Design Meetup\non: 2026-01-02\npeople: [ana, bo]\n")
    with _serving(site, "--dirty") as (base, terminal):
        status, page = _wait_for(f"{base}/people/bo/", lambda s, _: s == 200)
        assert status == 200 and "Bo Berg" in page, "serve --dirty did not come up"
        showing_bo = ["/people/bo/", "/dashboard/", "/", "/people/ana/", "/events/meetup/", "/people/"]
        assert all("Bo Berg" in _get(base + path)[1] for path in showing_bo)
        before = _without_reload_script(_get(f"{base}/people/eve/")[1])

        time.sleep(1.1)  # let the file's modification time move on
        bo.write_text(bo.read_text(encoding="utf-8").replace("Bo Berg", "Bo Renamed"), encoding="utf-8")
        _wait_for(f"{base}/people/bo/", lambda s, body: "Bo Renamed" in body)
        for path in showing_bo:
            page = _get(base + path)[1]
            assert "Bo Renamed" in page and "Bo Berg" not in page, path
        assert _without_reload_script(_get(f"{base}/people/eve/")[1]) == before  # a page the edit does not change

        bo.write_text("name: [Bo Renamed\n", encoding="utf-8")
        status, problems = _wait_for(f"{base}/problems/", lambda s, _: s == 200)
        assert status == 200 and "handbook/contacts/bo.yml:1:" in problems
        assert "Bo Renamed" in _get(f"{base}/people/bo/")[1]  # the last valid version stays

        bo.write_text("name: Bo Fixed\n", encoding="utf-8")
        status, _ = _wait_for(f"{base}/problems/", lambda s, _: s == 404)
        assert status == 404, "the problems page should go once the problem is fixed"
        assert "Bo Fixed" in _get(f"{base}/people/ana/")[1]

        eve.unlink()
        status, _ = _wait_for(f"{base}/people/eve/", lambda s, _: s == 404)
        assert status == 404, "a deleted contact's page should go"
        assert "Eve Faro" not in _get(f"{base}/people/")[1]
    output = terminal[0]
    assert "handbook/contacts/bo.yml:1:" in output and "error:" in output  # also told in the terminal
    assert "generated files changed" in output
    assert "Traceback" not in output


# Two builds in one process, as `mkdocs serve --dirty` runs them (one set of plugin objects):
# prints the modification time of every output after each, and what it rebuilt.
DIRTY_BUILDS = """
import json, os, pathlib, sys, tempfile
program = sys.argv[1]
if program == "properdocs":
    import properdocs.replacement  # what the properdocs command imports: mkdocs.* is properdocs.*
from mkdocs.commands.build import build
from mkdocs.config import load_config

site_dir = tempfile.mkdtemp()
plugins = None

def outputs():
    found = {str(path.relative_to(site_dir)): path.stat().st_mtime_ns
             for path in pathlib.Path(site_dir).rglob("*.html")}
    index = json.loads((pathlib.Path(site_dir) / "search" / "search_index.json").read_text())
    found["search"] = [(entry["location"], entry["title"]) for entry in index["docs"]]
    return found

def rebuild():
    global plugins
    config = load_config("mkdocs.yml", site_dir=site_dir)
    if plugins is None:
        plugins = config.plugins
        plugins.on_startup(command="serve", dirty=True)
    config.plugins = plugins
    build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
    return outputs()

found = [rebuild()]
for step in sys.argv[2:]:
    name, _, text = step.partition("=")
    path = pathlib.Path(name)
    if text:
        path.write_text(text.replace("|", "\\n"), encoding="utf-8")
    else:
        path.unlink()
    found.append(rebuild())
print(json.dumps(found))
"""


@pytest.mark.parametrize("program", ["mkdocs", "properdocs"])
def test_a_dirty_rebuild_writes_only_the_pages_an_edit_changed(site: HandbookDir, program: str) -> None:
    (site.root / "docs" / "index.md").write_text("# Home\n\n<!-- handbook:today -->\n", encoding="utf-8")
    (site.root / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    site.contact("bo", "name: Bo Berg\n")
    site.contact("ana", "name: Ana Souza\nmet:\n  via: bo\n")
    site.contact("eve", "name: Eve Faro\nmet:\n  on: 2026-02-28\n")
    site.contact("cy", "name: Cy Dalton\n")
    steps = [
        "handbook/contacts/bo.yml=name: Bo Renamed|",  # Bo's page and Ana's, which names Bo
        "handbook/contacts/eve.yml=name: Eve Faro|met:|  on: 2026-02-01|",  # her follow-up is now overdue: Today
        "handbook/contacts/cy.yml=",  # deleted
        "mkdocs.yml=" + (site.root / "mkdocs.yml").read_text(encoding="utf-8").replace("|", "")
        .replace("site_name: Test", "site_name: Renamed").replace("\n", "|"),
    ]
    result = subprocess.run([sys.executable, "-c", DIRTY_BUILDS, program, *steps], cwd=site.root,
                            env=clean_env(HANDBOOK_TODAY="2026-03-01"), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    first, renamed, overdue, deleted, reconfigured = json.loads(result.stdout)
    for build in (first, renamed, overdue, deleted, reconfigured):
        build["search"] = [tuple(entry) for entry in build["search"]]

    def rewritten(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
        return {path for path, stamp in after.items() if before.get(path) != stamp and path != "search"}

    # search finds each page once, as it is now (Material's index, merged with the last build's)
    for build in (first, renamed, overdue, deleted, reconfigured):
        assert len(build["search"]) == len(set(build["search"]))
        assert {location.split("#")[0] for location, _ in build["search"]} >= {"", "people/eve/", "about/"}
    assert ("people/bo/", "Bo Berg") in first["search"] and ("people/bo/", "Bo Renamed") in renamed["search"]
    assert not [entry for entry in renamed["search"] if "Bo Berg" in entry[1]]
    assert not [location for location, _ in deleted["search"] if location.startswith("people/cy/")]

    assert rewritten(first, renamed) >= {"people/bo/index.html", "people/ana/index.html"}
    assert not rewritten(first, renamed) & {"people/eve/index.html", "people/cy/index.html", "about/index.html",
                                            "guide/index.html", "index.html"}
    assert "index.html" in rewritten(renamed, overdue)  # the home page: its Today list changed
    assert "people/cy/index.html" in overdue and "people/cy/index.html" not in deleted
    assert rewritten(deleted, reconfigured) == set(reconfigured) - {"search"}  # a new config: every page


SERVE_TWICE = """
import logging, sys, tempfile
from mkdocs.commands.build import build
from mkdocs.config import load_config
import networking_handbook.plugin

logging.basicConfig(level=logging.INFO, format="%(message)s")
networking_handbook.plugin.BIG_HANDBOOK = 2  # this site's two contacts stand for a big handbook
dirty = sys.argv[1] == "--dirty"
config = load_config("mkdocs.yml", site_dir=tempfile.mkdtemp())
config.plugins.on_startup(command="serve", dirty=dirty)
for _ in range(2):
    build(config, serve_url="http://127.0.0.1:8000/", dirty=dirty)
"""


@pytest.mark.parametrize("dirty", [False, True])
def test_serving_a_big_handbook_without_dirty_prints_a_hint_once(site: HandbookDir, dirty: bool) -> None:
    site.contact("ana", "name: Ana Souza\n")
    site.contact("bo", "name: Bo Berg\n")
    result = subprocess.run([sys.executable, "-c", SERVE_TWICE, "--dirty" if dirty else "--clean"], cwd=site.root,
                            env=clean_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    hints = result.stderr.count("2 contacts: `mkdocs serve --dirty` rebuilds only the pages an edit changes")
    assert hints == (0 if dirty else 1), result.stderr


def test_serving_keeps_what_the_first_build_made_out_of_full_garbage_collections() -> None:
    """After the first build, `mkdocs serve` calls `on_serve`: what that build keeps (the parsed
    files, the render memo) is frozen out of the collector's full passes, which scanned it
    on every rebuild (bench/serve_bench.py)."""
    server = object()
    gc.unfreeze()
    try:
        assert HandbookPlugin().on_serve(server, config=None, builder=lambda: None) is server  # type: ignore[arg-type]
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_serving_compiles_a_theme_template_once_and_again_when_it_changes() -> None:
    """Each serve build makes a new theme environment; the plugin keeps the templates it
    compiled (`on_env`), and Jinja compiles one again when its source changed."""
    plugin = HandbookPlugin()
    plugin.on_startup(command="serve", dirty=True)

    def environment(source: str) -> jinja2.Environment:
        env = jinja2.Environment(loader=jinja2.DictLoader({"main.html": source}), auto_reload=False)
        return plugin.on_env(env, config=None, files=None)  # type: ignore[arg-type]
    assert environment("one {{ 1 }}").get_template("main.html").render() == "one 1"
    again = environment("one {{ 1 }}")
    with mock.patch.object(again, "compile", side_effect=AssertionError("compiled again")):
        assert again.get_template("main.html").render() == "one 1"
    assert environment("two {{ 2 }}").get_template("main.html").render() == "two 2"


def test_a_build_lets_go_of_what_it_froze_when_it_ends() -> None:
    """`mkdocs build` freezes what is alive when the plugin's `on_files` starts; once the build
    ends (or fails), a process that builds again collects it as usual."""
    plugin = HandbookPlugin()
    plugin.on_startup(command="build", dirty=False)
    for end in (lambda: plugin.on_post_build(config=None), lambda: plugin.on_build_error(error=RuntimeError())):  # type: ignore[arg-type]
        gc.freeze()
        try:
            end()
            assert gc.get_freeze_count() == 0
        finally:
            gc.unfreeze()
