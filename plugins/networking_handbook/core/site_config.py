"""Reading `mkdocs.yml` without MkDocs: the handbook plugin's options, the settings of the site
that the build checks, and where each of them is written (for `path:line:col` diagnostics).

Real configs carry tags such as `!!python/name:material.extensions.emoji.twemoji`, `!ENV`
and `!relative`. `!ENV` is read from the environment as MkDocs does; every other tag is
read as nothing, so loading the file never imports or runs anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from . import environment
from .diagnostics import Diagnostic, Severity

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")
PLUGIN_NAME = "handbook"
ENCRYPT_PLUGIN = "encryptcontent"
Mark = tuple[int, int]  # 1-based line and column
ConfigPath = tuple[str, ...]  # ("plugins", "handbook", "weekly_goal"): keys, a plugin by its name


class _ConfigLoader(yaml.CSafeLoader):
    pass


def _environment_value(loader: _ConfigLoader, node: yaml.Node) -> Any:
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`: the first variable set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    for name in names:
        value = environment.variable(name) if isinstance(name, str) else None
        if value is not None:
            return yaml.load(value, Loader=_ConfigLoader)
    return default


def _number_or_text(construct: Any) -> Any:
    """A number constructor that keeps what it cannot read (`weekly_goal: 0x_`) as text, so the
    option's own check reports it with its position instead of PyYAML raising."""
    def constructor(loader: _ConfigLoader, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except ValueError:
            return str(node.value)
    return constructor


_ConfigLoader.add_constructor("!ENV", _environment_value)
_ConfigLoader.add_constructor("tag:yaml.org,2002:int", _number_or_text(yaml.SafeLoader.construct_yaml_int))
_ConfigLoader.add_constructor("tag:yaml.org,2002:float", _number_or_text(yaml.SafeLoader.construct_yaml_float))
# A date stays text, so that `today: 2026-02-30` is reported as the option's error, not raised.
_ConfigLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: str(node.value))
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class ConfigMarks:
    """Where each key of the config is written: top-level keys, plugins by name, and every
    key inside a plugin's options; with the position and the tag (`!ENV`) of each value."""

    keys: dict[ConfigPath, Mark] = field(default_factory=dict)
    values: dict[ConfigPath, Mark] = field(default_factory=dict)
    tags: dict[ConfigPath, str] = field(default_factory=dict)
    fallback: Mark = (0, 0)  # for what this file does not write: its `INHERIT:` line, if any

    def locate(self, path: ConfigPath, *, key: bool = False) -> Mark:
        """The value (or with `key`, the key) at `path`; for a path not written, the key of the
        nearest entry around it (the plugin, for a missing option); (0, 0) when none is."""
        found = (self.keys if key else self.values).get(path) or self.keys.get(path)
        while found is None and path:
            path = path[:-1]
            found = self.keys.get(path)
        return found or self.fallback


def read_config_marks(config_path: Path) -> ConfigMarks:
    """The marks of a config file read by someone else (MkDocs); none if it cannot be read."""
    try:
        marks = config_marks(yaml.compose(config_path.read_bytes(), Loader=_ConfigLoader))
    except (OSError, yaml.YAMLError):
        return ConfigMarks()
    return replace(marks, fallback=marks.keys.get(("INHERIT",), (0, 0)))


def config_marks(node: yaml.Node | None) -> ConfigMarks:
    marks = ConfigMarks()

    def note(path: ConfigPath, key: yaml.Node, value: yaml.Node | None) -> None:
        marks.keys[path] = (key.start_mark.line + 1, key.start_mark.column + 1)
        if value is not None:
            marks.values[path] = (value.start_mark.line + 1, value.start_mark.column + 1)
            marks.tags[path] = value.tag
            walk(path, value)

    def walk(path: ConfigPath, node: yaml.Node) -> None:
        if path == ("plugins",) and isinstance(node, yaml.SequenceNode):
            for item in node.value:
                if isinstance(item, yaml.ScalarNode):
                    note((*path, str(item.value)), item, None)
                elif isinstance(item, yaml.MappingNode) and item.value:
                    name, options = item.value[0]
                    if isinstance(name, yaml.ScalarNode):
                        note((*path, str(name.value)), name, options)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    note((*path, str(key.value)), key, value)

    if node is not None:
        walk((), node)
    return marks


