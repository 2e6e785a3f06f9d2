"""Stage 4b, pages: Markdown text per site path, from the Jinja2 templates in `templates/`.

User text never becomes live HTML or Markdown syntax. Every `{{ value }}` is escaped by the
environment's `finalize` (HTML and Markdown specials become character references); only
values built here as `Markup` pass through: links to our own pages, checked URLs, and
notes rendered by `render_notes`.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from ..core.identity import mail_link_address, mailto, topic_key
from ..core.package_data import package_files
from ..core.records import Contact, Event
from ..core.rule_table import RULE_BY_ID
from ..core.rules import when_due
from . import pictures, words
from .escape import md_text
from .network_map import groups, network_map, page_href, person_map
from .pager import pager
from .paging import Pages
from .structure import FEW, TOPIC_LISTS, DirectoryRow, Few, Site, status_of

if TYPE_CHECKING:  # imported when a page is rendered, not by `handbook check`
    import jinja2
    import markdown

_NOTE_TAGS = {"p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
              "a", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"}
_URL_SAFE = "/:?#@!$&'+,;=%~-._"
PEOPLE_INDEX = "people/index.json"  # everyone, for the People pages' script, when they are paged


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
    import nh3

    html = _notes_converter().reset().convert(text)
    clean = nh3.clean(html, tags=_NOTE_TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow",
                      attribute_filter=_without_mail_headers)
    return Markup(f'<div class="handbook-notes" markdown="0">\n{clean}\n</div>')


@cache
def _notes_converter() -> markdown.Markdown:
    """One converter for every note (making one costs more than converting a note); `reset`
    before each use clears what the last note left."""
    import markdown

    converter = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    converter.preprocessors.deregister("html_block")
    for pattern in ("html", "entity"):
        converter.inlinePatterns.deregister(pattern)
    return converter


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
        person_map=person_map, few=FEW, pager=pager,
    )
    return environment




class _Links:
    """Relative Markdown links from a page at `base` (its path back to the site root). Each
    person and event linked is noted in `named`, with the name the link shows (see `RenderMemo`)."""

    def __init__(self, site: Site, base: str) -> None:
        self.site, self.base = site, base
        self.named: dict[tuple[str, str], str | None] = {}
        # links to people by slug, made once for every page at this depth (pages link the same people)
        self.people: dict[str, Markup] = site.made.setdefault(("person links", base), {})

    def person(self, slug: str) -> Markup:
        contact = self.site.handbook.contacts.get(slug)
        self.named[("contacts", slug)] = contact.name if contact else None
        link = self.people.get(slug)
        if link is None:
            path = self.site.person_path(slug) if contact else slug
            link = self.people[slug] = _link(contact.name if contact else slug, f"{self.base}people/{path}.md")
        return link

    def few(self, people: Few, ranking: str, where: str = "") -> Markup:
        """The people of a bounded list, linked, and how many more there are and how the shown
        ones were picked (`ranking`), with `where` the full list is."""
        text = ", ".join(self.person(slug) for slug in people)
        if people.more:
            text += f"; and {people.more} more (these {len(people.shown)} are {ranking}{'; ' + where if where else ''})"
        return Markup(text)

    def event(self, slug: str) -> Markup:
        event = self.site.handbook.events.get(slug)
        self.named[("events", slug)] = event.name if event else None
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

    def topic(self, folder: str, topic: str) -> Markup:
        """A link to everyone under `topic` in `Site.topics[folder]`, if that list has a page."""
        pages = self.site.topic_pages.get((folder, topic_key(topic)))
        if pages is None:
            return Markup("")
        return self.page(pages.paths[0], f"everyone who {TOPIC_LISTS[folder]}s {topic}")

    def people_index(self, page: str) -> str:
        """The URL of `PEOPLE_INDEX` from `page`, if the site publishes it (`people_index`)."""
        return page_href(self.site, page, PEOPLE_INDEX) if _publishes_index(self.site) else ""


def _render(template: str, site: Site, base: str, links: _Links | None = None, **context: Any) -> str:
    links = links or _Links(site, base)
    return _environment().get_template(template).render(site=site, links=links, **context)


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


def _paged(pages: Pages[Any], source: str, in_nav: bool, template: str, file: str | None = None,
           **context: Any) -> Iterator[PagePlan]:
    """A plan for each page of a long list (the first in the navigation if `in_nav`)."""
    for number, path in enumerate(pages.paths, 1):
        yield PagePlan(path, source if number == 1 else f"page {number} of {source}", in_nav and number == 1,
                       template, "../" * path.count("/"), {**context, "pages": pages, "number": number, "page_path": path},
                       file)


def plan_pages(site: Site) -> Iterator[PagePlan]:
    """Every generated page. Paths may repeat (a contact with the slug `index`); the build
    refuses such collisions."""
    yield PagePlan("dashboard.md", "the dashboard", True, "dashboard.md.j2", "")
    for key, (title, items, shown) in site.dashboard_lists.items():
        if len(items) > shown:
            yield from _paged(site.item_pages(key, items), f"the dashboard's {title} in full", False, "items.md.j2",
                              key=key, title=title)
    if len(site.ready_to_ask()) > site.limits.names:
        yield from _paged(site.ready_pages, "the dashboard's Ready to ask in full", False, "people_list.md.j2",
                          kind=Markup(""), title="Ready to ask", locked=None,
                          intro=f"You have given at least {site.settings.gives_before_ask} times since your last ask "
                                "to each of these people, by name.")
    yield from _paged(site.people_pages, "the people directory", True, "people.md.j2")
    yield from _paged(site.event_pages, "the events list", True, "events.md.j2")
    yield from _paged(site.tag_index_pages, "the tags list", True, "tags.md.j2")
    yield PagePlan("network.md", "the network page", True, "network.md.j2", "")
    paths = site.handbook.paths
    for slug in site.people:
        path = paths[("contacts", slug)]
        yield PagePlan(f"people/{site.person_path(slug)}.md", path, False, "person.md.j2", "../",
                       {"person": Later(site.people, slug)}, path)
    for slug, event in site.events.items():
        path = paths[("events", slug)]
        yield from _paged(site.event_people_pages(slug), path, False, "event.md.j2", path, view=event)
    for tag_slug, (tag, slugs) in site.tags.items():
        pages = site.tag_pages(tag_slug)
        yield from _paged(pages, f"the tag `{tag}`", False, "people_list.md.j2", paths[("contacts", slugs[0])],
                          kind=Markup("Tag: "), title=tag, locked="Tag",
                          intro=f"{len(pages.items)} people, by name." if pages.count > 1 else "")
    for (folder, key), pages in site.topic_pages.items():
        verb = TOPIC_LISTS[folder]
        yield from _paged(pages, f"the people who {verb} `{key}`", False, "people_list.md.j2",
                          paths[("contacts", pages.items[0].slug)], kind=Markup(f"People who {verb} "), title=key,
                          locked="List",
                          intro=f"{len(pages.items)} people who {verb} {key} (not archived), the ones you have "
                                "been in touch with most often first.")
    if site.diagnostics:
        yield PagePlan("problems.md", "the problems page", True, "problems.md.j2", "")


def render_page(site: Site, plan: PagePlan, memo: RenderMemo | None = None) -> Page:
    """The page's Markdown; with `memo` (while serving), a person, event or long list page's
    from the last build when everything it shows is unchanged (`RenderMemo`)."""
    if memo is not None and plan.template in _MEMO_INPUTS:
        return _memoized(site, plan, memo)
    return Page(plan.path, _render(plan.template, site, plan.base, **_resolved(plan)), plan.source, plan.in_nav)


def _resolved(plan: PagePlan) -> dict[str, Any]:
    return {key: value.value() if isinstance(value, Later) else value for key, value in plan.context.items()}


def _memoized(site: Site, plan: PagePlan, memo: RenderMemo) -> Page:
    inputs = _MEMO_INPUTS[plan.template](site, plan.context)  # a person's view is not made to compare
    kept = memo.pages.get(plan.path)
    if kept and kept.inputs == inputs and memo.same_names(site, kept):
        kept.checked = memo.build
        return kept.page
    context = _resolved(plan)
    links = _Links(site, plan.base)
    page = Page(plan.path, _render(plan.template, site, plan.base, links, **context), plan.source, plan.in_nav)
    memo.pages[plan.path] = _Rendered(inputs, links.named, page, memo.build)
    memo.rendered[plan.template] += 1
    return page


class _Same:
    """A value that equals only itself: a record is compared by identity (the file cache keeps
    an unchanged file's record), since `==` on records ignores the order of mappings, which
    a page shows (a contact's `links`)."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.value is self.value

    __hash__ = None  # type: ignore[assignment]


@dataclass
class _Rendered:
    inputs: tuple[Any, ...]
    named: dict[tuple[str, str], str | None]
    page: Page
    checked: int  # the last build that found `named` up to date


@dataclass
class RenderMemo:
    """Person, event and long list pages (the dashboard's, People, tags, topics) from the
    earlier builds of one `mkdocs serve`, with what each was made of (`_MEMO_INPUTS`) and the
    name of every person and event it links to (noted while it rendered). Their templates
    read nothing else, so when all of these are equal the Markdown is too
    (tests/test_incremental_serve.py renders both ways). The other pages (the dashboard, the
    network, the lists of events and tags) are rendered every time: each reads much of the
    handbook."""

    pages: dict[str, _Rendered] = field(default_factory=dict)
    rendered: Counter[str] = field(default_factory=Counter)  # pages rendered since `start`, by template
    build: int = 0
    names: dict[tuple[str, str], str] = field(default_factory=dict)  # every person's and event's, at `build`
    renamed: set[tuple[str, str]] = field(default_factory=set)  # named differently (or new, or gone) since
    index: tuple[tuple[Any, ...], str] | None = None  # `people_index` and what it was made of

    def start(self, site: Site, paths: set[str]) -> None:
        """Start a build: drop the pages no longer planned, and note whose names changed."""
        self.pages = {path: kept for path, kept in self.pages.items() if path in paths}
        self.rendered = Counter()
        self.build += 1
        names = {("contacts", slug): contact.name for slug, contact in site.handbook.contacts.items()}
        names.update((("events", slug), event.name) for slug, event in site.handbook.events.items())
        self.renamed = {key for key in names.keys() | self.names.keys() if names.get(key) != self.names.get(key)}
        self.names = names

    def same_names(self, site: Site, kept: _Rendered) -> bool:
        """Whether every person and event `kept` links to has the name it showed. A page found
        up to date by the last build needs only `renamed` checked; any other (a build stopped
        half way) every name."""
        if kept.checked == self.build - 1:
            return self.renamed.isdisjoint(kept.named)
        return all(_name(site, *key) == name for key, name in kept.named.items())


def _record(site: Site, folder: str, slug: str) -> Contact | Event | None:
    return (site.handbook.contacts if folder == "contacts" else site.handbook.events).get(slug)


def _name(site: Site, folder: str, slug: str) -> str | None:
    record = _record(site, folder, slug)
    return record.name if record else None


def _own_file(site: Site, folder: str, slug: str) -> tuple[Any, ...]:
    """What a person's or an event's page reads of its own file: the warning it shows while
    the file has errors, the file's path and the record (by identity)."""
    own = (folder, slug)
    return site.handbook.stand_ins.get(own), site.handbook.paths.get(own), _Same(_record(site, folder, slug))


def _person_inputs(site: Site, context: dict[str, Any]) -> tuple[Any, ...]:
    """Everything `person.md.j2` reads besides the names it links to (see `RenderMemo`): what
    its view is made of (`PersonViews.inputs`), not the view itself, which is made only to
    render the page."""
    slug = context["person"].slug
    contact = site.handbook.contacts[slug]
    topic_pages = tuple(  # where its topic lists link: a page's name depends on the other topics
        getattr(site.topic_pages.get((folder, topic_key(topic))), "paths", None)
        for folder, topics in (("offering", contact.needs), ("needing", contact.offers)) for topic in topics)
    return (*_site_inputs(site), *_own_file(site, "contacts", slug), site.people.inputs(slug),
            _network_slice(site, slug, contact), topic_pages)


def _site_inputs(site: Site) -> tuple[Any, ...]:
    """What every memoized page reads of the site as a whole: the day, the settings, whether
    it is live, encrypted, and how its URLs are made."""
    return site.today, site.settings, site.live, site.opaque_key, site.directory_urls


def _item_list_inputs(site: Site, context: dict[str, Any]) -> tuple[Any, ...]:
    """Everything `items.md.j2` reads for one page of a dashboard list besides the names it
    links to: the list's length and pages, and for each row its item, its person's record
    (their phones, last interaction and email draft come from it) and the name of the event
    they met at (the draft of a first follow-up names it)."""
    pages, number = context["pages"], context["number"]
    contacts = site.handbook.contacts
    rows = tuple((item, _Same(contacts[item.contact]), _name(site, "events", contacts[item.contact].met.at or ""))
                 for item in pages.page(number))
    length = len(pages.items) if number == 1 else None  # only the first page says it
    return (*_site_inputs(site), context["key"], context["title"], number, context["page_path"], length, pages.paths,
            pages.labels, rows)


def _event_inputs(site: Site, context: dict[str, Any]) -> tuple[Any, ...]:
    """Everything `event.md.j2` reads for one page of an event besides the names it links to:
    its record, the warning it shows while its file has errors, its people with their
    follow-ups, and its pages."""
    view, pages, number = context["view"], context["pages"], context["number"]
    return (*_site_inputs(site), *_own_file(site, "events", view.slug), tuple(view.people), view.upcoming, number,
            context["page_path"], pages.paths, pages.labels)


def _people_rows(pages: Pages[DirectoryRow], number: int) -> tuple[Any, ...]:
    """What `people_table.md.j2` reads of one page's rows (the record by identity)."""
    return tuple((row.slug, _Same(row.contact), row.last_touch, row.next_due, row.first_meeting, row.status)
                 for row in pages.page(number))


def _people_list_inputs(site: Site, context: dict[str, Any]) -> tuple[Any, ...]:
    """Everything `people_list.md.j2` reads for one page of a tag's, a topic's or the ready to
    ask list besides the names it links to."""
    pages, number = context["pages"], context["number"]
    return (*_site_inputs(site), context["kind"], context["title"], context["locked"], context["intro"], number,
            context["page_path"], len(pages.items), pages.paths, pages.labels, _people_rows(pages, number))


def _people_inputs(site: Site, context: dict[str, Any]) -> tuple[Any, ...]:
    """Everything `people.md.j2` reads for one page of People besides the names it links to."""
    pages, number = context["pages"], context["number"]
    return (*_site_inputs(site), number, context["page_path"], len(site.directory), _publishes_index(site),
            pages.paths, pages.labels, _people_rows(pages, number))


def _network_slice(site: Site, slug: str, contact: Contact) -> tuple[Any, ...] | None:
    """What `person_network.md.j2` and `person_map` read of the network for one person."""
    if contact.stage == "archived":
        return None
    net = site.network
    ties = tuple(net.neighbours(slug))
    number = net.cluster_of.get(slug)
    brokers = net.broker_slugs()
    return (ties, number, (net.cluster(number).name, len(net.cluster(number).people)) if number else None,
            tuple((net.cluster_of.get(other), other in brokers, site.handbook.contacts[other].name)
                  for other, _ in ties),
            tuple(broker for broker in net.brokers if broker.slug == slug),
            tuple(bridge for bridge in net.fragile if bridge.through == slug))


_MEMO_INPUTS: dict[str, Callable[[Site, dict[str, Any]], tuple[Any, ...]]] = {
    "person.md.j2": _person_inputs,
    "event.md.j2": _event_inputs,
    "items.md.j2": _item_list_inputs,
    "people_list.md.j2": _people_list_inputs,
    "people.md.j2": _people_inputs,
}


def _publishes_index(site: Site) -> bool:
    """Only a paged People list needs the index, and an encrypted site never publishes it:
    it would name everyone outside the encrypted pages."""
    return site.people_pages.count > 1 and not site.opaque_key


def people_index(site: Site, memo: RenderMemo | None = None) -> str | None:
    """`PEOPLE_INDEX`: each person's name, page (relative to the index), company, tags, stage
    and status, the fields the People table shows (never `private` or notes). With `memo`, the
    last build's when no row changed."""
    if not _publishes_index(site):
        return None
    inputs = (*_site_inputs(site), tuple((row.slug, _Same(row.contact), row.status) for row in site.directory))
    if memo is not None and memo.index is not None and memo.index[0] == inputs:
        return memo.index[1]
    rows = [[row.contact.name, page_href(site, PEOPLE_INDEX, f"people/{site.person_path(row.slug)}.md"),
             row.contact.company or "", ", ".join(row.contact.tags), row.contact.stage, row.status]
            for row in site.directory]
    text = json.dumps({"people": rows}, ensure_ascii=False, separators=(",", ":"))
    if memo is not None:
        memo.index = (inputs, text)
    return text


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
