"""The MkDocs adapter: the handbook plugin adds the generated pages to the site.

Thin by design: every event method calls the engine (`build`), which `handbook check` and the
tests call too. Runs under MkDocs 1.6 and ProperDocs.
"""

from __future__ import annotations

import contextlib
import gc
import html
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import clean_directory, get_relative_url

from .build import HOME_PAGES, SCRIPT, STYLESHEET, Setup, configure, home_page, publish, report
from .core.diagnostics import has_errors, sorted_diagnostics
from .core.handbook import FileCache
from .core.settings import OPTIONS
from .core.site_config import ENCRYPT_PLUGIN, SiteConfig, read_config_marks
from .hosting.encryption import silence_material_patch_notice
from .site.privacy import SITEMAPS, first_in_head, with_noindex
from .site.render import RenderMemo
from .site.urls import UserFile

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page as MkDocsPage

log = get_plugin_logger(__name__)
REQUIRED_EXTENSIONS = ("admonition", "attr_list", "tables", "toc")
BIG_HANDBOOK = 1000  # contacts from which serving without `--dirty` prints a hint


class GeneratedFile(File):
    """A generated file that `mkdocs serve --dirty` builds again only if its content changed
    since the last build or its output is gone (MkDocs' own files count as always changed)."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed or not os.path.isfile(self.abs_dest_path)


class _KeptBytecode(jinja2.BytecodeCache):
    """The theme's compiled templates, kept across the builds of one `mkdocs serve`: each
    build makes a new theme environment, which compiled every template of the theme again
    (about 0.2 s a rebuild). Jinja checks each against its source, so an edited template
    compiles again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


class _PassThrough(base.Config):
    """Options reach `core.settings` as written: it checks them all at once, with positions,
    and reports an unknown one as an error (MkDocs stops at the first bad type and only warns
    of an unknown name)."""

    def _validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        failed, warnings = super()._validate()
        return failed, [(key, warning) for key, warning in warnings if key in self._schema_keys]


# Every option declared in core.settings, taken by MkDocs as any value.
HandbookConfig = type("HandbookConfig", (_PassThrough,), {name: c.Optional(c.Type(object)) for name in OPTIONS})


