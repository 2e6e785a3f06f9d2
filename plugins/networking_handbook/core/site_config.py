"""Reading the handbook plugin's options from `mkdocs.yml` without MkDocs, for the CLI.

Real configs carry tags such as `!!python/name:material.extensions.emoji.twemoji`, `!ENV`
and `!relative`. `!ENV` is read from the environment as MkDocs does; every other tag is
read as nothing, so loading the file never imports or runs anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import environment
from .diagnostics import Diagnostic

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")
PLUGIN_NAME = "handbook"


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


_ConfigLoader.add_constructor("!ENV", _environment_value)
# A date stays text, so that `today: 2026-02-30` is reported as the option's error, not raised.
_ConfigLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def find_config(explicit: Path | None, cwd: Path) -> Path | None:
    if explicit is not None:
        return explicit
    return next((cwd / name for name in CONFIG_NAMES if (cwd / name).is_file()), None)


@dataclass(frozen=True)
class SiteConfig:
    """What the CLI needs from `mkdocs.yml`: the plugin's options (None when the plugin is
    not enabled) and the site's public address."""

    options: dict[str, Any] | None
    site_url: str | None
    plugins: tuple[str, ...] = ()


def read_site_config(config_path: Path, display: str) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read the config; problems reading it are diagnostics."""
    try:
        config = yaml.load(config_path.read_bytes(), Loader=_ConfigLoader)
    except OSError as error:
        return SiteConfig(None, None), [Diagnostic(display, 0, 0, f"cannot read the config: {error.strerror}")]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return SiteConfig(None, None), [Diagnostic(display, line, column, f"invalid YAML: {error.problem}")]
    except yaml.YAMLError as error:
        return SiteConfig(None, None), [Diagnostic(display, 1, 1, f"invalid YAML: {error}")]
    config = config if isinstance(config, dict) else {}
    site_url = config.get("site_url") if isinstance(config.get("site_url"), str) else None
    plugins = config.get("plugins")
    entries = list(plugins.items() if isinstance(plugins, dict) else (
        (next(iter(item.items())) if isinstance(item, dict) and item else (item, {}))
        for item in (plugins if isinstance(plugins, list) else [])
    ))
    names = tuple(str(name) for name, _ in entries)
    for name, options in entries:
        if name == PLUGIN_NAME:
            if not isinstance(options, (dict, type(None))):
                return SiteConfig(None, site_url, names), [
                    Diagnostic(display, 0, 0, "the options of the `handbook` plugin must be a mapping")]
            options = dict(options or {})
            options.pop("enabled", None)
            return SiteConfig(options, site_url or None, names), []
    return SiteConfig(None, site_url or None, names), []
