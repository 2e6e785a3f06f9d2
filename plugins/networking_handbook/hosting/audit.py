"""`handbook audit SITE_DIR`: read every file of a built site for anything that leaks.

Looks for the `private` text of every contact (and, for an encrypted site, every email and
phone, and any name, slug or tag outside the ciphertext: `names_in_clear`) in every file as
`audit_decode` unpacks and decodes it, and in file names; for what `audit_html` finds in
pages (live HTML, external fetches); for external fetches in style sheets; and for what
makes a site findable (sitemaps of any name, sources, robots.txt, noindex). Findings never
repeat the private text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.identity import tag_slug
from ..core.records import Handbook
from ..site.privacy import ROBOTS_TXT, is_source_file
from ..site.render import guidance_pages
from ..site.urls import destination
from .audit_decode import MAX_BYTES, TooLarge, decoded_texts, text_views, without_random_runs
from .audit_html import Page, css_fetches, host_of, read_page, theme_folders

_MIN_SECRET = 6  # shorter lines of a private note are too common to search for
_PAGES = (".html", ".htm", ".xhtml")
_MARKUP = (*_PAGES, ".svg")  # an SVG opened by itself runs its scripts too
_THEME_CODE = (".js", ".mjs", ".css", ".map")  # the theme's and plugins' code: words, not names
_SITEMAP_NAME = re.compile(r"sitemap[^/]*\.xml", re.IGNORECASE)
_SITEMAP_CONTENT = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:\w+:)?(?:urlset|sitemapindex)\b", re.DOTALL)
_BACKUP_SUFFIXES = (".bak", ".orig", ".old", ".save", ".swp", ".tmp", ".copy", ".gz", "~")
MIN_NAME_IN_BINARY = 5  # shorter names turn up by chance in compressed or image bytes


@dataclass(frozen=True)
class Finding:
    path: str  # relative to the site folder
    kind: str
    detail: str

    def format(self) -> str:
        return f"{self.path}: {self.kind}: {self.detail}"


def secrets_of(handbook: Handbook, *, encrypted: bool) -> list[tuple[str, str]]:
    """(what, text) pairs that must appear nowhere in the site."""
    found: list[tuple[str, str]] = []
    for slug, contact in handbook.contacts.items():
        if contact.private:
            texts = {contact.private.strip()} | {line.strip() for line in contact.private.splitlines()}
            found += [(f"private text of {slug}", text) for text in texts if len(text) >= _MIN_SECRET]
        if encrypted:
            found += [(f"email of {slug}", email) for email in contact.emails]
            found += [(f"phone of {slug}", phone) for phone in contact.phones if len(phone) >= _MIN_SECRET]
    return found


def audit_site(site_dir: Path, handbook: Handbook, *, encrypted: bool = False,
               theme_dir: Path | None = None) -> list[Finding]:
    """Every finding in the built site; `theme_dir` is the templates folder of a theme other than
    the installed mkdocs-material that built it (see `theme_folders`)."""
    themes = theme_folders(theme_dir)
    secrets = [(what, normal(text)) for what, text in secrets_of(handbook, encrypted=encrypted)]
    names = _name_patterns(handbook) if encrypted else []
    guide = {destination(path, directory_urls) for path in guidance_pages() for directory_urls in (True, False)}
    findings = list(_robots_findings(site_dir))
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(site_dir).as_posix()
        findings += _name_findings(relative, secrets)
        try:
            data = _read(path)
            if _shipped_by_a_theme(relative, data, themes):
                continue
            texts = decoded_texts(data)
        except TooLarge as error:
            findings.append(Finding(relative, "too large to audit", f"{error}; the audit cannot vouch for it"))
            continue
        page = read_page(texts[0], relative, site_dir, themes) if relative.lower().endswith(_MARKUP) else None
        findings += _content_findings(relative, texts, page, secrets)
        if names:
            findings += _clear_names(relative, texts, page, names, in_guide=relative in guide)
    return findings


def normal(text: str) -> str:
    """Text as the search compares it: one Unicode form, case folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _shipped_by_a_theme(relative: str, data: bytes, themes: tuple[Path, ...]) -> bool:
    """Whether the file is byte for byte one a theme ships (its scripts, styles and their
    source maps): public code that holds nothing of the handbook."""
    if not relative.startswith("assets/"):
        return False
    return any(shipped.is_file() and shipped.stat().st_size == len(data) and shipped.read_bytes() == data
               for shipped in (folder / relative for folder in themes))


def _read(path: Path) -> bytes:
    if path.stat().st_size > MAX_BYTES:  # never read a huge file whole
        raise TooLarge(f"it is larger than {MAX_BYTES // 2**20} MiB")
    return path.read_bytes()


def _content_findings(relative: str, texts: list[str], page: Page | None,
                      secrets: list[tuple[str, str]]) -> Iterator[Finding]:
    views = [normal(text) for text in [*texts, *([page.text] if page else [])]]
    for what, secret in secrets:
        if any(secret in view for view in views):
            yield Finding(relative, "leak", what)
    if page is not None:
        yield from (Finding(relative, kind, detail) for kind, detail in dict.fromkeys(page.problems))
        if relative.lower().endswith(_PAGES) and not page.noindex:
            yield Finding(relative, "not private", "the page has no robots noindex meta tag")
    elif relative.lower().removesuffix(".gz").endswith(".css"):
        for url in dict.fromkeys(css_fetches(texts[0])):
            yield Finding(relative, "external fetch", f"the style sheet loads from {host_of(url)}")
    if page is None and not _is_theme_code(relative) and any(_SITEMAP_CONTENT.match(text) for text in texts):
        yield Finding(relative, "sitemap", "it holds a sitemap: a private site lists no pages; remove it")