@dataclass(frozen=True)
class SiteConfig:
    """What the checks need from `mkdocs.yml`: the handbook plugin's options (None when the
    plugin is not enabled), the site's address, the plugins by name, the encryption plugin's
    options, and where everything is written."""

    options: dict[str, Any] | None
    site_url: str | None
    plugins: tuple[str, ...] = ()
    path: Path = Path("mkdocs.yml")
    display: str = "mkdocs.yml"  # the path as diagnostics show it
    encryption: dict[str, Any] | None = None  # the options of `encryptcontent`, when enabled
    theme: str | None = None
    docs_dir: str = "docs"
    use_directory_urls: bool = True
    marks: ConfigMarks = field(default_factory=ConfigMarks)
    site_name: str = ""

    def locate(self, path: ConfigPath, *, key: bool = False) -> Mark:
        return self.marks.locate(path, key=key)

    def diagnostic(self, path: ConfigPath, message: str, *, key: bool = False, hint: str | None = None,
                   severity: Severity = "error") -> Diagnostic:
        """A problem with the setting at `path`, placed where mkdocs.yml writes it."""
        line, column = self.locate(path, key=key)
        return Diagnostic(self.display, line, column, message, severity=severity, hint=hint)


def _load_config(path: Path, display: str) -> tuple[Any, yaml.Node | None, list[Diagnostic]]:
    """One config file's data and node tree; problems reading it are diagnostics."""
    try:
        loader = _ConfigLoader(path.read_bytes())
    except OSError as error:
        return None, None, [Diagnostic(display, 0, 0, f"cannot read the config: {error.strerror}")]
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node, []
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, None, [Diagnostic(display, line, column, f"invalid YAML: {error.problem}")]
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
        return None, None, [Diagnostic(display, 1, 1, f"invalid YAML: {error}")]
    finally:
        loader.dispose()


def _merged(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """`child` over `parent` as MkDocs merges `INHERIT:` (mappings merged, anything else replaced)."""
    merged = dict(parent)
    for key, value in child.items():
        below = merged.get(key)
        merged[key] = _merged(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return merged


def _inherited(config: dict[str, Any], config_path: Path, display: str,
               seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any], list[Diagnostic]]:
    """`config` with the files it names in `INHERIT:` merged beneath it, as MkDocs reads it."""
    parent_name = config.pop("INHERIT", None)
    if not isinstance(parent_name, str):
        return config, []
    parent_path = (config_path.parent / parent_name).resolve()
    if parent_path in seen:
        return config, [Diagnostic(display, 1, 1, f"`INHERIT: {parent_name}` comes back to a file already read",
                                   hint="remove the loop of INHERIT lines")]
    parent_display = str(Path(display).parent / parent_name)
    parent, _, problems = _load_config(parent_path, parent_display)
    if problems or not isinstance(parent, dict):
        return config, problems
    parent, problems = _inherited(parent, parent_path, parent_display, (*seen, config_path.resolve()))
    return _merged(parent, config), problems


def read_site_config(config_path: Path, display: str) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read the config (and what it inherits); problems reading it are diagnostics."""
    unread = SiteConfig(None, None, path=config_path, display=display)
    config, node, problems = _load_config(config_path, display)
    if problems:
        return unread, problems
    config = config if isinstance(config, dict) else {}
    inherit_mark = config_marks(node).keys.get(("INHERIT",), (0, 0))
    config, problems = _inherited(config, config_path, display)
    if problems:
        return unread, problems
    site_url = config.get("site_url") if isinstance(config.get("site_url"), str) else None
    theme = config.get("theme")
    plugins = config.get("plugins")
    entries = dict(plugins.items() if isinstance(plugins, dict) else (
        (next(iter(item.items())) if isinstance(item, dict) and item else (item, {}))
        for item in (plugins if isinstance(plugins, list) else [])
    ))
    encryption = entries.get(ENCRYPT_PLUGIN)
    site = SiteConfig(
        None, site_url or None, tuple(str(name) for name in entries), config_path, display,
        encryption=dict(encryption or {}) if ENCRYPT_PLUGIN in entries else None,
        theme=(theme.get("name") if isinstance(theme, dict) else theme) if isinstance(theme, (dict, str)) else None,
        docs_dir=config["docs_dir"] if isinstance(config.get("docs_dir"), str) else "docs",
        use_directory_urls=config.get("use_directory_urls") is not False,
        marks=replace(config_marks(node), fallback=inherit_mark),
        site_name=str(config.get("site_name") or ""),
    )
    if PLUGIN_NAME not in entries:
        return site, []
    options = entries[PLUGIN_NAME]
    if not isinstance(options, (dict, type(None))):
        return site, [site.diagnostic(("plugins", PLUGIN_NAME), "the options of the `handbook` plugin must be a mapping")]
    options = dict(options or {})
    options.pop("enabled", None)
    return replace(site, options=options), []

