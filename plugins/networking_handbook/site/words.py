"""Values in the words a reader uses: `--07-09` is "9 July", `3m` is "every 3 months",
`linkedin` is "LinkedIn", a day is "20 February 2026"."""

from __future__ import annotations

from datetime import date

from ..core.values import Birthday, Duration

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
# Link labels as their sites spell them; any other label gets a capital first letter.
_LINK_LABELS = {"linkedin": "LinkedIn", "github": "GitHub", "gitlab": "GitLab", "twitter": "Twitter",
                "x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky", "youtube": "YouTube",
                "instagram": "Instagram", "facebook": "Facebook", "email": "Email", "website": "Website",
                "blog": "Blog", "calendly": "Calendly", "substack": "Substack", "medium": "Medium"}


def day_month(birthday: Birthday) -> str:
    """`--07-09` as "9 July"; `1990-07-09` as "9 July 1990"."""
    words = f"{birthday.day} {MONTHS[birthday.month - 1]}"
    return f"{words} {birthday.year}" if birthday.year else words


def every(duration: Duration | str) -> str:
    """`3m` as "every 3 months", `1w` as "every week"."""
    return f"every {duration.in_words() if isinstance(duration, Duration) else duration}"


def link_label(label: str) -> str:
    """A `links:` key as a heading: `linkedin` as "LinkedIn", `portfolio` as "Portfolio"."""
    known = _LINK_LABELS.get(label.strip().casefold())
    return known or label[:1].upper() + label[1:]


def day(on: date) -> str:
    """A day in words: "20 February 2026"."""
    return f"{on.day} {MONTHS[on.month - 1]} {on.year}"


def ago(on: date, today: date) -> str:
    """How long before `today`: "today", "yesterday", "9 days ago", "in 3 days"."""
    days = (today - on).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago" if days > 0 else f"in {-days} day{'s' * (days != -1)}"
