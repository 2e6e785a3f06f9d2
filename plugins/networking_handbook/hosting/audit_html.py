"""The audit's HTML stage: a page read by a real tokenizer, judged as a browser would run it.

`html.parser` (the standard library's, with character references converted) does the
tokenizing: the audit runs in the user's hosting CI from their lock file, and a parser
there adds nothing a browser-accurate tokenizer needs for these checks. URL attributes are
judged after the browser's own clean-up (entities decoded, tab and newline removed anywhere,
C0 controls and spaces stripped at the ends, the scheme in any case). Anything that runs,
redirects, submits, embeds or restyles is live HTML when it is not what the theme writes;
anything that fetches from another host is an external fetch.
"""

from __future__ import annotations

import html
import importlib.util
import posixpath
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background",
                  "ping", "manifest", "codebase", "cite", "longdesc", "lowsrc", "dynsrc", "icon", "archive",
                  "to", "from", "values"}  # the last three: what SVG's <animate>/<set> write into an href
# Attributes whose URL the browser fetches by itself (not only when a link is followed).
FETCHING_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "ping", "manifest", "codebase", "lowsrc",
                       "dynsrc", "icon", "archive"}
_IMAGE_ATTRIBUTES = {"src", "srcset", "poster", "background", "lowsrc", "dynsrc", "icon"}  # data:image/ is fine
_FETCHING_HREF = {"link", "image", "use", "feimage", "script"}  # elements that load what href names
_NON_FETCHING_RELS = {"canonical", "alternate", "author", "me", "license", "next", "prev", "search", "help", "tag"}
EMBEDDING = {"iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe"}
SCRIPT_SCHEMES = {"javascript", "vbscript", "livescript"}
REMOTE_SCHEMES = {"http", "https", "ftp", "ws", "wss"}
_JS_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript", "application/ecmascript",
             "application/x-javascript", "application/x-ecmascript", "text/jscript", "text/livescript",
             "text/x-javascript", "text/x-ecmascript", "text/javascript1.0", "text/javascript1.1",
             "text/javascript1.2", "text/javascript1.3", "text/javascript1.4", "text/javascript1.5"}
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.DOTALL)
_CSS_FETCH = re.compile(r"""(?:url|image|image-set|src)\(\s*["']?([^"')\s]*)|@import\s+["']([^"']*)""", re.IGNORECASE)
_REFRESH_URL = re.compile(r"""^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?["']?([^"']*)""", re.IGNORECASE)

# The inline scripts of encryptcontent's locked pages, with the parts that change from page
# to page as patterns (Material's own come from its installed templates: `theme_scripts`).
_STRING = r'"(?:[^"\\\n]|\\.)*"'
_ENCRYPTCONTENT_SCRIPTS = (
    r'var encryptcontent_id = ' + _STRING + r'; var encryptcontent_path = ' + _STRING + r'; var '
    r'decryption_failure_message = ' + _STRING + r'; var encryptcontent_keystore = \[(?:"[A-Za-z0-9+/=;]*",? ?)*\]; '
    r'var encryptcontent_obfuscate = \d+; const encryptcontent_event = new Event\("encryptcontent_event"\); '
    r'var encryptcontent_done = false;',
    r'if \(!window\.hasOwnProperty\("init_decryptor"\)\) \{ import\("(?:\./|(?:\.\./)*)assets/javascripts/'
    r'decrypt-contents\.js"\); \} else \{ init_decryptor\(\); \}',
)
# Elements whose content a browser reads as text, not markup (scripting on), besides the
# <script> and <style> html.parser knows: a tag inside is no tag, and the first closing tag
# ends them, even inside an attribute's quotes (`<noscript><p title="</noscript><img
# onerror=...>">` runs the handler).
_TEXT_ELEMENTS = {"noscript", "xmp", "iframe", "noembed", "noframes", "textarea", "title"}
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
# encryptcontent's hidden blocks are the one styled element a clean page's content has.
_THEME_STYLED = {("div", "mkdocs-encrypted-content", "display:none"), ("div", "mkdocs-decrypted-content", "display:none")}


@dataclass
class Page:
    """What the audit needs of one HTML page."""

    problems: list[tuple[str, str]] = field(default_factory=list)  # (kind, detail)
    text: str = ""  # the text a reader sees: tags removed, entities decoded, whitespace collapsed
    noindex: bool = False
    title: str = ""
    ids_and_links: list[str] = field(default_factory=list)
    table_of_contents: str = ""


@cache
def theme_folders(extra: Path | None = None) -> tuple[Path, ...]:
    """The templates of the themes that may have built the site: the installed Material (found,
    not imported: the audit needs no MkDocs), and `extra`, one installed elsewhere (Zensical's,
    in a virtual environment of its own)."""
    spec = importlib.util.find_spec("material")
    locations = spec.submodule_search_locations if spec else None
    material = (Path(next(iter(locations))) / "templates",) if locations else ()
    return material + ((extra,) if extra else ())