def _is_theme_code(relative: str) -> bool:
    return relative.lower().removesuffix(".gz").endswith(_THEME_CODE)


def _name_findings(relative: str, secrets: list[tuple[str, str]]) -> Iterator[Finding]:
    name = Path(relative).name
    if _SITEMAP_NAME.match(name):
        yield Finding(relative, "sitemap", "a private site lists no pages; remove it")
    if _is_source(relative):
        yield Finding(relative, "source file", "notes and sources must not be published")
    for what, secret in secrets:
        if secret in normal(relative):
            yield Finding(relative, "leak in the file name", what)


def _is_source(relative: str) -> bool:
    """A note, source or cache under any case and any backup suffix (`x.YML`, `x.yml.bak`, `x.md~`)."""
    path = relative.lower()
    while path.endswith(_BACKUP_SUFFIXES):
        path = path.removesuffix(next(suffix for suffix in _BACKUP_SUFFIXES if path.endswith(suffix)))
    return is_source_file(path)


def _robots_findings(site_dir: Path) -> Iterator[Finding]:
    path = site_dir / "robots.txt"
    if not path.is_file():
        yield Finding("robots.txt", "not private", f"there is none: publish one that says {ROBOTS_TXT!r}")
    elif not _disallows_all(path.read_text(encoding="utf-8", errors="replace")):
        yield Finding("robots.txt", "not private", f"it does not disallow everything: it should say {ROBOTS_TXT!r}")


def _disallows_all(robots: str) -> bool:
    """Whether every group, `User-agent: *`'s among them, says `Disallow: /` and allows nothing back."""
    agents: set[str] = set()
    rules: dict[str, list[tuple[str, str]]] = {}
    in_rules = False
    for line in robots.splitlines():
        key, _, value = line.split("#")[0].partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            agents = {value.lower()} | (set() if in_rules else agents)
            in_rules = False
        elif key in ("allow", "disallow"):
            in_rules = True
            for agent in agents:
                rules.setdefault(agent, []).append((key, value))
    # A crawler follows the group that names it, not `*`'s: each group must shut it out.
    return "*" in rules and all(("disallow", "/") in group and not any(key == "allow" and value for key, value in group)
                                for group in rules.values())


def names_of(handbook: Handbook) -> list[tuple[str, str]]:
    """(what, text) pairs an encrypted site may show only inside the ciphertext: every
    contact's and event's name and slug, every tag as written and as its page slug."""
    found: list[tuple[str, str]] = []
    for slug, contact in handbook.contacts.items():
        found += [(f"name of {slug}", contact.name), (f"slug of {slug}", slug)]
        found += [(f"a tag of {slug}", text) for tag in contact.tags for text in (tag, tag_slug(tag))]
    for slug, event in handbook.events.items():
        found += [(f"name of the event {slug}", event.name), (f"slug of the event {slug}", slug)]
    return sorted({(what, text) for what, text in found if text.strip()})


def names_in_clear(site_dir: Path, handbook: Handbook) -> list[Finding]:
    """Names, slugs and tags of an encrypted site's people and events where the password
    does not guard them: file names and URLs, `<title>`, `id`s and anchors, the table of
    contents, and the decoded content of every file that is not the theme's code (search
    indexes, the calendar feed, archives). The guide the package ships is left out of the
    anchors and contents: its headings are the same in every handbook (`#mastermind-groups`
    names no one's tag)."""
    return [finding for finding in audit_site(site_dir, handbook, encrypted=True)
            if finding.kind.startswith("name in clear")]


def _name_patterns(handbook: Handbook) -> list[tuple[str, str, re.Pattern[str]]]:
    """(what, name, pattern) for each of `names_of`: the name as whole words (`mentor` in
    `tag-mentor`, not in `mentoring`)."""
    return [(what, name, re.compile(r"(?<![^\W_])" + re.escape(normal(name)) + r"(?![^\W_])"))
            for what, name in names_of(handbook)]


def _clear_names(relative: str, texts: list[str], page: Page | None,
                 names: list[tuple[str, str, re.Pattern[str]]], *, in_guide: bool) -> list[Finding]:
    places = {"file name": [relative]}
    if page is not None:
        places["title"] = [page.title]
        if not in_guide:
            places["id or link"] = page.ids_and_links
            places["table of contents"] = [page.table_of_contents]
    elif texts and not _is_theme_code(relative):
        binary = "\ufffd" in texts[0]
        places["text"] = texts
    findings = []
    for place, found in places.items():
        views = [normal(view) for text in found
                 for view in (text_views(text) if place != "text" else [without_random_runs(text)])]
        for what in sorted({what for what, name, pattern in names
                            if not (place == "text" and binary and len(name) < MIN_NAME_IN_BINARY)
                            and any(pattern.search(view) for view in views)}):
            findings.append(Finding(relative, f"name in clear ({place})", what))
    return findings