class HandbookPlugin(BasePlugin[HandbookConfig]):  # type: ignore[valid-type]
    def __init__(self) -> None:
        self.cache = FileCache()  # kept across `mkdocs serve` rebuilds (see on_startup)
        self.memo = RenderMemo()  # likewise: pages whose inputs did not change are reused
        self.theme_code = _KeptBytecode()  # likewise: the theme's templates, compiled
        self.serving = self.dirty = self.hinted = False
        self.setup: Setup | None = None
        self.today = ""  # the Today list, for the home page
        # for `--dirty`: what the last build wrote (generated content, every output, the layout)
        self.written: dict[str, str | bytes] = {}
        self.outputs: set[str] = set()
        self.layout: tuple[object, ...] | None = None
        self.home_today: str | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defining this keeps one plugin object, and its file cache, across serve rebuilds."""
        self.serving = command == "serve"
        self.dirty = dirty

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
        """After the first build, what it keeps for the next (the parsed files, the memo) is left
        out of the garbage collector's full passes: at 5,000 contacts each pass over it cost
        every rebuild about 0.2 s. They are freed as usual once let go of."""
        gc.collect()
        gc.freeze()
        return server

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.setup = setup = configure(_site_config(config, dict(self.config)))
        if has_errors(setup.diagnostics):
            raise PluginError(report(setup.diagnostics))
        for diagnostic in sorted_diagnostics(setup.diagnostics):
            log.warning(diagnostic.format())
        config.watch.append(str(setup.data_dir))
        config.markdown_extensions.extend(
            name for name in REQUIRED_EXTENSIONS if name not in config.markdown_extensions)
        if setup.head_script:
            silence_material_patch_notice()
        config.extra_css.append(STYLESHEET)
        config.extra_javascript.append(SCRIPT)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.setup is not None
        user_files = [UserFile(file.src_uri, file.dest_uri, os.path.relpath(file.abs_src_path or file.src_uri))
                      for file in files]
        # `mkdocs serve` keeps the parsed files in memory for its next build; a build reads and
        # writes the cache between runs that the CLI uses (`parse_cache`): a file unchanged since
        # the last build or command is not parsed again
        cache = self.cache if self.serving else FileCache(between_runs=True)
        if not self.serving:
            gc.freeze()  # what is alive now (MkDocs, the theme, the modules) lives to the end of the build
        output = publish(self.setup, user_files, Path.cwd(), cache, serving=self.serving,
                         memo=self.memo if self.serving else None)
        for src in output.unpublished:  # a stray notes.yml in docs_dir is never published
            files.remove(files.get_file_from_path(src))  # type: ignore[arg-type]
        if has_errors(output.refusals):
            raise PluginError(report(output.refusals))
        for diagnostic in sorted_diagnostics(output.data_diagnostics):
            (log.info if diagnostic.severity == "note" else log.warning)(diagnostic.format())
        self.today = output.today
        if self.serving and not self.dirty and not self.hinted and len(output.handbook.contacts) >= BIG_HANDBOOK:
            self.hinted = True
            log.info(f"{len(output.handbook.contacts)} contacts: `mkdocs serve --dirty` rebuilds only the pages "
                     "an edit changes")
        generated: list[tuple[str, str | bytes, InclusionLevel]] = [
            (page.path, page.markdown, InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV)
            for page in output.pages]
        generated += [(path, content, InclusionLevel.UNDEFINED) for path, content in output.files.items()]
        changed = 0
        for path, content, inclusion in generated:
            file = GeneratedFile.generated(config, path, content=content, inclusion=inclusion)
            assert isinstance(file, GeneratedFile)
            file.changed = self.written.get(path) != content
            changed += file.changed
            files.append(file)
        if self.dirty:  # only a dirty build compares with the last one: a build keeps no Markdown
            log.info(f"{changed} of {len(generated)} generated files changed")
            self.written = {path: content for path, content, _ in generated}
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """For `--dirty`: what MkDocs leaves wrong in a dirty build, put right. An output whose
        file is gone is deleted (a deleted contact's page, the problems page once fixed); the
        home page is built again when the Today list changed; and everything when the config or
        the navigation changed (each page shows the navigation)."""
        if not self.dirty:
            return nav
        layout = (Path(config.config_file_path).read_bytes() if config.config_file_path else b"", _nav_key(nav.items))
        outputs = {file.abs_dest_path for file in files}
        if self.layout is not None and layout != self.layout:
            clean_directory(config.site_dir)
        for stale in self.outputs - outputs:
            _remove_output(stale, config.site_dir)
        home = next(filter(None, map(files.get_file_from_path, HOME_PAGES)), None)
        if home is not None and self.today != self.home_today:
            _remove_output(home.abs_dest_path, config.site_dir)
        self.layout, self.outputs, self.home_today = layout, outputs, self.today
        _merge_search_index(config, files)
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.serving:
            env.bytecode_cache = self.theme_code
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._thaw()

    def on_build_error(self, *, error: Exception) -> None:
        """A build that failed may have written only part of the site: the next builds all of it."""
        self.written, self.layout = {}, None
        self._thaw()

    def _thaw(self) -> None:
        """After a build (not serve), what `on_files` froze is collected as usual again: a
        process that builds more than once (a script, the tests) lets go of it."""
        if not self.serving:
            gc.unfreeze()

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        return home_page(page.file.src_uri, markdown, self.today)

    @event_priority(-100)  # after every other plugin's
    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """A build lets go of a generated page's Markdown once it is HTML: MkDocs never reads it
        again, and at 20,000 contacts it is hundreds of MB held to the end (issue 15). `mkdocs
        serve` keeps it for its next build."""
        if not self.serving and isinstance(page.file, GeneratedFile):
            page.markdown = ""
            page.file.content_string = ""
        return html

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        if self.setup and self.setup.head_script:
            source = html.escape(get_relative_url(self.setup.head_script, page.url))
            output = first_in_head(output, f'<script src="{source}"></script>')
        return with_noindex(output)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """No sitemap (MkDocs skips an empty template, and its .gz with it); noindex on 404."""
        if template_name in SITEMAPS:
            return ""
        return with_noindex(output_content) if template_name.endswith(".html") else output_content


def _nav_key(items: list[Any]) -> tuple[object, ...]:
    """The navigation as every page shows it, for telling whether it changed."""
    return tuple((type(item).__name__, item.title, getattr(item, "url", None), _nav_key(item.children or []))
                 for item in items)


def _merge_search_index(config: MkDocsConfig, files: Files) -> None:
    """Material's search under `--dirty` keeps the last build's index and, of the pages built
    again, replaces only the first one's entries (all entries when that one is the home page):
    it assumes one page changed. The index is put together here instead: the earlier entries
    of every page that is still there and not built again, then what this build adds."""
    search: Any = config.plugins.get("material/search") or config.plugins.get("search")
    earlier, index = getattr(search, "search_index_prev", None), getattr(search, "search_index", None)
    if earlier is None or index is None or not isinstance(getattr(index, "entries", None), list):
        return
    pages = files.documentation_pages()
    present = {_page_url(file) for file in pages}
    built = {_page_url(file) for file in pages if file.is_modified()}
    index.entries[:0] = [entry for entry in earlier.entries
                         if (url := entry["location"].split("#")[0]) in present and url not in built]
    search.search_index_prev = None


def _page_url(file: File) -> str:
    """The URL of a file's page as MkDocs gives it to the page (and search to its entries)."""
    return "" if file.url in (".", "./") else file.url


def _remove_output(path: str, site_dir: str) -> None:
    """Delete a file of the site (and its folder, if that leaves it empty)."""
    if not Path(path).is_relative_to(site_dir):
        return
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
    with contextlib.suppress(OSError):
        os.rmdir(os.path.dirname(path))


def _site_config(config: MkDocsConfig, options: dict[str, object]) -> SiteConfig:
    """What the engine reads from a config MkDocs has loaded (with the positions from its file)."""
    path = Path(config.config_file_path or "mkdocs.yml")
    encrypt = config.plugins.get(ENCRYPT_PLUGIN)
    return SiteConfig(options, config.site_url or None, tuple(config.plugins), path, os.path.relpath(path),
                      encryption=dict(encrypt.config) if encrypt else None, theme=config.theme.name,
                      docs_dir=config.docs_dir, use_directory_urls=config.use_directory_urls,
                      marks=read_config_marks(path), site_name=config.site_name or "")
