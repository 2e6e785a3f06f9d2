"""Client-side encryption as a second layer (mkdocs-encryptcontent-plugin), checked for the
settings that would quietly weaken it. Access control on the host stays the first layer."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pathspec
import yaml

from ..core.environment import PASSWORD_VARIABLE

ENCRYPT_PLUGIN = "encryptcontent"
MIN_KDF_POW = 6  # 10**6 PBKDF2 iterations: at least the 600,000 OWASP asks for
UNLOCKED_SEARCH = "dynamically"  # encrypted entries in the index, searchable once unlocked
SEARCH_MODES = (UNLOCKED_SEARCH, "encrypted")  # `encrypted` leaves encrypted pages out of search
LEAKY_PLUGINS = {"offline": "the offline plugin builds a search index outside the encryption",
                 "material/offline": "the offline plugin builds a search index outside the encryption"}
SAFE_SETTINGS = f"""\
  - {ENCRYPT_PLUGIN}:
      global_password: !ENV {PASSWORD_VARIABLE}   # never write the password in this file
      kdf_pow: {MIN_KDF_POW}                            # 10^6 PBKDF2 iterations
      search_index: dynamically                 # encrypted pages searchable only once unlocked
      webcrypto: true
      remember_password: false
      cache_file: .cache/encryptcontent.cache    # git-ignored
"""


def encryption_problems(options: dict[str, Any], config_path: Path, plugin_names: list[str]) -> list[str]:
    """What is unsafe in the encryptcontent settings; empty when they are safe."""
    problems = []
    kdf_pow = options.get("kdf_pow", -1)
    if not isinstance(kdf_pow, int) or kdf_pow < MIN_KDF_POW:
        problems.append(f"set `kdf_pow: {MIN_KDF_POW}` or more: 10^kdf_pow PBKDF2 iterations must be at "
                        "least 600,000 (the default is far fewer)")
    if options.get("search_index", "encrypted") not in SEARCH_MODES:
        problems.append(f"set `search_index: {UNLOCKED_SEARCH}` (or `encrypted`): `clear` puts the encrypted "
                        "pages in the search index as they are")
    elif options.get("search_index") == UNLOCKED_SEARCH and options.get("remember_keys", True) is not True:
        problems.append(f"keep `remember_keys: true` with `search_index: {UNLOCKED_SEARCH}`: the search opens "
                        "encrypted entries with the keys the tab keeps after unlocking")
    if options.get("webcrypto", True) is not True:
        problems.append("keep `webcrypto: true`: without it the decryption code is loaded from a CDN")
    if options.get("password_inventory") or options.get("password_file"):
        problems.append(f"use only `global_password: !ENV {PASSWORD_VARIABLE}`, not password inventories or files")
    if not options.get("global_password"):
        problems.append(f"set `global_password: !ENV {PASSWORD_VARIABLE}` and export {PASSWORD_VARIABLE}")
    elif not _password_from_environment(config_path):
        problems.append(f"write `global_password: !ENV {PASSWORD_VARIABLE}`: the password must come from the "
                        "environment, never from mkdocs.yml")
    cache = config_path.parent / str(options.get("cache_file") or "encryptcontent.cache")
    if not _git_ignored(cache, config_path.parent):
        problems.append(f"add `{cache.relative_to(config_path.parent).parts[0]}` to .gitignore: "
                        "the encryption cache holds derived keys")
    problems += [f"remove the `{name}` plugin: {why}" for name, why in LEAKY_PLUGINS.items() if name in plugin_names]
    return problems


def _password_from_environment(config_path: Path) -> bool:
    """Whether `global_password` is written as an `!ENV` tag in the config file itself."""
    try:
        root = yaml.compose(config_path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return False
    plugins = _value(root, "plugins")
    entries = plugins.value if isinstance(plugins, yaml.SequenceNode) else [plugins] if plugins else []
    for entry in entries:
        settings = _value(entry, ENCRYPT_PLUGIN) if isinstance(entry, yaml.MappingNode) else None
        password = _value(settings, "global_password") if settings is not None else None
        if password is not None:
            return password.tag == "!ENV"
    return False


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _git_ignored(path: Path, root: Path) -> bool:
    ignore = root / ".gitignore"
    if not ignore.is_file():
        return False
    spec = pathspec.GitIgnoreSpec.from_lines(ignore.read_text(encoding="utf-8").splitlines())
    return spec.match_file(path.relative_to(root).as_posix())


def searches_unlocked_pages(options: dict[str, Any], theme_name: str | None) -> bool:
    """Whether our script must open the encrypted search entries: encryptcontent does it only for
    MkDocs' own theme, and for Material asks for a patched theme, which this script replaces."""
    return options.get("search_index") == UNLOCKED_SEARCH and theme_name == "material"


class _MaterialPatchNotice(logging.Filter):
    """Drops encryptcontent's warning that Material needs patching: the handbook's script does it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "mkdocs-material needs to be customized" not in record.getMessage()


def silence_material_patch_notice() -> None:
    logger = logging.getLogger(f"mkdocs.plugins.{ENCRYPT_PLUGIN}")
    if not any(isinstance(f, _MaterialPatchNotice) for f in logger.filters):
        logger.addFilter(_MaterialPatchNotice())
