"""What keeps a built site private wherever it is hosted: no sitemap, a robots.txt that
disallows everything, `noindex` on every page, and no source files in the output."""

from __future__ import annotations

import re

ROBOTS_TXT = "User-agent: *\nDisallow: /\n"
NOINDEX = '<meta name="robots" content="noindex, nofollow, noarchive">'
SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
SOURCE_SUFFIXES = (".yml", ".yaml", ".md", ".j2", ".py")
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)


def with_noindex(html: str) -> str:
    """The page with a robots `noindex` meta tag first in its head (once)."""
    return first_in_head(html, NOINDEX)


def first_in_head(html: str, tag: str) -> str:
    """The page with `tag` first in its head, once; a page without a head is left as it is."""
    if tag in html:
        return html
    match = _HEAD.search(html)
    if match is None:
        return html
    return html[: match.end()] + "\n    " + tag + html[match.end():]


def is_source_file(path: str) -> bool:
    """Files that must never be published: notes, Markdown sources, caches."""
    parts = path.split("/")
    return path.endswith(SOURCE_SUFFIXES) or any(part.startswith(".") for part in parts)
