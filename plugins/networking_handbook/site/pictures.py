"""Stage 4c, pictures: inline SVG drawn at build time, inside the page content (so page
encryption covers them), with nothing fetched and no script.

Every picture has a text alternative (`role="img"` with `aria-label` and `<title>`) that
says the same numbers as the page's text, and tells its values apart by shape, fill or
label as well as by colour. Colours come from `handbook.css` through `class` attributes;
no `style`. The output is one line with integer coordinates: same input, same bytes.
User text (names) is escaped by `html_text`, for HTML and for Markdown, since an inline
picture sits in a Markdown table cell.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from markupsafe import Markup

from .escape import html_text
from .structure import Month
from .words import MONTHS, day

STATUS_LABELS = {"overdue": "overdue", "today": "due today", "soon": "due this week", "fine": "nothing due soon"}
# One shape per status, 16 by 16: a warning triangle, a full disc, a half disc, a ring.
_STATUS_SHAPES = {
    "overdue": '<path d="M8 1L15 14H1Z"/><path class="handbook-mark__cut" d="M7 5h2v5H7zM7 11h2v2H7z"/>',
    "today": '<circle cx="8" cy="8" r="6"/>',
    "soon": '<circle class="handbook-mark__ring" cx="8" cy="8" r="5.5"/><path d="M8 2a6 6 0 0 1 0 12Z"/>',
    "fine": '<circle class="handbook-mark__ring" cx="8" cy="8" r="5.5"/>',
}
_HUES = 8  # avatar colour classes `handbook-hue-0` to `-7` in the stylesheet
_STRIP_ROWS = (("touches", "touch", "touches"), ("gives", "give", "gives"), ("asks", "ask", "asks"),
               ("promises", "promise", "promises"))


def _svg(kind: str, width: int, height: int, label: str, body: str, extra_class: str = "") -> Markup:
    classes = f"handbook-{kind} {extra_class}".strip()
    alternative = html_text(label)
    return Markup(f'<svg class="{classes}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
                  f'role="img" aria-label="{alternative}"><title>{alternative}</title>{body}</svg>')


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def status_mark(status: str) -> Markup:
    """The small mark of a row's status, by shape: overdue, today, soon or fine."""
    return _svg("mark", 16, 16, STATUS_LABELS[status], _STATUS_SHAPES[status], f"handbook-mark--{status}")


def initials(name: str) -> str:
    """`Ana Souza` as `AS`, `Zoë Müller` as `ZM`, `Prince` as `P`: the first letter or digit of the
    first and the last word."""
    words = [letters for letters in ("".join(filter(str.isalnum, word)) for word in name.split()) if letters]
    if not words:
        return "?"
    picked = [words[0], words[-1]] if len(words) > 1 else words
    return "".join(word[0] for word in picked).upper()


def avatar(name: str, key: str) -> Markup:
    """A disc with the initials of `name`, its colour fixed by `key` (the slug)."""
    hue = int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % _HUES
    body = (f'<circle cx="20" cy="20" r="20"/><text x="20" y="25" text-anchor="middle">'
            f"{html_text(initials(name))}</text>")
    return _svg("avatar", 40, 40, name, body, f"handbook-hue-{hue}")


def rhythm_summary(weeks: Sequence[tuple[date, int]], goal: int, streak: int) -> str:
    """The rhythm picture in words: what its text alternative and caption say."""
    met = sum(count >= goal for _, count in weeks)
    this_week = weeks[-1][1] if weeks else 0
    return (f"Touches per week for the last {len(weeks)} weeks: {this_week} this week against a goal of {goal}; "
            f"{met} of {len(weeks)} weeks reached the goal; streak {_count(streak, 'week', 'weeks')}.")


