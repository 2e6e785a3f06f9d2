"""Every environment variable the package reads: each named once, and read here only.

The rest of the package calls these accessors, so a reader finds in one file everything a
shell, a CI job or a test can change from outside."""

from __future__ import annotations

import os

TODAY_VARIABLE = "HANDBOOK_TODAY"  # fixes the day the rules use: tests, reproducible builds
CALENDAR_SECRET_VARIABLE = "HANDBOOK_CALENDAR_SECRET"  # publishes the calendar feed at a secret path
PASSWORD_VARIABLE = "HANDBOOK_PASSWORD"  # the encryption password, which mkdocs.yml reads with `!ENV`
NO_COLOR_VARIABLE = "NO_COLOR"  # https://no-color.org: diagnostics without colours on a terminal
CACHE_VARIABLE = "HANDBOOK_CACHE"  # `off`: no cache between runs (core/parse_cache.py)
CACHE_DIR_VARIABLE = "HANDBOOK_CACHE_DIR"  # where that cache is kept, instead of the user's cache folder


def today_text() -> str | None:
    """HANDBOOK_TODAY as written, or None when it is unset or empty."""
    return os.environ.get(TODAY_VARIABLE) or None


def calendar_secret() -> str | None:
    """HANDBOOK_CALENDAR_SECRET, or None when it is unset or empty (no feed)."""
    return os.environ.get(CALENDAR_SECRET_VARIABLE) or None


def colours_allowed() -> bool:
    """False when NO_COLOR is set to anything but the empty text."""
    return not os.environ.get(NO_COLOR_VARIABLE)


def cache_disabled() -> bool:
    """True when HANDBOOK_CACHE is `off` (in any case)."""
    return (os.environ.get(CACHE_VARIABLE) or "").strip().lower() == "off"


def cache_dir() -> str | None:
    """HANDBOOK_CACHE_DIR, or None when it is unset or empty."""
    return os.environ.get(CACHE_DIR_VARIABLE) or None


def variable(name: str) -> str | None:
    """Any variable by name, None when unset: what a `!ENV NAME` tag in mkdocs.yml reads."""
    return os.environ.get(name)
