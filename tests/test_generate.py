"""`handbook generate --out DIR` as a user runs it: a folder kept in step with the handbook,
written only where content changed, and built by other site generators without the plugin."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .conftest import REPO, HandbookDir, clean_env, run_cli, run_mkdocs

SECRET = "s3cret-feed-path-0123456789abcdef"
MANIFEST = ".handbook-generated.json"
PRIVATE = "Considering leaving Lumen"  # ana-souza.yml's `private`


def _tree(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder`: its modification time (ns) and bytes."""
    return {path.relative_to(folder).as_posix(): (path.stat().st_mtime_ns, path.read_bytes())
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def example(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".git", ".venv*", "site", "*.egg-info", "__pycache__"))
    return copy


def test_a_second_run_writes_nothing_and_the_folder_holds_pages_assets_robots_and_feed(example: Path) -> None:
    first = run_cli("generate", "--out", "generated", cwd=example, HANDBOOK_CALENDAR_SECRET=SECRET)
    assert first.returncode == 0, first.stderr
    out = example / "generated"
    before = _tree(out)
    assert {"dashboard.md", "people/ana-souza.md", "events/index.md", "tags/mentor.md", "guide/follow-up.md",
            "assets/handbook/handbook.css", "assets/handbook/handbook.js", "robots.txt",
            f"calendar/{SECRET}/handbook.ics", MANIFEST} <= before.keys()
    assert before["robots.txt"][1] == b"User-agent: *\nDisallow: /\n"
    manifest = json.loads(before[MANIFEST][1])
    assert set(manifest["files"]) == before.keys() - {MANIFEST}
    assert PRIVATE not in "".join(data.decode("utf-8", "replace") for _, data in before.values())
    time.sleep(0.01)  # a rewrite would show in the mtimes
    second = run_cli("generate", "--out", "generated", cwd=example, HANDBOOK_CALENDAR_SECRET=SECRET)
    assert second.returncode == 0, second.stderr
    assert _tree(out) == before, "a second run changed a file (content or mtime)"
    assert f"{len(before) - 1} files in generated: 0 written, 0 removed, {len(before) - 1} unchanged" in second.stderr


def test_only_changed_pages_are_rewritten_and_gone_ones_removed_but_never_the_users(example: Path) -> None:
    assert run_cli("generate", "--out", "generated", cwd=example).returncode == 0
    out = example / "generated"
    (out / "people" / "my-notes.md").write_text("# Mine\n")  # the user's, inside a generated folder
    (out / "guide" / "myths.md").write_text("# My myths\n")  # a generated page the user edited: it is ours
    before = _tree(out)
    time.sleep(0.01)
    (example / "handbook" / "contacts" / "wei-chen.yml").unlink()
    result = run_cli("generate", "--out", "generated", cwd=example)
    assert result.returncode == 0, result.stderr
    after = _tree(out)
    assert "people/wei-chen.md" not in after
    assert f"removed {Path('generated/people/wei-chen.md')} (no longer generated)" in result.stderr
    assert after["people/my-notes.md"] == before["people/my-notes.md"]
    assert after["guide/myths.md"][1] != b"# My myths\n", "a page the tool wrote is regenerated"
    changed = {path for path in after.keys() & before.keys() if after[path] != before[path]}
    # Removing Wei moves the clusters every person page shows, so pages change beyond hers; what
    # did not change in content was not rewritten either (its mtime is the same).
    same = {path for path in after.keys() & before.keys() if after[path][1] == before[path][1]}
    assert "guide/follow-up.md" in same and "events/index.md" in same
    assert all(after[path] == before[path] for path in same), "a file with the same content was rewritten"
    assert "people/index.md" in changed and "guide/myths.md" in changed


def test_a_folder_without_its_manifest_is_adopted_where_its_files_are_what_would_be_written(example: Path) -> None:
    assert run_cli("generate", "--out", "generated", cwd=example).returncode == 0
    out = example / "generated"
    (out / MANIFEST).unlink()  # lost, or a folder an earlier version wrote
    before = _tree(out)
    again = run_cli("generate", "--out", "generated", cwd=example)
    assert again.returncode == 0, again.stderr
    assert _tree(out).items() >= before.items() and (out / MANIFEST).exists()
    assert " 0 written, 0 removed" in again.stderr
    (out / MANIFEST).unlink()
    (out / "people" / "index.md").write_text("# My own people page\n")
    clash = run_cli("generate", "--out", "generated", cwd=example)
    assert clash.returncode == 1 and "which generated/people/index.md already uses" in clash.stderr.replace("\\", "/")


@pytest.mark.parametrize("manifest", ["[]", '{"files": {}}', "{"])
def test_a_manifest_it_cannot_read_stops_it_with_a_message(example: Path, manifest: str) -> None:
    (example / "generated").mkdir()
    (example / "generated" / MANIFEST).write_text(manifest)
    result = run_cli("generate", "--out", "generated", cwd=example)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"(is not a manifest of `handbook generate`|delete it to start the folder afresh)", result.stderr)
    assert [path.name for path in (example / "generated").iterdir()] == [MANIFEST]


