"""The pictures and words of the pages (site/pictures.py, site/words.py), drawn from plain values."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest

from networking_handbook.core.values import Birthday, Duration
from networking_handbook.site import pictures, words
from networking_handbook.site.structure import Month

WEEKS = [(date(2026, 2, 23) - timedelta(weeks=n), n % 7) for n in range(25, -1, -1)]


def test_same_input_same_bytes() -> None:
    months = [Month(date(2025, m, 1), m % 3, m % 2, 0, m % 4 == 0) for m in range(1, 13)]
    assert pictures.rhythm_chart(WEEKS, 5, 2) == pictures.rhythm_chart(list(WEEKS), 5, 2)
    assert pictures.relationship_strip("Ana", months) == pictures.relationship_strip("Ana", list(months))
    assert pictures.avatar("Ana Souza", "ana-souza") == pictures.avatar("Ana Souza", "ana-souza")


def test_rhythm_says_the_numbers_it_draws() -> None:
    chart = html.unescape(str(pictures.rhythm_chart(WEEKS, 5, 2)))
    counts = [int(n) for n in re.findall(r"<title>Week of [^:]+: (\d+) touch", chart)]
    assert counts == [count for _, count in WEEKS]
    met = sum(count >= 5 for count in counts)
    summary = (f"Touches per week for the last 26 weeks: {counts[-1]} this week against a goal of 5; "
               f"{met} of 26 weeks reached the goal; streak 2 weeks.")
    assert f'aria-label="{summary}"' in chart and f"<figcaption>{summary}</figcaption>" in chart
    # Not by colour alone: a week at the goal is a filled bar, one below it an outline.
    assert chart.count("handbook-rhythm__bar--met") == met
    assert chart.count("handbook-rhythm__bar--below") == 26 - met


def test_strip_counts_each_row_with_its_own_shape() -> None:
    months = [Month(date(2025, 4, 1), 2, 1, 0, 0)] + [Month(date(2025, m, 1), 0, 0, 0, 0) for m in range(5, 13)]
    months += [Month(date(2026, m, 1), 1, 0, 1, 1) for m in range(1, 4)]
    strip = html.unescape(str(pictures.relationship_strip("Ana", months)))
    assert "The last 12 months with Ana, April 2025 to March 2026: 5 touches, 1 give, 3 asks, 3 promises." in strip
    assert "<title>April 2025: 2 touches</title><circle" in strip
    assert "<title>April 2025: 1 give</title><path" in strip
    assert "<title>January 2026: 1 promise</title><rect" in strip
    assert strip.count("handbook-strip__none") == 1  # a dot for each empty month, in one path
    assert strip.count("h0") == 12 * 4 - 1 - 1 - 3 * 3


@pytest.mark.parametrize("status", ["overdue", "today", "soon", "fine"])
def test_status_marks_differ_by_shape(status: str) -> None:
    mark = str(pictures.status_mark(status))
    shapes = {other: re.sub(r"<title>.*</title>|class=\"[^\"]*\"|aria-label=\"[^\"]*\"", "",
                            str(pictures.status_mark(other))) for other in pictures.STATUS_LABELS}
    assert len(set(shapes.values())) == 4
    assert f'aria-label="{pictures.STATUS_LABELS[status]}"' in mark


def test_user_text_in_pictures_is_escaped() -> None:
    name = "<script>alert('x')</script> *Eve* \"quoted\" {{ macro }}"
    avatar = str(pictures.avatar(name, "eve"))
    assert "<script" not in avatar and '"quoted"' not in avatar and "{{" not in avatar and "*Eve*" not in avatar
    assert "&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62; &#42;Eve&#42; &#34;quoted&#34;" in avatar
    assert re.search(r">[A-Z]+</text>", avatar)
    assert [pictures.initials(name) for name in ("Zoë Müller", "Prince", "*Eve* (Smith)", "!")] == ["ZM", "P", "ES", "?"]


def test_values_in_words() -> None:
    assert words.day_month(Birthday(7, 9)) == "9 July"
    assert words.day_month(Birthday(12, 1, 1990)) == "1 December 1990"
    assert words.every(Duration(3, "m")) == "every 3 months"
    assert words.every(Duration(1, "w")) == "every week"
    assert words.every(Duration(10, "d")) == "every 10 days"
    assert [words.link_label(label) for label in ("linkedin", "GitHub", "website", "portfolio")] == [
        "LinkedIn", "GitHub", "Website", "Portfolio"]
    assert words.day(date(2026, 2, 20)) == "20 February 2026"
    today = date(2026, 3, 1)
    assert [words.ago(today - timedelta(days=n), today) for n in (0, 1, 9, -1, -3)] == [
        "today", "yesterday", "9 days ago", "in 1 day", "in 3 days"]


@pytest.mark.parametrize("today", [date(1, 1, 3), date(9999, 12, 31)])
def test_pages_render_at_the_calendars_edges(today: date) -> None:
    from networking_handbook.core.records import Handbook
    from networking_handbook.core.settings import Settings
    from networking_handbook.core.validate import parse_file
    from networking_handbook.site.render import render_pages
    from networking_handbook.site.structure import build_site

    text = (f"name: Ana\nbirthday: --01-05\ninteractions: [{{on: {today.isoformat()}, kind: call, gave: a tip}}]\n"
            f"promises: [{{by: me, what: the deck, on: {today.isoformat()}}}]\n")
    contact = parse_file("contacts", text.encode(), "ana.yml").record
    handbook = Handbook({"ana": contact}, {}, {("contacts", "ana"): "ana.yml"})
    pages = {page.path: page.markdown for page in render_pages(build_site(handbook, Settings(), today))}
    assert "1 touch, 1 give, 0 asks, 1 promise." in html.unescape(pages["people/ana.md"])
    assert "1 this week against a goal of 5" in html.unescape(pages["dashboard.md"])
