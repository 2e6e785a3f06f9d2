"""Every environment variable the package reads: each named once, and read here only.

The rest of the package calls these accessors, so a reader finds in one file everything a
shell, a CI job or a test can change from outside."""

from __future__ import annotations

import os

TODAY_VARIABLE = "HANDBOOK_TODAY"  # fixes the day the rules use: tests, reproducible builds
CALENDAR_SECRET_VARIABLE = "HANDBOOK_CALENDAR_SECRET"  # publishes the calendar feed at a secret path
PASSWORD_VARIABLE = "HANDBOOK_PASSWORD"  # the encryption password, which mkdocs.yml reads with `!ENV`
NO_COLOR_VARIABLE = "NO_COLOR"  # https://no-color.org: diagnostics without colours on a terminal


def today_text() -> str | None:
    """HANDBOOK_TODAY as written, or None when it is unset or empty."""
    return os.environ.get(TODAY_VARIABLE) or None


def calendar_secret() -> str | None:
    """HANDBOOK_CALENDAR_SECRET, or None when it is unset or empty (no feed)."""
    return os.environ.get(CALENDAR_SECRET_VARIABLE) or None


def colours_allowed() -> bool:
    """False when NO_COLOR is set to anything but the empty text."""
    return not os.environ.get(NO_COLOR_VARIABLE)


def variable(name: str) -> str | None:
    """Any variable by name, None when unset: what a `!ENV NAME` tag in mkdocs.yml reads."""
    return os.environ.get(name)