def test_a_page_it_wrote_and_someone_changed_is_kept_when_no_longer_generated(example: Path) -> None:
    assert run_cli("generate", "--out", "generated", cwd=example).returncode == 0
    page = example / "generated" / "people" / "wei-chen.md"
    page.write_text("# Wei, with my own notes\n")
    (example / "handbook" / "contacts" / "wei-chen.yml").unlink()
    result = run_cli("generate", "--out", "generated", cwd=example)
    assert result.returncode == 0, result.stderr
    assert page.read_text() == "# Wei, with my own notes\n"
    assert "no longer generated, but changed since it was written" in result.stderr
    assert "people/wei-chen.md" not in json.loads((example / "generated" / MANIFEST).read_text())["files"]


def test_errors_are_the_ones_check_reports_and_nothing_is_written(example: Path) -> None:
    assert run_cli("generate", "--out", "generated", cwd=example).returncode == 0
    before = _tree(example / "generated")
    contact = example / "handbook" / "contacts" / "ana-souza.yml"
    contact.write_text(contact.read_text().replace("kind: coffee", "kind: coffe", 1))
    (example / "handbook" / "contacts" / "wei-chen.yml").unlink()  # would remove a page, if it ran
    check = run_cli("check", cwd=example)
    result = run_cli("generate", "--out", "generated", cwd=example)
    assert result.returncode == 1 and check.returncode == 1
    errors = [line for line in check.stdout.splitlines() if ": error: " in line]
    assert errors and all(line in result.stderr for line in errors)
    assert "nothing was written to generated" in result.stderr
    assert "Traceback" not in result.stderr
    assert _tree(example / "generated") == before
    fresh = run_cli("generate", "--out", "fresh", cwd=example)
    assert fresh.returncode == 1 and not (example / "fresh").exists()


def test_a_file_of_the_users_at_a_generated_path_stops_it_before_any_write(example: Path) -> None:
    out = example / "generated"
    (out / "assets" / "handbook").mkdir(parents=True)
    (out / "assets" / "handbook" / "handbook.css").write_text("/* mine */\n")
    result = run_cli("generate", "--out", "generated", cwd=example)
    assert result.returncode == 1
    assert "handbook.css exists and was not written by `handbook generate`; nothing was written" in result.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "assets/handbook/handbook.css"]