def rhythm_chart(weeks: Sequence[tuple[date, int]], goal: int, streak: int) -> Markup:
    """Touches per week as bars, oldest left, against a dashed goal line: a week that reached
    the goal is a filled bar, one below it an outline."""
    bar, gap, left, top, plot = 16, 4, 52, 8, 96
    width = left + len(weeks) * (bar + gap)
    highest = max([goal, 1, *(count for _, count in weeks)])

    def y(value: int) -> int:
        return top + plot - round(value * plot / highest)

    parts = [f'<path class="handbook-rhythm__axis" d="M{left - 2} {top + plot}H{width}"/>',
             _label(left - 6, top + plot + 4, "0", "end"),
             f'<path class="handbook-rhythm__goal" d="M{left - 2} {y(goal)}H{width}"/>',
             _label(left - 6, y(goal) + 4, f"goal {goal}", "end")]
    if highest > goal:
        parts.append(_label(left - 6, y(highest) + 4, str(highest), "end"))
    for index, (start, count) in enumerate(weeks):
        x = left + index * (bar + gap)
        state = "met" if count >= goal else "below"
        height = max(top + plot - y(count), 1)
        parts.append(f'<rect class="handbook-rhythm__bar handbook-rhythm__bar--{state}" x="{x}" '
                     f'y="{top + plot - height}" width="{bar}" height="{height}"><title>Week of {day(start)}: '
                     f'{_count(count, "touch", "touches")}</title></rect>')
    if weeks:
        parts += [_label(left, top + plot + 16, day(weeks[0][0])), _label(width, top + plot + 16, "this week", "end")]
    summary = rhythm_summary(weeks, goal, streak)
    return _figure(_svg("rhythm", width, top + plot + 22, summary, "".join(parts)), summary)


def strip_summary(name: str, months: Sequence[Month]) -> str:
    """A relationship's strip in words: what its text alternative and caption say."""
    if not months:
        return f"No months to show for {name}."
    totals = [sum(getattr(month, row) for month in months) for row, _, _ in _STRIP_ROWS]
    counts = ", ".join(_count(total, one, many) for total, (_, one, many) in zip(totals, _STRIP_ROWS, strict=True))
    first, last = months[0].start, months[-1].start
    span = f"{MONTHS[first.month - 1]} {first.year} to {MONTHS[last.month - 1]} {last.year}"
    return f"The last {len(months)} months with {name}, {span}: {counts}."


def relationship_strip(name: str, months: Sequence[Month]) -> Markup:
    """One column per month, one row each for touches (discs), gives (up triangles), asks
    (down triangles) and promises (squares); a mark's number is its count, a dot is none."""
    column, row_height, left, top = 30, 22, 62, 14
    width, height = left + len(months) * column, top + len(_STRIP_ROWS) * row_height
    parts = []
    empty = []  # a dot for each month with none, all in one path (a page draws dozens)
    for index, month in enumerate(months):
        x = left + index * column + column // 2
        parts.append(_label(x, 10, MONTHS[month.start.month - 1][:3], "middle"))
    for row, (field, one, many) in enumerate(_STRIP_ROWS):
        y = top + row * row_height + row_height // 2
        parts.append(_label(0, y + 4, field))
        for index, month in enumerate(months):
            x = left + index * column + column // 2
            count = getattr(month, field)
            if not count:
                empty.append(f"M{x} {y}h0")
                continue
            title = f"{MONTHS[month.start.month - 1]} {month.start.year}: {_count(count, one, many)}"
            parts.append(f'<g class="handbook-strip__{field}"><title>{title}</title>{_strip_shape(field, x, y)}'
                         f'<text x="{x}" y="{y + 4}">{count}</text></g>')  # centred by the stylesheet
    if empty:
        parts.append(f'<path class="handbook-strip__none" d="{"".join(empty)}"/>')
    summary = strip_summary(name, months)
    return _figure(_svg("strip", width, height, summary, "".join(parts)), summary)


def _strip_shape(field: str, x: int, y: int) -> str:
    if field == "touches":
        return f'<circle cx="{x}" cy="{y}" r="9"/>'
    if field == "gives":
        return f'<path d="M{x} {y - 10}L{x + 10} {y + 8}H{x - 10}Z"/>'
    if field == "asks":
        return f'<path d="M{x - 10} {y - 8}H{x + 10}L{x} {y + 10}Z"/>'
    return f'<rect x="{x - 9}" y="{y - 9}" width="18" height="18"/>'


def _label(x: int, y: int, text: str, anchor: str = "start") -> str:
    """A label of ours (no user text) in a chart."""
    return f'<text class="handbook-label" x="{x}" y="{y}" text-anchor="{anchor}">{text}</text>'


def _figure(svg: Markup, caption: str) -> Markup:
    """A block picture with its caption: raw HTML that Markdown passes through as it is."""
    return Markup(f'<figure class="handbook-picture">{svg}<figcaption>{html_text(caption)}</figcaption></figure>')
