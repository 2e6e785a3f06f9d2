"""The MkDocs adapter: the handbook plugin adds the generated pages to the site.

Thin by design: every event method calls the engine. Runs under MkDocs 1.6 and ProperDocs.
"""

from __future__ import annotations

import html
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from .core import environment
from .core.diagnostics import Diagnostic, has_errors, sorted_diagnostics
from .core.handbook import FileCache, load_handbook
from .core.settings import Settings, settings_from_options
from .exchange.exports import calendar_feed_path, export_ics, person_page_url
from .hosting.encryption import (
    ENCRYPT_PLUGIN,
    encryption_problems,
    searches_unlocked_pages,
    silence_material_patch_notice,
)
from .site.privacy import ROBOTS_TXT, SITEMAPS, first_in_head, is_source_file, with_noindex
from .site.render import Page, guidance_pages, render_pages
from .site.structure import build_site

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page as MkDocsPage

log = get_plugin_logger(__name__)
REQUIRED_EXTENSIONS = ("admonition", "attr_list", "tables", "toc")
ASSETS = ("assets/handbook/handbook.css", "assets/handbook/handbook.js")
UNLOCKED_SEARCH_ASSET = "assets/handbook/unlocked-search.js"


class HandbookConfig(base.Config):
    data_dir = c.Type(str, default="handbook")
    today = c.Optional(c.Type(object))
    timezone = c.Optional(c.Type(str))
    first_follow_up = c.Type(str, default="1d")
    promise_due = c.Type(str, default="7d")
    gives_before_ask = c.Type(int, default=3)
    dormant_after = c.Type(str, default="180d")
    decide_after = c.Type(str, default="90d")
    cadence_by_tag = c.Type(dict, default={})
    weekly_goal = c.Type(int, default=5)
    my_industry = c.Optional(c.Type(str))


class HandbookPlugin(BasePlugin[HandbookConfig]):
    def __init__(self) -> None:
        self.cache = FileCache()  # kept across `mkdocs serve` rebuilds (see on_startup)
        self.serving = False
        self.settings = Settings()
        self.data_dir = Path("handbook")
        self.opaque_key: str | None = None
        self.head_script: str | None = None  # must run before the theme's own scripts

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defining this keeps one plugin object, and its file cache, across serve rebuilds."""
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        settings, problems = settings_from_options(dict(self.config), config.config_file_path)
        if problems:
            raise PluginError(_report(problems))
        self.settings = settings
        self.data_dir = Path(config.config_file_path).parent / settings.data_dir
        config.watch.append(str(self.data_dir))
        config.markdown_extensions.extend(
            name for name in REQUIRED_EXTENSIONS if name not in config.markdown_extensions)
        self.opaque_key = self._encryption_key(config)
        self.head_script = None
        if self.opaque_key and searches_unlocked_pages(dict(config.plugins[ENCRYPT_PLUGIN].config),
                                                       config.theme.name):
            silence_material_patch_notice()
            self.head_script = UNLOCKED_SEARCH_ASSET
        config.extra_css.append(ASSETS[0])
        config.extra_javascript.append(ASSETS[1])  # type: ignore[arg-type]
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for file in [f for f in files if not f.is_documentation_page() and is_source_file(f.src_uri)]:
            files.remove(file)  # a stray notes.yml in docs_dir is never published
        result = load_handbook(self.data_dir, Path.cwd(), self.cache)
        if has_errors(result.diagnostics) and not self.serving:
            raise PluginError(_report(result.diagnostics))
        for diagnostic in sorted_diagnostics(result.diagnostics):
            log.warning(diagnostic.format())
        try:
            today = self.settings.resolve_today()
        except ValueError as error:
            raise PluginError(str(error)) from None
        site = build_site(result.handbook, self.settings, today, result.diagnostics, self.opaque_key,
                          live=not self.settings.today_is_fixed())
        pages = list(render_pages(site))
        _refuse_collisions(pages, files, config)
        for page in pages:
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.path, content=page.markdown, inclusion=inclusion))
        for path, text in guidance_pages().items():
            if files.get_file_from_path(path) is None:  # a file in docs_dir replaces ours
                files.append(File.generated(config, path, content=text))
        try:
            feed = calendar_feed_path(environment.calendar_secret())
        except ValueError as error:
            raise PluginError(str(error)) from None
        if feed:
            page_url = person_page_url(config.site_url, site.person_path)
            files.append(File.generated(config, feed, content=export_ics(result.handbook, self.settings, today,
                                                                         page_url)))
        if files.get_file_from_path("robots.txt") is None:
            files.append(File.generated(config, "robots.txt", content=ROBOTS_TXT))
        for asset in [*ASSETS, *filter(None, [self.head_script])]:
            source = resources.files("networking_handbook.site") / "assets" / Path(asset).name
            files.append(File.generated(config, asset, content=source.read_bytes()))
        return files

    @staticmethod
    def _encryption_key(config: MkDocsConfig) -> str | None:
        """With encryptcontent: its settings checked, and the key for opaque person pages."""
        if ENCRYPT_PLUGIN not in config.plugins:
            return None
        options = dict(config.plugins[ENCRYPT_PLUGIN].config)
        problems = encryption_problems(options, Path(config.config_file_path), list(config.plugins))
        if problems:
            raise PluginError("The encryption settings are not safe:\n- " + "\n- ".join(problems))
        return str(options["global_password"])

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        if self.head_script:
            source = html.escape(get_relative_url(self.head_script, page.url))
            output = first_in_head(output, f'<script src="{source}"></script>')
        return with_noindex(output)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """No sitemap (MkDocs skips an empty template, and its .gz with it); noindex on 404."""
        if template_name in SITEMAPS:
            return ""
        return with_noindex(output_content) if template_name.endswith(".html") else output_content


def _report(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    lines = [d.format() for d in sorted_diagnostics(diagnostics)]
    return f"{errors} error{'s' * (errors != 1)} in the handbook:\n" + "\n".join(lines)


def _refuse_collisions(pages: list[Page], files: Files, config: MkDocsConfig) -> None:
    """Generated pages must not share a URL with each other or with the user's files."""
    taken = {file.dest_uri: os.path.relpath(file.abs_src_path or file.src_uri) for file in files}
    problems = []
    for page in pages:
        dest = File(page.path, None, config.site_dir, config.use_directory_urls).dest_uri
        if dest in taken:
            problems.append(f"{page.source} would be published at `{dest}`, "
                            f"which {taken[dest]} already uses: rename one of them")
        else:
            taken[dest] = page.source
    if problems:
        raise PluginError("The handbook cannot publish every page:\n" + "\n".join(problems))
