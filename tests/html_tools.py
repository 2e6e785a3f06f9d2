"""Reading built pages: the article of a Material page, its elements, links and text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML fragment."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())

    def links(self) -> list[str]:
        return [attrs.get("href") or "" for tag, attrs in self.tags if tag == "a"]


def article(site: Path, page: str) -> Elements:
    """The main content of a built page (`people/ana-souza/`), without theme chrome."""
    html = (site / page / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    assert match, f"no article in {page}"
    return Elements(match.group(1))


def primary_nav_links(site: Path, page: str) -> list[str]:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<a href="([^"]+)" class="md-nav__link', html)
