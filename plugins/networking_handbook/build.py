"""The build as every adapter runs it, with no MkDocs: what a site's config sets up, what the
build refuses, and the pages and files it publishes.

`configure` checks mkdocs.yml and the environment (the options, the encryption settings,
HANDBOOK_TODAY, the calendar secret); `publish` loads the handbook and checks the URLs of its
pages against each other and the user's files, then renders them. `check` runs both checks
without rendering: `handbook check` reports everything `mkdocs build` refuses, in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from .core import environment
from .core.diagnostics import Diagnostic, has_errors, sorted_diagnostics
from .core.handbook import FileCache, LoadResult, load_handbook
from .core.package_data import package_files
from .core.records import Handbook
from .core.settings import Settings, settings_from_site
from .core.site_config import ENCRYPT_PLUGIN, SiteConfig
from .exchange.exports import calendar_feed_path, calendar_secret_problem, export_ics, person_page_url
from .hosting.encryption import encryption_diagnostics, page_id_key, searches_unlocked_pages
from .site.privacy import ROBOTS_TXT
from .site.render import (
    PEOPLE_INDEX,
    Page,
    PagePlan,
    RenderMemo,
    guidance_pages,
    people_index,
    plan_pages,
    render_page,
    render_today,
)
from .site.structure import Site, build_site
from .site.urls import UserFile, docs_files, url_collisions

STYLESHEET = "assets/handbook/handbook.css"
SCRIPT = "assets/handbook/handbook.js"
UNLOCKED_SEARCH_SCRIPT = "assets/handbook/unlocked-search.js"  # must run before the theme's own scripts
TODAY_MARKER = "<!-- handbook:today -->"  # on the home page, replaced by the Today list
HOME_PAGES = ("index.md", "README.md")


@dataclass(frozen=True)
class Setup:
    """What a site's config and environment set the build up to do, and what is wrong with them."""

    site: SiteConfig
    settings: Settings
    today: date
    data_dir: Path
    diagnostics: list[Diagnostic]
    opaque_key: str | None = None  # with encryption: the key of the page ids (`page_id_key`)
    head_script: str | None = None
    feed_path: str | None = None


def configure(site: SiteConfig, *, building: bool = True) -> Setup:
    """Validate the options, and for a site that enables the plugin, the encryption settings
    and the environment. `building=False` (for `handbook check`) makes a password missing from
    the environment a warning: the build machine has it, the author's shell need not."""
    settings, diagnostics = settings_from_site(site)
    data_dir = site.path.parent / settings.data_dir
    try:
        today = settings.resolve_today()
    except ValueError as error:  # a bad HANDBOOK_TODAY: reported, and the build stops
        diagnostics.append(Diagnostic(site.display, 0, 0, str(error)))
        today = date.today()
    if site.options is None:  # the plugin is off: only the options matter, to the CLI
        return Setup(site, settings, today, data_dir, diagnostics)
    diagnostics += encryption_diagnostics(site, building=building)
    secret = environment.calendar_secret()
    problem = calendar_secret_problem(secret)
    if problem:
        diagnostics.append(Diagnostic(site.display, 0, 0, problem))
    elif secret and site.encryption is not None:  # DESIGN: no feed names anyone on an encrypted site
        problem = "an encrypted site cannot publish the calendar feed: its events name people in clear"
        diagnostics.append(site.diagnostic(
            ("plugins", ENCRYPT_PLUGIN), problem, key=True,
            hint="unset HANDBOOK_CALENDAR_SECRET for this build; publish the feed elsewhere with "
                 "`handbook export ics`"))
    password = (site.encryption or {}).get("global_password")
    key = page_id_key(str(password), site.site_name, (site.encryption or {}).get("kdf_pow")) if password else None
    unlocked = key is not None and searches_unlocked_pages(site.encryption or {}, site.theme)
    return Setup(site, settings, today, data_dir, diagnostics, key, UNLOCKED_SEARCH_SCRIPT if unlocked else None,
                 None if problem else calendar_feed_path(secret))


