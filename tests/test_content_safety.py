"""User text stays text wherever a site, a check or an export shows it (issue 12): no macro
plugin evaluates it, no link gains mail headers, no spreadsheet runs it as a formula, no CI
log quotes a private line, and an allowed same-name pair never fails a strict build."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.identity import mailto
from networking_handbook.core.records import Contact, Handbook
from networking_handbook.core.report import private_lines
from networking_handbook.core.settings import Settings
from networking_handbook.exchange.exports import export_csv, spreadsheet_safe
from networking_handbook.site.render import guidance_pages, render_notes, render_pages, safe_url
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


def test_every_mailto_encodes_the_address_so_nothing_adds_headers() -> None:
    assert mailto("ana@example.org") == "mailto:ana@example.org"
    assert mailto("a?bcc=spy@evil.example") == "mailto:a%3Fbcc%3Dspy@evil.example"
    assert mailto("a&b@x.org", subject="Hi & bye") == "mailto:a%26b@x.org?subject=Hi%20%26%20bye"
    assert safe_url("mailto:a&b c@x.org") == "mailto:a%26b%20c@x.org"  # from `links:`, which refuses `?`
    assert safe_url(mailto("a&b@x.org", subject="Hi")) == "mailto:a%26b@x.org?subject=Hi"


def test_a_mail_link_in_notes_loses_its_headers() -> None:
    html = render_notes("[Ana](mailto:ana@example.org?bcc=spy@evil.example&subject=x) and [B](MAILTO:b@x.org)")
    assert 'href="mailto:ana@example.org"' in html and "spy" not in html and "subject" not in html
    assert 'href="mailto:b@x.org"' in html


def test_one_note_never_reaches_into_the_next() -> None:
    """Notes share one converter (issue 15: making one per note was a third of their cost): a
    link reference or footnote-like text defined in one note is not there in the next."""
    first = render_notes("[site]: https://first.example/\n\nSee [site].")
    second = render_notes("See [site].")
    assert 'href="https://first.example/"' in first
    assert "first.example" not in second and "See [site]." in second


def test_the_person_page_links_the_address_alone(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nemails: [ana@example.org]\nlinks:\n  mail: mailto:ana@example.org\n"
                 "met: {on: 2026-01-30}\n")
    result = load_handbook(site.root / "handbook", site.root)
    assert result.diagnostics == []
    rendered = build_site(result.handbook, Settings(), date(2026, 2, 1), [])
    page = next(page.markdown for page in render_pages(rendered) if page.path == "people/ana.md")
    assert "(mailto:ana@example.org)" in page
    assert "(mailto:ana@example.org?subject=" in page  # the follow-up draft: our own headers only


def test_check_refuses_an_email_with_headers_at_its_position(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nemails:\n  - ana@example.org?bcc=spy@evil.example\n")
    result = run_cli("check", cwd=site.root)
    assert result.returncode == 1
    assert "handbook/contacts/ana.yml:3:5: error: `ana@example.org?bcc=spy@evil.example` is not an email" in result.stdout
    assert "hint: write the address alone" in result.stdout


FORMULAS = ["=HYPERLINK(\"https://evil.example\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_no_csv_cell_starts_a_formula() -> None:
    cycle = iter(FORMULAS * 10)
    contact = Contact.model_validate({
        "name": next(cycle), "company": next(cycle), "role": next(cycle), "location": next(cycle),
        "industry": next(cycle), "pronouns": next(cycle), "benefit": next(cycle), "notes": next(cycle),
        "emails": ["ana@example.org"], "phones": [next(cycle)], "tags": [next(cycle)],
        "needs": [next(cycle)], "offers": [next(cycle)],
        "links": {"LinkedIn": "https://linkedin.com/in/ana", "site": "https://ana.example"},
        "met": {"at": next(cycle), "via": next(cycle), "how": next(cycle)},
    }, strict=False)
    handbook = Handbook(contacts={"-ana": contact}, paths={("contacts", "-ana"): "x.yml"})
    rows = list(csv.reader(io.StringIO(export_csv(handbook), newline="")))
    exported = dict(zip(rows[0], rows[1], strict=True))
    formula_columns = set(exported) - {"emails", "linkedin", "links", "stage", "birthday", "met_on", "cadence"}
    for column in formula_columns:
        assert exported[column].startswith("'") and exported[column][1] in "=+-@\t\r", column
    assert exported["emails"] == "ana@example.org"
    assert spreadsheet_safe("plain") == "plain" and spreadsheet_safe("") == ""


SECRET = "SECRET-LINE-4417"


def test_check_never_quotes_a_line_of_a_private_value(site: HandbookDir) -> None:
    site.contact("ana", f"name: Ana\nprivate: |\n  {SECRET} salary\n\t{SECRET} tabbed\ncompany: Lumen\n")
    site.contact("bo", f"name: Bo\nprivate: {SECRET} inline\ncadence: 2x\n")
    site.contact("cy", f"{{name: Cy, private: {SECRET} flow, stage: nope}}\n")
    result = run_cli("check", cwd=site.root)
    assert result.returncode == 1
    assert SECRET not in result.stdout + result.stderr
    assert "handbook/contacts/ana.yml:4:1: error:" in result.stdout
    assert "(line 4 is not shown: it is part of a `private` value)" in result.stdout
    assert "   3 | cadence: 2x" in result.stdout  # lines outside the value are still quoted
    assert "(line 1 is not shown: it is part of a `private` value)" in result.stdout


def test_private_lines_are_the_key_and_what_is_indented_under_it() -> None:
    lines = ["name: Ana", "private: |", "  one", "", "  two", "stage: active", "notes: private: x", "  more"]
    assert private_lines(lines) == {2, 3, 4, 5, 7, 8}


def test_a_note_file_linking_outside_the_handbook_is_refused_unread(site: HandbookDir, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text(f"name: [{SECRET}\n", encoding="utf-8")
    (site.root / "handbook" / "contacts" / "eve.yml").symlink_to(outside)
    site.contact("ana", "name: Ana\n")
    (site.root / "handbook" / "contacts" / "ana-link.yml").symlink_to(site.root / "handbook" / "contacts" / "ana.yml")
    result = run_cli("check", cwd=site.root)
    assert result.returncode == 1
    assert SECRET not in result.stdout + result.stderr
    assert ("handbook/contacts/eve.yml: error: `eve.yml` is a link to a file outside the handbook folder: "
            "it is not read") in result.stdout
    assert "ana-link.yml:1:1: note: `Ana` is also the name" in result.stdout  # a link inside is read
    assert "ana-link.yml: error" not in result.stdout
