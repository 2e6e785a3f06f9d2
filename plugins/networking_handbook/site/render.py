"""Stage 4b, pages: Markdown text per site path, from the Jinja2 templates in `templates/`.

User text never becomes live HTML or Markdown syntax. Every `{{ value }}` is escaped by the
environment's `finalize` (HTML and Markdown specials become character references); only
values built here as `Markup` pass through: links to our own pages, checked URLs, and
notes rendered by `render_notes`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from ..core.identity import mail_link_address, mailto
from ..core.package_data import package_files
from ..core.rule_table import RULE_BY_ID
from ..core.rules import when_due
from . import pictures, words
from .escape import md_text
from .network_map import groups, network_map, person_map
from .structure import FEW, Few, Site, status_of

if TYPE_CHECKING:  # imported when a page is rendered, not by `handbook check`
    import jinja2

_NOTE_TAGS = {"p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
              "a", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"}
_URL_SAFE = "/:?#@!$&'+,;=%~-._"


def safe_url(url: str) -> Markup:
    """A checked `http(s)://`, `mailto:` or `tel:` URL, percent-encoded for a Markdown link target.
    A `mailto:` address is encoded whole (`%` kept, so `mailto()`'s own output is unchanged)."""
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https", "mailto", "tel"):
        raise ValueError(f"refusing to link to {url!r}")
    if scheme == "tel":
        return Markup("tel:" + quote(url.split(":", 1)[1], safe="+"))
    if scheme == "mailto":
        address, mark, query = url.split(":", 1)[1].partition("?")
        return Markup("mailto:" + quote(address, safe="@%") + mark + quote(query, safe=_URL_SAFE))
    return Markup(quote(url, safe=_URL_SAFE))


def render_notes(text: str | None) -> Markup:
    """Notes as HTML: Markdown formatting works, raw HTML shows as text, links are checked.

    Python-Markdown's raw-HTML and entity handling are switched off, so `<script>` is
    escaped like any text; nh3 then keeps only plain formatting and web or mail links.
    """
    if not text or not text.strip():
        return Markup("")
    import markdown
    import nh3

    converter = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    converter.preprocessors.deregister("html_block")
    for pattern in ("html", "entity"):
        converter.inlinePatterns.deregister(pattern)
    html = converter.convert(text)
    clean = nh3.clean(html, tags=_NOTE_TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow",
                      attribute_filter=_without_mail_headers)
    return Markup(f'<div class="handbook-notes" markdown="0">\n{clean}\n</div>')


def _without_mail_headers(element: str, attribute: str, value: str) -> str:
    """A `mailto:` link in a note goes to its address alone (see `mail_link_address`)."""
    if attribute == "href" and value[:7].lower() == "mailto:":
        return mail_link_address(value)
    return value


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return md_text(value)


def _link(text: object, target: str) -> Markup:
    return Markup(f"[{md_text(text) or md_text(target)}]({target})")


def _action(text: str, target: str) -> Markup:
    """A link that does something (write, call), shown as a button big enough to tap."""
    return Markup(f"[{md_text(text)}]({safe_url(target)}){{: .handbook-action }}")


def _cards(kind: str = "") -> Markup:
    """Put in a table's first heading: on a narrow screen, the stylesheet stacks the table's
    rows as cards (`kind` names the table, for the labels the stylesheet adds)."""
    extra = f" handbook-cards--{md_text(kind)}" if kind else ""
    return Markup(f'<span class="handbook-cards{extra}"></span>')


def _anchor(identifier: str) -> Markup:
    """An attr_list id for a heading, so links like `dashboard.md#check-in` stay stable."""
    return Markup("{#" + md_text(identifier) + "}")


def _heading_anchor(site: Site) -> Markup:
    """The attr_list id a page's heading gets in place of its text's slug, if any (`Site.heading_id`)."""
    identifier = site.heading_id()
    return Markup(" " + _anchor(identifier)) if identifier else Markup("")


def front_matter(title: str | None = None, hide: tuple[str, ...] = ()) -> Markup:
    """Every page's front matter, which every template and guide page starts with.

    `render_macros: false`: the mkdocs-macros plugin would otherwise run each page as a Jinja2
    template, and `{{ ... }}` in a note would be code run at build time. The title, when
    given, is HTML text: themes print `page.title` unescaped into `<title>` and the
    navigation (a name like `</title><script>` stays text). `hide` lists what Material leaves
    off the page (`toc`)."""
    lines = ["render_macros: false"]
    if title is not None:
        lines.insert(0, "title: " + json.dumps(html.escape(" ".join(title.split()))))
    if hide:
        lines.append(f"hide: {json.dumps(list(hide))}")
    return Markup("---\n" + "\n".join(lines) + "\n---\n")


def _long_date(day: date) -> str:
    return f"{day:%A}, {day.day} {day:%B %Y}"


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("networking_handbook.site", "templates"),
        autoescape=False,  # the output is Markdown; `_finalize` escapes for Markdown instead
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals.update(
        anchor=_anchor, heading_anchor=_heading_anchor, front_matter=front_matter, link=_link, url=safe_url,
        mailto=mailto, notes=render_notes, long_date=_long_date, action=_action, cards=_cards,
        pictures=pictures, words=words, status_of=status_of, rules=RULE_BY_ID, network_map=network_map,
        network_groups=groups,
        person_map=person_map, few=FEW,
    )
    return environment




class _Links:
    """Relative Markdown links from a page at `base` (its path back to the site root)."""

    def __init__(self, site: Site, base: str) -> None:
        self.site, self.base = site, base

    def person(self, slug: str) -> Markup:
        contact = self.site.handbook.contacts.get(slug)
        path = self.site.person_path(slug) if contact else slug
        return _link(contact.name if contact else slug, f"{self.base}people/{path}.md")

    def few(self, people: Few, ranking: str, where: str = "") -> Markup:
        """The people of a bounded list, linked, and how many more there are and how the shown
        ones were picked (`ranking`), with `where` the full list is."""
        text = ", ".join(self.person(slug) for slug in people)
        if people.more:
            text += f"; and {people.more} more (these {len(people.shown)} are {ranking}{'; ' + where if where else ''})"
        return Markup(text)

    def event(self, slug: str) -> Markup:
        event = self.site.handbook.events.get(slug)
        path = self.site.page_name("events", slug) if event else slug
        return _link(event.name if event else slug, f"{self.base}events/{path}.md")

    def tag(self, tag: str, tag_slug: str) -> Markup:
        return _link(tag, f"{self.base}tags/{self.site.page_name('tags', tag_slug)}.md")

    def guide(self, rule: str, text: str = "Why?") -> Markup:
        return _link(text, f"{self.base}guide/{RULE_BY_ID[rule].guide}")

    def when(self, due: date, days_overdue: int) -> Markup:
        """`3 days overdue`; on a live site marked with its due date, so that the page script
        can relabel it for the viewer's own day between daily rebuilds."""
        label = md_text(when_due(days_overdue))
        if not self.site.live:
            return Markup(label)
        return Markup(f'<span class="handbook-when" data-due="{due.isoformat()}">{label}</span>')

    def page(self, path: str, text: str) -> Markup:
        return _link(text, f"{self.base}{path}")


def _render(template: str, site: Site, base: str, **context: Any) -> str:
    return _environment().get_template(template).render(site=site, links=_Links(site, base), **context)


@dataclass(frozen=True)
class Later:
    """A page's view looked up when the page is rendered, not when it is planned (see `PersonViews`)."""

    views: Mapping[str, Any]
    slug: str

    def value(self) -> Any:
        return self.views[self.slug]


@dataclass(frozen=True)
class PagePlan:
    """A generated page before its Markdown: enough to check its URL without rendering it."""

    path: str  # site path, e.g. `people/ana-souza.md`
    source: str  # what the page is made from, for messages
    in_nav: bool
    template: str
    base: str  # the way back to the site root, for relative links
    context: dict[str, Any] = field(default_factory=dict)
    file: str | None = None  # the note file a problem with the page is reported in


@dataclass(frozen=True)
class Page:
    path: str  # site path, e.g. `people/ana-souza.md`
    markdown: str
    source: str  # what the page is made from, for messages
    in_nav: bool


def plan_pages(site: Site) -> Iterator[PagePlan]:
    """Every generated page. Paths may repeat (a contact with the slug `index`); the build
    refuses such collisions."""
    yield PagePlan("dashboard.md", "the dashboard", True, "dashboard.md.j2", "")
    yield PagePlan("people/index.md", "the people directory", True, "people.md.j2", "../")
    yield PagePlan("events/index.md", "the events list", True, "events.md.j2", "../")
    yield PagePlan("tags/index.md", "the tags list", True, "tags.md.j2", "../")
    yield PagePlan("network.md", "the network page", True, "network.md.j2", "")
    paths = site.handbook.paths
    for slug in site.people:
        path = paths[("contacts", slug)]
        yield PagePlan(f"people/{site.person_path(slug)}.md", path, False, "person.md.j2", "../",
                       {"person": Later(site.people, slug)}, path)
    for slug, event in site.events.items():
        path = paths[("events", slug)]
        yield PagePlan(f"events/{site.page_name('events', slug)}.md", path, False, "event.md.j2", "../",
                       {"view": event}, path)
    for tag_slug, (tag, slugs) in site.tags.items():
        yield PagePlan(f"tags/{site.page_name('tags', tag_slug)}.md", f"the tag `{tag}`", False, "tag.md.j2", "../",
                       {"tag": tag, "tag_slug": tag_slug, "slugs": slugs}, paths[("contacts", slugs[0])])
    if site.diagnostics:
        yield PagePlan("problems.md", "the problems page", True, "problems.md.j2", "")


def render_page(site: Site, plan: PagePlan) -> Page:
    context = {key: value.value() if isinstance(value, Later) else value for key, value in plan.context.items()}
    return Page(plan.path, _render(plan.template, site, plan.base, **context), plan.source, plan.in_nav)


def render_today(site: Site) -> str:
    """The Today list alone, for the site's home page (links from the site root)."""
    return _render("today.md.j2", site, "")


def render_pages(site: Site) -> Iterator[Page]:
    """Every generated page, rendered (see `plan_pages`)."""
    return (render_page(site, plan) for plan in plan_pages(site))


def guidance_pages() -> dict[str, str]:
    """The guide shipped with the package: site path (`guide/follow-up.md`) to Markdown, under
    the front matter every generated page has."""
    return {path: front_matter() + data.decode("utf-8") for path, data in package_files("site", "guidance").items()
            if path.endswith(".md")}