@dataclass(frozen=True)
class Output:
    """What a build publishes, and what it refuses to."""

    handbook: Handbook
    file_count: int
    data_diagnostics: list[Diagnostic]  # the notes' problems: `mkdocs serve` shows them and goes on
    refusals: list[Diagnostic]  # what stops the build: collisions, and data errors unless serving
    pages: list[Page] = field(default_factory=list)
    files: dict[str, str | bytes] = field(default_factory=dict)  # guide, feed, robots.txt, assets
    unpublished: list[str] = field(default_factory=list)  # the user's stray sources, left out
    today: str = ""  # the Today list's Markdown, for the home page (`home_page`)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted_diagnostics({*self.data_diagnostics, *self.refusals})


def _plan(setup: Setup, result: LoadResult, user_files: list[UserFile]) -> tuple[Site, list[PagePlan], list[Diagnostic]]:
    site = build_site(result.handbook, setup.settings, setup.today, result.diagnostics, setup.opaque_key,
                      live=not setup.settings.today_is_fixed(), directory_urls=setup.site.use_directory_urls)
    plans = list(plan_pages(site))
    published = [file for file in user_files if file.published()]
    return site, plans, url_collisions(plans, published, setup.site.use_directory_urls, setup.site.display)


def publish(setup: Setup, user_files: list[UserFile], relative_to: Path, cache: FileCache | None = None,
            *, serving: bool = False, memo: RenderMemo | None = None) -> Output:
    """The pages and files of a build of a configured site whose own files are `user_files`.

    Refused, with nothing rendered: a handbook with errors (unless serving: `mkdocs serve`
    shows them on a page), and pages whose URLs collide. With `memo` (kept across the builds
    of one `mkdocs serve`), pages whose inputs did not change are not rendered again
    (`RenderMemo`)."""
    result = load_handbook(setup.data_dir, relative_to, cache, keep_every_page=serving)
    output = Output(result.handbook, result.file_count, result.diagnostics, [],
                    unpublished=[file.src for file in user_files if not file.published()])
    if has_errors(result.diagnostics) and not serving:
        output.refusals.extend(result.diagnostics)
        return output
    site, plans, collisions = _plan(setup, result, user_files)
    output.refusals.extend(collisions)
    if has_errors(collisions):
        return output
    if memo is not None:
        memo.start(site, {plan.path for plan in plans})
    output.pages.extend(render_page(site, plan, memo) for plan in plans)
    sources = {file.src for file in user_files}
    output.files.update((path, text) for path, text in guidance_pages().items() if path not in sources)
    if setup.feed_path:
        page_url = person_page_url(setup.site.site_url, site.person_path)
        output.files[setup.feed_path] = export_ics(result.handbook, setup.settings, setup.today, page_url)
    index = people_index(site, memo)
    if index is not None:
        output.files[PEOPLE_INDEX] = index
    if "robots.txt" not in sources:
        output.files["robots.txt"] = ROBOTS_TXT
    assets = package_files("site", "assets")
    for path in (STYLESHEET, SCRIPT, *filter(None, [setup.head_script])):
        output.files[path] = assets[Path(path).name]
    return replace(output, today=render_today(site))


def home_page(src: str, markdown: str, today: str) -> str:
    """A page of the user's, with `TODAY_MARKER` replaced by the Today list if it is the home page."""
    return markdown.replace(TODAY_MARKER, today) if src in HOME_PAGES else markdown


def check(site: SiteConfig, relative_to: Path, cache: FileCache | None = None) -> Output:
    """Everything the build of `site` would refuse, in the same words, found without rendering
    a page (for `handbook check`): the config's problems; else the handbook's; else the URLs'."""
    setup = configure(site, building=False)
    if has_errors(setup.diagnostics):
        return Output(Handbook(), 0, [], setup.diagnostics)
    result = load_handbook(setup.data_dir, relative_to, cache)
    output = Output(result.handbook, result.file_count, result.diagnostics, list(setup.diagnostics))
    if site.options is not None and not has_errors(result.diagnostics):  # with the plugin off, no pages
        user_files = docs_files(site.path.parent / site.docs_dir, relative_to, site.use_directory_urls)
        output.refusals.extend(_plan(setup, result, user_files)[2])
    return output


def report(diagnostics: list[Diagnostic]) -> str:
    """Every diagnostic as `path:line:col: error: message`, under a count of the errors."""
    errors = sum(d.severity == "error" for d in diagnostics)
    lines = [d.format() for d in sorted_diagnostics(diagnostics)]
    return f"{errors} error{'s' * (errors != 1)} in the handbook:\n" + "\n".join(lines)
