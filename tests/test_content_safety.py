"""User text stays text wherever a site, a check or an export shows it (issue 12): no macro
plugin evaluates it, no link gains mail headers, no spreadsheet runs it as a formula, no CI
log quotes a private line, and an allowed same-name pair never fails a strict build."""

from __future__ import annotations

from datetime import date

from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.settings import Settings
from networking_handbook.site.render import guidance_pages, render_pages
from networking_handbook.site.structure import build_site

from .conftest import HandbookDir, run_cli, run_mkdocs

PAYLOAD = "Sum: {{ 7*7 }}. {% raw %}kept{% endraw %} {{ config.site_name }} {# hidden #}"


def test_mkdocs_macros_evaluates_nothing_from_notes(site: HandbookDir) -> None:
    (site.root / "mkdocs.yml").write_text(
        "site_name: Test\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - macros\n  - handbook\n", encoding="utf-8")
    site.contact("ana", f"name: Ana\ntags: [mentor]\nnotes: '{PAYLOAD}'\n")
    site.event("meetup", f"name: Meetup\non: 2026-01-10\nnotes: '{PAYLOAD}'\n")
    result = run_mkdocs("build", "--strict", cwd=site.root, HANDBOOK_TODAY="2026-02-01")
    assert result.returncode == 0, result.stderr
    for page in ("people/ana/index.html", "events/meetup/index.html"):
        html = (site.root / "site" / page).read_text(encoding="utf-8")
        assert "Sum: {{ 7*7 }}" in html, page
        assert "{% raw %}kept{% endraw %}" in html, page
        assert "{# hidden #}" in html, page
        assert "Sum: 49" not in html, page


def test_every_generated_page_opts_out_of_macros(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\ntags: [mentor]\nstage: sideways\n")
    site.contact("bo", "name: Bo\ntags: [mentor]\n")
    site.event("meetup", "name: Meetup\non: 2026-01-10\n")
    result = load_handbook(site.root / "handbook", site.root)
    assert result.diagnostics  # so that the problems page is made too
    rendered = build_site(result.handbook, Settings(), date(2026, 2, 1), result.diagnostics)
    pages = {page.path: page.markdown for page in render_pages(rendered)} | guidance_pages()
    kinds = {"dashboard.md", "people/index.md", "events/index.md", "tags/index.md", "problems.md",
             "people/bo.md", "events/meetup.md", "tags/mentor.md", "guide/index.md", "guide/follow-up.md"}
    assert kinds <= pages.keys()
    for path, markdown in pages.items():
        front, _, _ = markdown.removeprefix("---\n").partition("\n---\n")
        assert markdown.startswith("---\n") and "render_macros: false" in front.splitlines(), path


def test_same_name_contacts_pass_a_strict_build_and_check_still_says_so(site: HandbookDir) -> None:
    site.contact("ana-souza", "name: Ana Souza\n")
    site.contact("ana-souza-2", "name: Ana Souza\n")
    result = run_mkdocs("build", "--strict", cwd=site.root, HANDBOOK_TODAY="2026-02-01")
    assert result.returncode == 0, result.stderr
    checked = run_cli("check", cwd=site.root)
    assert checked.returncode == 0
    assert "note: `Ana Souza` is also the name in handbook/contacts/ana-souza.yml" in checked.stdout
    assert "0 errors, 0 warnings, 1 note" in checked.stderr
