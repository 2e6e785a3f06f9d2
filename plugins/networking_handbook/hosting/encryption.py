"""Client-side encryption as a second layer (mkdocs-encryptcontent-plugin), checked for the
settings that would quietly weaken it. Access control on the host stays the first layer."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from ..core.diagnostics import Diagnostic
from ..core.environment import PASSWORD_VARIABLE
from ..core.site_config import ENCRYPT_PLUGIN, SiteConfig

DEFAULT_CACHE = "encryptcontent.cache"  # encryptcontent's cache when `cache_file` is not set
MIN_KDF_POW = 6  # 10**6 PBKDF2 iterations: at least the 600,000 OWASP asks for
UNLOCKED_SEARCH = "dynamically"  # encrypted entries in the index, searchable once unlocked
SEARCH_MODES = (UNLOCKED_SEARCH, "encrypted")  # `encrypted` leaves encrypted pages out of search
LEAKY_PLUGINS = {"offline": "the offline plugin builds a search index outside the encryption",
                 "material/offline": "the offline plugin builds a search index outside the encryption"}
PAGE_ID_SALT = b"networking-handbook page ids\0"  # followed by the site's name: a salt for each site
SAFE_SETTINGS = f"""\
  - {ENCRYPT_PLUGIN}:
      global_password: !ENV {PASSWORD_VARIABLE}   # never write the password in this file
      kdf_pow: {MIN_KDF_POW}                            # 10^6 PBKDF2 iterations
      search_index: dynamically                 # encrypted pages searchable only once unlocked
      webcrypto: true
      remember_password: false
      cache_file: ""                            # no cache: encryptcontent's keeps the password
"""


def encryption_diagnostics(site: SiteConfig, *, building: bool = True) -> list[Diagnostic]:
    """What is unsafe in the encryptcontent settings, each at the option it concerns; empty
    when they are safe or the site is not encrypted. A password missing from the environment
    is an error for a build, and a warning elsewhere (`handbook check` runs without it)."""
    options = site.encryption
    if options is None:
        return []
    problems: list[tuple[str, str]] = []  # (the option to point at, what to do)
    kdf_pow = options.get("kdf_pow", -1)
    if not isinstance(kdf_pow, int) or kdf_pow < MIN_KDF_POW:
        problems.append(("kdf_pow", f"set `kdf_pow: {MIN_KDF_POW}` or more: 10^kdf_pow PBKDF2 iterations must be "
                                    "at least 600,000 (the default is far fewer)"))
    if options.get("search_index", "encrypted") not in SEARCH_MODES:
        problems.append(("search_index", f"set `search_index: {UNLOCKED_SEARCH}` (or `encrypted`): `clear` puts "
                                         "the encrypted pages in the search index as they are"))
    elif options.get("search_index") == UNLOCKED_SEARCH and options.get("remember_keys", True) is not True:
        problems.append(("remember_keys", f"keep `remember_keys: true` with `search_index: {UNLOCKED_SEARCH}`: the "
                                          "search opens encrypted entries with the keys the tab keeps after unlocking"))
    if options.get("webcrypto", True) is not True:
        problems.append(("webcrypto", "keep `webcrypto: true`: without it the decryption code is loaded from a CDN"))
    for name in ("password_inventory", "password_file"):
        if options.get(name):
            problems.append((name, f"use only `global_password: !ENV {PASSWORD_VARIABLE}`, not password "
                                   "inventories or files"))
    from_environment = site.marks.tags.get(("plugins", ENCRYPT_PLUGIN, "global_password")) == "!ENV"
    missing_password = not options.get("global_password") and from_environment
    if not options.get("global_password") and not from_environment:
        problems.append(("global_password", f"set `global_password: !ENV {PASSWORD_VARIABLE}` and export "
                                            f"{PASSWORD_VARIABLE}"))
    elif not from_environment:
        problems.append(("global_password", f"write `global_password: !ENV {PASSWORD_VARIABLE}`: the password must "
                                            "come from the environment, never from mkdocs.yml"))
    cache_file = options.get("cache_file", DEFAULT_CACHE)
    if cache_file:
        stale = f", and delete {cache_file}" if (site.path.parent / str(cache_file)).exists() else ""
        problems.append(("cache_file", f'set `cache_file: ""`{stale}: encryptcontent\'s cache keeps the password '
                                       "itself (as a key), beside the keys derived from it"))
    diagnostics = [site.diagnostic(("plugins", ENCRYPT_PLUGIN, name), f"the encryption settings are not safe: {what}")
                   for name, what in problems]
    diagnostics += [site.diagnostic(("plugins", name), f"the encryption settings are not safe: remove the `{name}` "
                                    f"plugin: {why}") for name, why in LEAKY_PLUGINS.items() if name in site.plugins]
    if missing_password:
        diagnostics.append(site.diagnostic(
            ("plugins", ENCRYPT_PLUGIN, "global_password"),
            f"the encryption password is not set: export {PASSWORD_VARIABLE} (mkdocs.yml reads it with "
            f"`!ENV {PASSWORD_VARIABLE}`)", severity="error" if building else "warning"))
    return diagnostics


def page_id_key(password: str, site_name: str, kdf_pow: object) -> str:
    """The key of the opaque page ids (`structure.opaque_id`), derived once per build.

    PBKDF2-HMAC-SHA256 with as many iterations as the page encryption (10^kdf_pow, at least
    10^6) and a salt fixed for the site, so that testing a guessed password against a page's
    id costs as much as testing it against the page itself."""
    power = max(kdf_pow if isinstance(kdf_pow, int) else MIN_KDF_POW, MIN_KDF_POW)
    salt = PAGE_ID_SALT + site_name.encode("utf-8")
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, 10**power).hex()


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