@cache
def theme_scripts(folders: tuple[Path, ...]) -> tuple[re.Pattern[str], ...]:
    """The inline scripts a clean build may have, whitespace collapsed: the themes' own, read
    from their templates (`partials/javascripts/`, what every page includes; not analytics or
    redirect pages), each value the template fills in a string of it; and encryptcontent's."""
    templates = sorted(path for folder in folders for path in (folder / "partials" / "javascripts").glob("*.html"))
    bodies = [body for template in templates
              for body in re.findall(r"<script>(.*?)</script>", template.read_text(encoding="utf-8"), re.DOTALL)]
    theirs = [r'[^"\\<\n]*'.join(re.escape(" ".join(part.split())) for part in _JINJA.split(body))
              for body in bodies]
    return tuple(re.compile(pattern) for pattern in [*theirs, *_ENCRYPTCONTENT_SCRIPTS])


def read_page(source: str, relative: str, site_dir: Path, themes: tuple[Path, ...] = ()) -> Page:
    parser = _Parser(relative, site_dir, themes)
    try:
        parser.feed(source)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        parser.page.problems.append(("live HTML", "markup the parser cannot read, so it cannot vouch for it"))
    if parser.raw is not None:  # a <script> or <style> left open runs to the end of the page
        parser.raw_text.append(parser.rawdata)
        parser.handle_endtag(parser.raw[0])
    page = parser.page
    page.text = " ".join("".join(parser.text).split())
    page.title = " ".join("".join(parser.title).split())
    page.table_of_contents = " ".join(" ".join(parser.toc).split())
    return page


def clean_url(value: str) -> str:
    """A URL attribute as the browser uses it (entities are already decoded by the parser)."""
    return re.sub(r"[\t\n\r]", "", value).strip(_C0_AND_SPACE)


def scheme_of(url: str) -> str:
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else ""


def is_remote(url: str) -> bool:
    """Whether fetching `url` would reach another host."""
    return url.startswith(("//", "\\\\", "/\\", "\\/")) or scheme_of(url) in REMOTE_SCHEMES


def host_of(url: str) -> str:
    return urlsplit(url.replace("\\", "/")).netloc or url[:40]


