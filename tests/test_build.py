"""The build engine without MkDocs: what `mkdocs build` and `handbook check` both run."""

from __future__ import annotations

import json
import posixpath
from datetime import date

import pytest

from networking_handbook.build import SCRIPT, STYLESHEET, Setup, check, configure, publish
from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.settings import OPTIONS, Settings, options_table
from networking_handbook.core.site_config import read_site_config
from networking_handbook.site.render import render_pages
from networking_handbook.site.structure import build_site
from networking_handbook.site.urls import UserFile, destination, docs_files

from .conftest import REPO, HandbookDir


def test_a_dangling_event_reference_does_not_stop_the_pages(site: HandbookDir) -> None:
    """`mkdocs serve` builds the pages of a handbook with errors: a contact met at an event
    that has no file yet still gets its page."""
    site.contact("bo", "name: Bo\nmet: {at: nowhere, on: 2026-01-05}\n")
    result = load_handbook(site.root / "handbook", site.root)
    assert [d.message for d in result.diagnostics] == ["unknown event `nowhere`"]
    pages = {page.path for page in render_pages(build_site(result.handbook, Settings(), date(2026, 3, 1)))}
    assert "people/bo.md" in pages


def _setup(site: HandbookDir) -> Setup:
    config, problems = read_site_config(site.root / "mkdocs.yml", "mkdocs.yml")
    assert problems == []
    return configure(config)


def test_publish_gives_every_page_and_file_without_mkdocs(site: HandbookDir) -> None:
    site.options("today: 2026-03-01")
    site.contact("ana", "name: Ana\n")
    (site.root / "docs" / "guide").mkdir()
    (site.root / "docs" / "guide" / "myths.md").write_text("# Ours\n")
    (site.root / "docs" / "notes.yml").write_text("name: stray\n")
    user_files = docs_files(site.root / "docs", site.root, True)
    output = publish(_setup(site), user_files, site.root)
    assert output.refusals == [] and output.diagnostics == []
    assert {page.path for page in output.pages} == {"dashboard.md", "people/index.md", "events/index.md",
                                                    "tags/index.md", "network.md", "people/ana.md"}
    assert "guide/follow-up.md" in output.files and "guide/myths.md" not in output.files
    assert {"robots.txt", STYLESHEET, SCRIPT} <= output.files.keys()
    assert output.unpublished == ["notes.yml"]


