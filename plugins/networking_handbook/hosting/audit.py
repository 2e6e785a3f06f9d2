"""`handbook audit SITE_DIR`: read every file of a built site for anything that leaks.

Looks for the `private` text of every contact (and, for an encrypted site, every email and
phone, and any name, slug or tag outside the ciphertext: `names_in_clear`), sitemaps, source
files, URLs a browser would fetch from another host, and user text that became live HTML.
Compressed files are read decompressed; HTML entities, JSON escapes and iCalendar folding
are undone before searching. Findings never repeat the private text.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.identity import tag_slug
from ..core.records import Handbook
from ..site.privacy import SITEMAPS, is_source_file
from ..site.render import guidance_pages
from ..site.urls import destination

TEXT_SUFFIXES = (".html", ".htm", ".js", ".mjs", ".json", ".xml", ".css", ".txt", ".ics", ".svg", ".map", ".webmanifest")
_MIN_SECRET = 6  # shorter lines of a private note are too common to search for
_FETCHING_TAG = re.compile(
    r"<(script|img|iframe|frame|source|audio|video|embed|track|input)\b[^>]*?\s(?:src|srcset|poster)\s*=\s*[\"']?\s*((?:https?:)?//[^\"'\s>]+)",
    re.IGNORECASE)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_CSS_URL = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"'])\s*((?:https?:)?//[^\"')\s]+)", re.IGNORECASE)
_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"\s(?:href|src|action|formaction)\s*=\s*[\"']?\s*(?:javascript|vbscript|data:text/html)",
                         re.IGNORECASE)
_EMBEDDING = re.compile(r"<(iframe|object|embed|frame)\b", re.IGNORECASE)
_ARTICLE = re.compile(r"<article\b.*?</article>", re.IGNORECASE | re.DOTALL)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
DATA_SUFFIXES = (".json", ".xml", ".ics", ".txt", ".webmanifest")  # search indexes, feeds: not the theme's code
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_ID_OR_LINK = re.compile(r"\s(?:id|href|src)\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
_TOC = re.compile(r"<nav\b[^>]*\bmd-nav--secondary\b", re.IGNORECASE)
_NAV_TAG = re.compile(r"<(/?)nav\b", re.IGNORECASE)
_NON_FETCHING_RELS = {"canonical", "alternate", "author", "me", "license", "next", "prev", "search"}


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


def audit_site(site_dir: Path, handbook: Handbook, *, encrypted: bool = False) -> list[Finding]:
    secrets = secrets_of(handbook, encrypted=encrypted)
    findings: list[Finding] = names_in_clear(site_dir, handbook) if encrypted else []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(site_dir).as_posix()
        findings += _name_findings(relative, secrets)
        text = _readable_text(path)
        if text is None:
            continue
        views = _views(relative, text)
        for what, secret in secrets:
            if any(secret.casefold() in view.casefold() for view in views):
                findings.append(Finding(relative, "leak", what))
        if relative.endswith((".html", ".htm")):
            findings += _html_findings(relative, text)
        if relative.endswith(".css"):
            findings += [Finding(relative, "external fetch", url) for url in _CSS_URL.findall(text)]
    return findings


def _name_findings(relative: str, secrets: list[tuple[str, str]]) -> Iterator[Finding]:
    name = Path(relative).name
    if name in SITEMAPS:
        yield Finding(relative, "sitemap", "a private site lists no pages; remove it")
    if is_source_file(relative.removesuffix(".gz")):
        yield Finding(relative, "source file", "notes and sources must not be published")
    for what, secret in secrets:
        if secret.casefold() in relative.casefold():
            yield Finding(relative, "leak in the file name", what)


def _readable_text(path: Path) -> str | None:
    data = path.read_bytes()
    name = path.name
    if name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            return None
        name = name.removesuffix(".gz")
    if not name.endswith(TEXT_SUFFIXES) and "." in name:
        return None
    return data.decode("utf-8", errors="replace")


def _views(relative: str, text: str) -> list[str]:
    """The text as a browser or a parser would read it: entities, JSON and iCal escapes undone."""
    views = [text, html.unescape(text)]
    if relative.removesuffix(".gz").endswith(".json"):
        try:
            views.append("\n".join(_strings(json.loads(text))))
        except ValueError:
            pass
    if relative.removesuffix(".gz").endswith(".ics"):
        unfolded = re.sub(r"\r?\n[ \t]", "", text)
        views.append(re.sub(r"\\([,;\\])", r"\1", unfolded).replace("\\n", "\n"))
    return views


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _html_findings(relative: str, text: str) -> Iterator[Finding]:
    for tag, url in _FETCHING_TAG.findall(text):
        yield Finding(relative, "external fetch", f"<{tag.lower()}> loads {url}")
    for link in _LINK_TAG.findall(text):
        rel = re.search(r"\srel\s*=\s*[\"']?([^\"'>]+)", link, re.IGNORECASE)
        href = re.search(r"\shref\s*=\s*[\"']?\s*((?:https?:)?//[^\"'\s>]+)", link, re.IGNORECASE)
        if href and not (rel and set(rel.group(1).lower().split()) <= _NON_FETCHING_RELS):
            yield Finding(relative, "external fetch", f"<link> loads {href.group(1)}")
    for url in _CSS_URL.findall(text):
        yield Finding(relative, "external fetch", f"style loads {url}")
    for match in _HANDLER.finditer(text):
        yield Finding(relative, "live HTML", f"an event handler: {match.group(0)[:60]}")
    for match in _SCRIPT_URL.finditer(text):
        yield Finding(relative, "live HTML", f"a script URL: {match.group(0).strip()[:60]}")
    for match in _EMBEDDING.finditer(text):
        yield Finding(relative, "live HTML", f"an embedded <{match.group(1).lower()}>")
    for article in _ARTICLE.findall(text):
        scripts = _SCRIPT.findall(article)
        if any("encryptcontent_" not in body and "init_decryptor" not in body for body in scripts):
            yield Finding(relative, "live HTML", "a <script> inside the page content")


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
    contents, the search indexes and the calendar feed. The guide the package ships is
    left out of the anchors and contents: its headings are the same in every handbook
    (`#mastermind-groups` names no one's tag)."""
    names = names_of(handbook)
    guide = {destination(path, directory_urls) for path in guidance_pages() for directory_urls in (True, False)}
    findings = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(site_dir).as_posix()
        places = {"file name": [relative]}
        text = _readable_text(path)
        if text is not None and relative in guide:
            places["title"] = _TITLE.findall(text)
        elif text is not None and relative.removesuffix(".gz").endswith((".html", ".htm")):
            places["title"] = _TITLE.findall(text)
            places["id or link"] = _ID_OR_LINK.findall(text)
            places["table of contents"] = _tables_of_contents(text)
        elif text is not None and relative.removesuffix(".gz").endswith(DATA_SUFFIXES):
            places["text"] = _views(relative, text)
        for place, texts in places.items():
            for what in sorted({what for what, name in names if any(_mentions(t, name) for t in texts)}):
                findings.append(Finding(relative, f"name in clear ({place})", what))
    return findings


def _mentions(text: str, name: str) -> bool:
    """Whether `name` is in `text` as whole words (`mentor` in `tag-mentor`, not `mentoring`)."""
    pattern = r"(?<![^\W_])" + re.escape(name.casefold()) + r"(?![^\W_])"
    return re.search(pattern, html.unescape(text).casefold()) is not None


def _tables_of_contents(text: str) -> list[str]:
    """The table of contents of an HTML page (Material's secondary navigation), outer tags included."""
    found = []
    for start in _TOC.finditer(text):
        depth = 0
        for tag in _NAV_TAG.finditer(text, start.start()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                found.append(re.sub(r"<[^>]+>", " ", text[start.start():tag.end()]))
                break
    return found