def test_a_page_of_the_users_in_the_folder_is_a_collision_and_its_guide_page_wins(example: Path) -> None:
    out = example / "generated"
    (out / "guide").mkdir(parents=True)
    (out / "guide" / "myths.md").write_text("# My myths\n")
    result = run_cli("generate", "--out", "generated", cwd=example)
    assert result.returncode == 0, result.stderr
    assert (out / "guide" / "myths.md").read_text() == "# My myths\n"
    assert "guide/myths.md" not in json.loads((out / MANIFEST).read_text())["files"]
    other = example / "other"
    other.mkdir()
    (other / "dashboard.md").write_text("# My dashboard\n")  # the user's: a second page at one URL
    clash = run_cli("generate", "--out", "other", cwd=example)
    assert clash.returncode == 1
    assert f"the dashboard would be published at `dashboard/index.html`, which {Path('other/dashboard.md')}" \
        in clash.stderr
    assert [path.name for path in other.iterdir()] == ["dashboard.md"]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_it_never_writes_through_a_symbolic_link_out_of_the_folder(example: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = example / "generated"
    out.mkdir()
    (out / "people").symlink_to(outside, target_is_directory=True)
    result = run_cli("generate", "--out", "generated", cwd=example)
    assert result.returncode == 1
    assert "it leads outside generated (a symbolic link)" in result.stderr
    assert list(outside.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="Ctrl+C cannot be sent to one child process on Windows")
def test_watch_generates_again_on_each_change(site: HandbookDir) -> None:
    site.options("today: '2026-03-01'")
    site.contact("ana-souza", "name: Ana Souza\n")
    process = subprocess.Popen([sys.executable, "-m", "networking_handbook", "generate", "--out", "out", "--watch"],
                               cwd=site.root, env=clean_env(PYTHONFAULTHANDLER="1"), stderr=subprocess.PIPE, text=True,
                               # as in a terminal: a test run in the background (`&`) ignores Ctrl+C, and
                               # Python keeps ignoring it in a child that starts so
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert process.stderr is not None
    deadline = threading.Timer(60, process.kill)  # a run that never comes fails the test, not hangs it
    deadline.start()
    try:
        lines = iter(process.stderr.readline, "")
        assert any(line.startswith("watching ") for line in lines)
        page = site.root / "out" / "people" / "ana-souza.md"
        assert page.exists()
        site.contact("wei-chen", "name: Wei Chen\n")
        assert "written" in next(line for line in lines if " files in out: " in line)
        assert (site.root / "out" / "people" / "wei-chen.md").exists()
        (site.root / "handbook" / "contacts" / "ana-souza.yml").write_text("name: [\n")
        assert "nothing was written to out" in next(line for line in lines if "nothing was written" in line)
        assert page.exists()
        (site.root / "handbook" / "contacts" / "ana-souza.yml").unlink()
        assert "1 removed" in next(line for line in lines if " files in out: " in line)
        assert not page.exists()
        (site.root / "out" / MANIFEST).write_text("not a manifest")  # a refusal: shown, and watching goes on
        site.contact("zoe-lin", "name: Zoe Lin\n")
        assert "delete it to start the folder afresh" in next(line for line in lines if "Error" in line)
        shutil.rmtree(site.root / "out")
        site.contact("zoe-lin", "name: Zoe Lin\nrole: Designer\n")
        assert "written" in next(line for line in lines if " files in out: " in line), "still watching"
        assert "Designer" in (site.root / "out" / "people" / "zoe-lin.md").read_text()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            returncode = process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # show where it is stuck: faulthandler prints every thread
            process.send_signal(signal.SIGABRT)
            pytest.fail("Ctrl+C did not stop --watch within 30 s:\n" + process.stderr.read()[-6000:])
        finally:
            deadline.cancel()
        assert returncode == 0


def _readme_zensical_config() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## Zensical\n"):readme.index("\n## Hosting\n")]
    return re.findall(r"```yaml\n(.*?)```", section, re.S)[0]


def _readme_main_template() -> str:
    """The `overrides/main.html` the README's Zensical section has you write (the noindex tag)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## Zensical\n"):readme.index("\n## Hosting\n")]
    return re.findall(r"```html\n(.*?)```", section, re.S)[0]


def _zensical() -> str | None:
    """The `zensical` program: HANDBOOK_ZENSICAL (set by .ci/run, where it must run), or on PATH."""
    named = os.environ.get("HANDBOOK_ZENSICAL")
    if named:
        assert Path(named).exists(), f"HANDBOOK_ZENSICAL={named} does not exist"
    return named or shutil.which("zensical")


@pytest.mark.parametrize("generator", ["zensical", "mkdocs"])
def test_the_generated_folder_builds_without_the_plugin_as_the_readme_says(example: Path, generator: str) -> None:
    """The README's config and commands, with Zensical (in its own venv: it needs newer click and
    markdown than this tool's lowest) and with plain MkDocs and Material (no `handbook` plugin)."""
    program = _zensical() if generator == "zensical" else None
    if generator == "zensical" and program is None:
        pytest.skip("zensical is not installed here (.ci/run installs it in .venv-zensical)")
    config = example / "zensical.yml"
    config.write_text(_readme_zensical_config().replace("site_name:", "site_url: https://h.example.org/\nsite_name:"))
    assert run_cli("generate", "--out", "generated", cwd=example).returncode == 0
    (example / "overrides").mkdir()
    (example / "overrides" / "sitemap.xml").write_text("")
    (example / "overrides" / "main.html").write_text(_readme_main_template())
    command = [program, "build", "-f", "zensical.yml"] if program else None
    if command:
        built = subprocess.run(command, cwd=example, env=clean_env(), capture_output=True, text=True)
    else:
        built = run_mkdocs("build", "--strict", "-f", "zensical.yml", cwd=example)
    assert built.returncode == 0, built.stdout + built.stderr
    out = example / "site"
    person = (out / "people" / "ana-souza" / "index.html").read_text(encoding="utf-8")
    assert "Ana Souza" in person and "assets/handbook/handbook.css" in person
    dashboard = (out / "dashboard" / "index.html").read_text(encoding="utf-8")
    assert "people/fatima-benali/" in dashboard
    guide = (out / "guide" / "index.html").read_text(encoding="utf-8")
    assert 'href="../people/"' in guide and "people/ana-souza/" not in guide, "person pages stay out of the nav"
    assert (out / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    assert not (out / MANIFEST).exists(), "the manifest names everyone: it must not be published"
    everything = "".join(path.read_text(errors="replace") for path in out.rglob("*") if path.is_file())
    assert PRIVATE not in everything
    sitemap = out / "sitemap.xml"
    if generator == "zensical":  # always written: the empty template makes it empty, and the README removes it
        assert sitemap.read_bytes() == b""
        sitemap.unlink()
    assert not sitemap.exists() and not (out / "sitemap.xml.gz").exists()
    themes = []
    if program:  # Zensical's own scripts: its templates, found as the README's command finds them
        found = subprocess.run([str(Path(program).parent / "python"), "-c",
                                "import zensical, os; print(os.path.dirname(zensical.__file__))"],
                               capture_output=True, text=True, check=True)
        themes = ["--theme-dir", str(Path(found.stdout.strip()) / "templates")]
        unknown = run_cli("audit", "site", cwd=example)
        assert unknown.returncode == 1 and "a <script> the theme does not write" in unknown.stdout, unknown.stdout
    audit = run_cli("audit", "site", *themes, cwd=example)
    assert audit.returncode == 0, audit.stdout + audit.stderr
