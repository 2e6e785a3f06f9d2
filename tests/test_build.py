"""The build engine without MkDocs: what `mkdocs build` and `handbook check` both run."""

from __future__ import annotations

from datetime import date

from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.settings import Settings
from networking_handbook.site.render import render_pages
from networking_handbook.site.structure import build_site

from .conftest import HandbookDir


def test_a_dangling_event_reference_does_not_stop_the_pages(site: HandbookDir) -> None:
    """`mkdocs serve` builds the pages of a handbook with errors: a contact met at an event
    that has no file yet still gets its page."""
    site.contact("bo", "name: Bo\nmet: {at: nowhere, on: 2026-01-05}\n")
    result = load_handbook(site.root / "handbook", site.root)
    assert [d.message for d in result.diagnostics] == ["unknown event `nowhere`"]
    pages = {page.path for page in render_pages(build_site(result.handbook, Settings(), date(2026, 3, 1)))}
    assert "people/bo.md" in pages