def css_fetches(css: str) -> list[str]:
    """The remote URLs a style sheet loads (CSS escapes and comments undone first)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    css = _CSS_ESCAPE.sub(lambda m: chr(min(int(m.group(1), 16), 0x10FFFF)) if m.group(1) else m.group(2), css)
    urls = [clean_url(a or b) for a, b in _CSS_FETCH.findall(css)]
    return [url for url in urls if is_remote(url)]


class _Parser(HTMLParser):
    def __init__(self, relative: str, site_dir: Path, themes: tuple[Path, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.relative, self.site_dir, self.themes = relative, site_dir, themes
        self.foreign = 0  # depth inside <svg> or <math>, where a <style> holds markup
        self.text_element: str | None = None  # the open one of _TEXT_ELEMENTS
        self.page = Page()
        self.text: list[str] = []
        self.title: list[str] = []
        self.toc: list[str] = []
        self.article = 0  # depth inside <article>: the page content, where user text goes
        self.navs: list[bool] = []  # open <nav>s, each whether it is the table of contents
        self.raw: tuple[str, dict[str, str]] | None = None  # the open <script> or <style>
        self.raw_text: list[str] = []
        self.in_title = False

    def set_cdata_mode(self, elem: str, *args: Any, **kwargs: Any) -> None:
        if not (self.foreign and elem != "script"):  # `<svg><style><img onerror=...>` runs the handler
            super().set_cdata_mode(elem, *args, **kwargs)

    def problem(self, kind: str, detail: str) -> None:
        self.page.problems.append((kind, detail))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in attrs:
            self._attribute(tag, name, value or "", values)
        self._element(tag, values)
        if tag in _TEXT_ELEMENTS:
            self.set_cdata_mode(tag)
            self.text_element = tag
        if tag == "article":
            self.article += 1
        elif tag in ("svg", "math"):
            self.foreign += 1
        elif tag == "nav":
            self.navs.append("md-nav--secondary" in values.get("class", "").split())
        elif tag in ("script", "style"):
            self.raw, self.raw_text = (tag, values), []
        elif tag == "title":
            self.in_title = True
            self.title.append(" ")  # one title from the next

    def handle_endtag(self, tag: str) -> None:
        if tag == self.text_element:
            self.text_element = None
        if tag == "article":
            self.article = max(self.article - 1, 0)
        elif tag in ("svg", "math"):
            self.foreign = max(self.foreign - 1, 0)
        elif tag == "nav" and self.navs:
            self.navs.pop()
        elif tag == "title":
            self.in_title = False
        elif self.raw is not None and tag == self.raw[0]:
            element, values = self.raw
            self.raw = None
            body = "".join(self.raw_text)
            self._script(values, body) if element == "script" else self._style(body)

    def handle_data(self, data: str) -> None:
        if self.raw is not None:
            self.raw_text.append(data)
            return
        if self.text_element in ("title", "textarea"):  # these two decode character references
            data = html.unescape(data)
        self.text.append(data)
        if self.in_title:
            self.title.append(data)
        if any(self.navs):
            self.toc.append(data)

    def _attribute(self, tag: str, name: str, value: str, values: dict[str, str]) -> None:
        if name in ("id", "href", "src"):
            self.page.ids_and_links.append(value)
        if name.startswith("on") and len(name) > 2:
            self.problem("live HTML", f"an event handler <{tag} {name}>")
        if name == "style":
            for url in css_fetches(value):
                self.problem("external fetch", f"a style attribute of <{tag}> loads from {host_of(url)}")
            if self.article and (tag, values.get("id"), "".join(value.split())) not in _THEME_STYLED:
                self.problem("live HTML", f"a style attribute on <{tag}> in the page content")
        if name == "formaction":
            self.problem("live HTML", f"a <{tag} formaction>: it sends a form elsewhere")
        if name not in URL_ATTRIBUTES:
            return
        urls = [clean_url(value)]
        if name == "srcset":
            urls = [clean_url(candidate).split(" ")[0] for candidate in value.split(",")]
        elif name in ("ping", "archive"):
            urls = [clean_url(url) for url in value.split()]
        for url in urls:
            self._url(tag, name, url, values)

    def _url(self, tag: str, name: str, url: str, values: dict[str, str]) -> None:
        scheme = scheme_of(url)
        if scheme in SCRIPT_SCHEMES:
            self.problem("live HTML", f"a {scheme}: URL in <{tag} {name}>")
        elif scheme == "data" and not (url[5:].lstrip().lower().startswith("image/") and (
                name in _IMAGE_ATTRIBUTES or (tag in ("image", "feimage") and name in ("href", "xlink:href")))):
            self.problem("live HTML", f"a data: URL that is not an image in <{tag} {name}>")
        fetches = name in FETCHING_ATTRIBUTES or (name in ("href", "xlink:href") and tag in _FETCHING_HREF)
        if tag == "link" and set(values.get("rel", "").lower().split()) <= _NON_FETCHING_RELS:
            fetches = False
        if fetches and is_remote(url):
            self.problem("external fetch", f"<{tag} {name}> loads from {host_of(url)}")

    def _element(self, tag: str, values: dict[str, str]) -> None:
        if tag == "base":
            self.problem("live HTML", "a <base>: it moves every relative link of the page")
        elif tag == "meta" and values.get("http-equiv", "").strip().lower() == "refresh":
            self.problem("live HTML", "a meta refresh")
            url = _REFRESH_URL.match(values.get("content", ""))
            if url and scheme_of(clean_url(url.group(1))) in SCRIPT_SCHEMES:
                self.problem("live HTML", "a meta refresh to a script URL")
        elif tag == "meta" and values.get("name", "").strip().lower() == "robots":
            self.page.noindex |= "noindex" in values.get("content", "").lower()
        elif tag == "form" and "action" in values:
            self.problem("live HTML", "a <form action>: it sends what is typed elsewhere")
        elif tag == "style" and self.article:
            self.problem("live HTML", "a <style> in the page content")
        elif tag in EMBEDDING:
            self.problem("live HTML", f"an embedded <{tag}>")

    def _script(self, values: dict[str, str], body: str) -> None:
        if values.get("type", "").strip().lower() not in _JS_TYPES:
            return  # a data block (Material's JSON configuration): browsers do not run it
        where = " in the page content" if self.article else ""
        if "src" in values:
            url = clean_url(values["src"])
            if not is_remote(url) and not self._own_asset(url):
                self.problem("live HTML", f"a <script src> the theme does not write{where} (not under assets/)")
        elif not any(script.fullmatch(" ".join(body.split())) for script in theme_scripts(self.themes)):
            self.problem("live HTML", f"a <script> the theme does not write{where}")

    def _style(self, css: str) -> None:
        for url in css_fetches(css):
            self.problem("external fetch", f"a <style> loads from {host_of(url)}")

    def _own_asset(self, url: str) -> bool:
        """Whether `url` names a file of the site under `assets/`, as the theme's scripts are."""
        if scheme_of(url):
            return False
        path = url.split("#")[0].split("?")[0]
        joined = path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(self.relative), path)
        target = posixpath.normpath(joined)
        return target.startswith("assets/") and (self.site_dir / target).is_file()
