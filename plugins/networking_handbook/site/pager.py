"""The pager of a long list (`paging.Pages`): the previous and next pages as buttons, and every
page, named by its first and last rows, behind a disclosure (no script), so that it takes two
lines on a phone however many pages there are. HTML, with links as MkDocs writes them."""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup

from .network_map import page_href
from .paging import Pages
from .structure import Site


def pager(site: Site, pages: Pages[Any], number: int, path: str) -> Markup:
    """The pager of page `number` of `pages`, which is at `path`; nothing for a one-page list."""
    if pages.count == 1:
        return Markup("")

    def href(to: int) -> str:
        return escape(page_href(site, path, pages.paths[to - 1]))

    steps = [f'<a class="handbook-pager__step" href="{href(to)}" rel="{rel}">{text}</a>'
             for to, rel, text in ((number - 1, "prev", "← Previous"), (number + 1, "next", "Next →"))
             if 1 <= to <= pages.count]
    items = []
    for to, label in enumerate(pages.labels, 1):
        text = f"<b>{to}</b> {escape(label)}"
        items.append(f'<li aria-current="page">{text}</li>' if to == number else
                     f'<li><a href="{href(to)}">{text}</a></li>')
    return Markup(
        f'<nav class="handbook-pager" aria-label="Pages of this list">\n'
        f'<p><strong>Page {number} of {pages.count}</strong> ({_sizes(pages)}) '
        f'{" ".join(steps)}</p>\n'
        f'<details><summary>All {pages.count} pages</summary>\n<ol>{"".join(items)}</ol>\n</details>\n</nav>\n')


def _sizes(pages: Pages[Any]) -> str:
    """How the list is cut: a list cut by group does not print its length on every page (one
    row more or less would change them all; its first page says it)."""
    if pages.by:
        return f"by {pages.by}, at most {pages.size} a page"
    return f"{len(pages.items)} in all, {pages.size} a page"