def test_publish_refuses_collisions_and_renders_nothing(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\ntags: [index]\n")
    output = publish(_setup(site), [UserFile("people/ana.md", "people/ana/index.html", "docs/people/ana.md")],
                     site.root)
    assert [d.format() for d in output.refusals] == [
        "handbook/contacts/ana.yml: error: handbook/contacts/ana.yml would be published at "
        "`people/ana/index.html`, which docs/people/ana.md already uses: rename one of them",
        "handbook/contacts/ana.yml: error: the tag `index` would be published at `tags/index.html`, "
        "which the tags list already uses: rename one of them",
    ]
    assert output.pages == [] and output.files == {}


def test_a_serve_publishes_a_handbook_with_errors_and_a_build_refuses_it(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nstage: sleeping\n")
    site.contact("bo", "name: Bo\n")
    refused = publish(_setup(site), [], site.root)
    assert [d.message for d in refused.refusals] == [
        "`sleeping` is not a valid `stage`: use one of exploring, active, paused, archived"]
    served = publish(_setup(site), [], site.root, serving=True)
    assert served.refusals == [] and "problems.md" in {page.path for page in served.pages}


def test_check_finds_what_publish_refuses_without_rendering(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\n")
    (site.root / "docs" / "dashboard.md").write_text("# Mine\n")
    config, _ = read_site_config(site.root / "mkdocs.yml", "mkdocs.yml")
    checked = check(config, site.root)
    published = publish(configure(config), docs_files(site.root / "docs", site.root, True), site.root)
    assert checked.diagnostics == published.refusals != []


def test_mkdocs_places_a_file_where_destination_says() -> None:
    from mkdocs.structure.files import File
    for path in ("index.md", "README.md", "a/b.md", "a/index.md", "a/b.markdown", "img/x.png", "robots.txt"):
        for directory_urls in (True, False):
            assert destination(path, directory_urls) == File(path, "docs", "site", directory_urls).dest_uri


def test_the_readme_documents_every_option_as_declared() -> None:
    assert options_table() in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_plugin_declares_every_option_of_the_settings() -> None:
    from networking_handbook.plugin import HandbookConfig
    assert [name for name, _ in HandbookConfig._schema] == list(OPTIONS) == list(Settings.model_fields)


def test_serving_never_links_to_a_slug_no_file_has(site: HandbookDir) -> None:
    """Found by tests/test_fuzz_serve.py: a valid file naming a missing slug (`people: [nobdy]`)
    kept its record while serving, and its page linked to a page that does not exist. Such a
    version counts as one with errors: the last version whose slugs all resolve is shown."""
    import os
    import re

    from networking_handbook.core.handbook import FileCache
    site.options("today: 2026-03-01")
    site.contact("ana", "name: Ana\n")
    meetup = site.event("meetup", "name: Meetup\non: 2026-02-01\npeople: [ana]\n")
    setup, cache = _setup(site), FileCache()
    publish(setup, [], site.root, cache, serving=True)
    meetup.write_text("name: Meetup\non: 2026-02-01\npeople: [ana, nobdy]\n")
    os.utime(meetup, ns=(1, 1))
    site.contact("bo", "name: Bo\nvia: ana|x\n")  # never valid in the session: a stand-in
    served = publish(setup, [], site.root, cache, serving=True)
    pages = {page.path: page.markdown for page in served.pages}
    links = {posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
             for path, text in pages.items() for target in re.findall(r"\]\(([^)#:]+\.md)", text)}
    assert links <= set(pages) | set(served.files)
    assert "last version of the file without errors" in pages["events/meetup.md"]
    assert served.handbook.stand_ins == {("events", "meetup"): "last valid", ("contacts", "bo"): "none valid"}
    assert any(d.message == "unknown contact `nobdy`" for d in served.data_diagnostics)


def test_serving_keeps_every_page_while_a_file_has_errors(site: HandbookDir) -> None:
    """A typo while `mkdocs serve` runs keeps the person's page (the last valid version, with
    a banner) and every link to it; a file never valid in the session keeps a stand-in page;
    a build still refuses the site."""
    import os

    from networking_handbook.core.handbook import FileCache
    site.options("today: 2026-03-01")
    ana = site.contact("ana", "name: Ana Souza\ncompany: Acme\n")
    site.event("meetup", "name: Meetup\non: 2026-02-01\npeople: [ana]\n")
    setup, cache = _setup(site), FileCache()
    first = publish(setup, [], site.root, cache, serving=True)
    assert first.refusals == [] and "people/ana.md" in {page.path for page in first.pages}
    ana.write_text("name: Ana Souza\ncompany: Acme\nstage: sleeping\n")
    os.utime(ana, ns=(1, 1))  # a new stamp, whatever the clock's resolution
    site.contact("bo", "name: Bo\nbirthday: someday\n")
    served = publish(setup, [], site.root, cache, serving=True)
    pages = {page.path: page.markdown for page in served.pages}
    assert "last version of the file without errors" in pages["people/ana.md"] and "Acme" in pages["people/ana.md"]
    assert "has had errors since serving started" in pages["people/bo.md"]
    assert "handbook/contacts/ana.yml` has errors\"\n\n    This page shows the last version" in pages["people/ana.md"]
    # (indented: the text is inside the admonition box)
    assert "[Ana Souza](../people/ana.md)" in pages["events/meetup.md"]  # the link keeps its name
    assert served.handbook.stand_ins == {("contacts", "ana"): "last valid", ("contacts", "bo"): "none valid"}
    built = publish(setup, [], site.root, FileCache())
    assert built.pages == [] and [d.path for d in built.refusals if d.severity == "error"] == [
        "handbook/contacts/ana.yml", "handbook/contacts/bo.yml"]


@pytest.mark.parametrize(("command", "kept"), [("build", False), ("serve", True)])
def test_only_serve_keeps_the_parsed_files_after_a_build(site: HandbookDir, monkeypatch: pytest.MonkeyPatch,
                                                         command: str, kept: bool) -> None:
    """A build frees every parsed file with the handbook once its pages are made, so what it
    holds while MkDocs renders is the pages (issue 15: memory at 20,000 contacts); `mkdocs
    serve` keeps them, to parse only what changed on the next build."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    site.contact("ana", "name: Ana\n")
    monkeypatch.chdir(site.root)
    config = load_config(str(site.root / "mkdocs.yml"), site_dir=str(site.root / "site"))
    config.plugins.on_startup(command=command, dirty=False)
    build(config)
    assert (site.root / "site" / "people" / "ana" / "index.html").is_file()
    assert bool(config.plugins["handbook"].cache.entries) is kept


# A later plugin's view of each generated page's Markdown once every page is HTML.
MARKDOWN_SEEN = """\
import json, pathlib
seen = {}
def on_post_page(output, page, config):
    if page.file.generated_by:
        seen[page.file.src_uri] = len(page.markdown)
def on_post_build(config):
    pathlib.Path(config.site_dir, "seen.json").write_text(json.dumps(seen))
"""


@pytest.mark.parametrize(("command", "kept"), [("build", False), ("serve", True)])
def test_a_build_lets_go_of_each_generated_pages_markdown_once_it_is_html(
        site: HandbookDir, monkeypatch: pytest.MonkeyPatch, command: str, kept: bool) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    site.contact("ana", "name: Ana\n")
    (site.root / "seen.py").write_text(MARKDOWN_SEEN)
    with (site.root / "mkdocs.yml").open("a") as config_file:
        config_file.write("hooks:\n  - seen.py\n")
    monkeypatch.chdir(site.root)
    config = load_config(str(site.root / "mkdocs.yml"), site_dir=str(site.root / "site"))
    config.plugins.on_startup(command=command, dirty=False)
    build(config)
    seen = json.loads((site.root / "site" / "seen.json").read_text())
    assert "people/ana.md" in seen and "dashboard.md" in seen
    assert all(bool(length) is kept for length in seen.values()), seen
    assert "Ana" in (site.root / "site" / "people" / "ana" / "index.html").read_text()
