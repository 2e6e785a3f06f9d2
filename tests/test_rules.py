"""SPEC section 3, rule by rule, on real YAML files: boundaries, suppression and the ledger."""

from __future__ import annotations

from datetime import date

import pytest

from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.records import Handbook
from networking_handbook.core.rules import compute_items, due_items, ledger, weekly_rhythm
from networking_handbook.core.settings import Settings

from .conftest import HandbookDir

DAY = date(2026, 3, 1)


def load(site: HandbookDir) -> Handbook:
    result = load_handbook(site.root / "handbook", site.root)
    assert result.diagnostics == []
    return result.handbook


def items(site: HandbookDir, today: date = DAY, **settings: object) -> list[tuple[str, str, str, int]]:
    found = compute_items(load(site), Settings(**settings), today)
    return [(i.rule, i.contact, i.due.isoformat(), i.days_overdue) for i in found]


def rules_of(site: HandbookDir, slug: str, today: date = DAY, **settings: object) -> dict[str, str]:
    return {rule: due for rule, contact, due, _ in items(site, today, **settings) if contact == slug}


# follow-up-new

def test_follow_up_due_the_day_after_meeting_then_overdue(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nmet: {on: 2026-02-28}\nbenefit: both learn\n")
    assert items(site, date(2026, 2, 28)) == [("follow-up-new", "ana", "2026-03-01", -1)]
    assert items(site, date(2026, 3, 1)) == [("follow-up-new", "ana", "2026-03-01", 0)]
    assert items(site, date(2026, 3, 2)) == [("follow-up-new", "ana", "2026-03-01", 1)]


def test_any_interaction_but_an_event_on_or_after_meeting_closes_follow_up(site: HandbookDir) -> None:
    site.contact("met-again", """
        name: Met Again
        met: {on: 2026-02-20}
        interactions:
          - {on: 2026-02-19, kind: email}   # before the meeting: does not count
          - {on: 2026-02-21, kind: event}   # seen at an event: not a follow-up
    """)
    site.contact("emailed", "name: Emailed\nmet: {on: 2026-02-20}\ninteractions: [{on: 2026-02-20, kind: email}]\n")
    assert rules_of(site, "met-again") == {"follow-up-new": "2026-02-21", "state-benefit": "2026-05-21"}
    assert "follow-up-new" not in rules_of(site, "emailed")


def test_follow_up_after_today_is_ignored(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nmet: {on: 2026-02-27}\ninteractions: [{on: 2026-03-02, kind: email}]\n")
    assert rules_of(site, "ana")["follow-up-new"] == "2026-02-28"
    assert "follow-up-new" not in rules_of(site, "ana", date(2026, 3, 2))


def test_first_meeting_day_from_earliest_event_listing_the_contact(site: HandbookDir) -> None:
    site.contact("bo", "name: Bo\n")
    site.event("late", "name: Late\non: 2026-02-25\npeople: [bo]\n")
    site.event("early", "name: Early\non: 2026-02-10\nuntil: 2026-02-12\npeople: [bo]\n")
    assert items(site) == [("follow-up-new", "bo", "2026-02-11", 18)]
    site.contact("bo", "name: Bo\nmet: {at: late}\n")  # `met.at` without `met.on` sets no day
    [item] = compute_items(load(site), Settings(), DAY)
    assert item.summary == "Follow up with Bo (met 2026-02-10 at Early)"  # the event that set the day


def test_first_follow_up_setting(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nmet: {on: 2026-02-27}\nbenefit: both\n")
    assert items(site, first_follow_up="1w") == [("follow-up-new", "ana", "2026-03-06", -5)]


def test_follow_up_suppresses_check_in_and_re_stoke(site: HandbookDir) -> None:
    site.contact("new", "name: New\nmet: {on: 2026-02-01}\nbenefit: x\ncadence: 2w\n")
    site.contact("dormant", "name: Dormant\nmet: {on: 2025-01-01}\nbenefit: x\n")
    assert rules_of(site, "new") == {"follow-up-new": "2026-02-02"}
    assert rules_of(site, "dormant") == {"follow-up-new": "2025-01-02"}


# check-in

def test_check_in_due_last_touch_plus_cadence(site: HandbookDir) -> None:
    site.contact("ana", """
        name: Ana
        stage: active
        cadence: 2w
        interactions:
          - {on: 2026-02-15, kind: call}
          - {on: 2026-01-01, kind: call}
          - {on: 2026-03-05, kind: call}   # after today: ignored
    """)
    assert items(site) == [("check-in", "ana", "2026-03-01", 0)]
    assert items(site, date(2026, 2, 28)) == [("check-in", "ana", "2026-03-01", -1)]


def test_month_cadence_at_month_end(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nstage: active\ncadence: 1m\ninteractions: [{on: 2026-01-31, kind: call}]\n")
    site.contact("leap", "name: Leap\nstage: active\ncadence: 1y\ninteractions: [{on: 2024-02-29, kind: call}]\n")
    assert rules_of(site, "ana") == {"check-in": "2026-02-28"}
    assert rules_of(site, "leap") == {"check-in": "2025-02-28"}


def test_check_in_with_no_touch_is_due_today(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\ncadence: 3m\n")
    assert items(site) == [("check-in", "ana", "2026-03-01", 0)]


def test_shortest_tag_cadence_wins_and_own_cadence_overrides(site: HandbookDir) -> None:
    tags = {"mentor": "1m", "mastermind": "2w", "friends-family": "none", "month-ish": "31d"}
    site.contact("both", "name: Both\ntags: [mentor, mastermind]\ninteractions: [{on: 2026-02-01}]\n")
    site.contact("month", "name: Month\ntags: [mentor, month-ish]\ninteractions: [{on: 2026-02-01}]\n")
    site.contact("none-tag", "name: None Tag\ntags: [friends-family, mentor]\ninteractions: [{on: 2026-02-01}]\n")
    site.contact("only-none", "name: Only None\ntags: [friends-family]\ninteractions: [{on: 2026-02-01}]\n")
    site.contact("own", "name: Own\ntags: [mastermind]\ncadence: 3m\ninteractions: [{on: 2026-02-01}]\n")
    site.contact("own-none", "name: Own None\ntags: [mastermind]\ncadence: none\ninteractions: [{on: 2026-02-01}]\n")
    found = {contact: (rule, due) for rule, contact, due, _ in items(site, cadence_by_tag=tags)}
    assert found["both"] == ("check-in", "2026-02-15")
    assert found["month"] == ("check-in", "2026-03-04")  # 31d and 1m span the same days: 31d listed first
    assert found["none-tag"] == ("check-in", "2026-03-01")
    assert found["only-none"] == ("re-stoke", "2026-07-31")
    assert found["own"] == ("check-in", "2026-05-01")
    assert found["own-none"] == ("re-stoke", "2026-07-31")


def test_tag_cadences_match_like_tag_pages_and_weeks_win_a_tie_with_months(site: HandbookDir) -> None:
    tags = {"mentor": "3m", "Master Mind": "13w"}  # 3m and 13w both span 91 days
    site.contact("cased", "name: Cased\ntags: [' Mentor']\ninteractions: [{on: 2025-11-30}]\n")
    site.contact("tie", "name: Tie\ntags: [mentor, master-mind]\ninteractions: [{on: 2025-11-30}]\n")
    found = {contact: (rule, due) for rule, contact, due, _ in items(site, cadence_by_tag=tags)}
    assert found["cased"] == ("check-in", "2026-02-28")  # `Mentor` has the `mentor` cadence
    assert found["tie"] == ("check-in", "2026-03-01")  # 13 weeks, not 3 months


def test_zero_and_zero_padded_durations_are_whole_numbers(site: HandbookDir) -> None:
    site.contact("daily", "name: Daily\ncadence: 0d\ninteractions: [{on: 2026-02-20}]\n")
    site.contact("padded", "name: Padded\ncadence: 012w\ninteractions: [{on: 2026-01-01}]\n")
    assert rules_of(site, "daily") == {"check-in": "2026-02-20"}
    assert rules_of(site, "padded") == {"check-in": "2026-03-26"}


def test_due_days_beyond_the_calendar_are_its_last_day(site: HandbookDir) -> None:
    site.contact("far", "name: Far\ncadence: 999999y\ninteractions: [{on: 2026-01-01}]\n")
    site.contact("late", "name: Late\nmet: {on: 9999-12-31}\nbenefit: both\n")
    site.contact("big", "name: Big\ntags: [x, y]\ninteractions: [{on: 2026-01-01}]\n")
    found = items(site, dormant_after="999999y", cadence_by_tag={"x": "999999y", "y": "1w"})
    assert ("check-in", "far", "9999-12-31", (DAY - date.max).days) in found
    assert ("follow-up-new", "late", "9999-12-31", (DAY - date.max).days) in found
    assert ("check-in", "big", "2026-01-08", 52) in found


@pytest.mark.parametrize("stage", ["paused", "archived"])
def test_paused_and_archived_get_no_check_in(site: HandbookDir, stage: str) -> None:
    site.contact("ana", f"name: Ana\nstage: {stage}\ncadence: 1w\ninteractions: [{{on: 2026-01-01}}]\n")
    assert items(site) == []


# promises

def test_promises_both_ways(site: HandbookDir) -> None:
    site.contact("ana", """
        name: Ana
        stage: archived
        promises: [{by: me, what: old, on: 2025-01-01}]
    """)
    site.contact("bo", """
        name: Bo
        cadence: none
        promises:
          - {by: me, what: send the deck, on: 2026-02-22}
          - {by: me, what: intro, on: 2026-02-01, due: 2026-03-03}
          - {by: them, what: their notes, due: 2026-02-20}
          - {by: them, what: done already, on: 2026-02-01, done: 2026-02-05}
          - {by: me, what: done later, on: 2026-02-01, done: 2026-03-04}
    """)
    # "done later" is done after today, so on that day it is still open.
    assert items(site) == [
        ("my-promise", "bo", "2026-02-08", 21),
        ("their-promise", "bo", "2026-02-20", 9),
        ("my-promise", "bo", "2026-03-01", 0),
        ("my-promise", "bo", "2026-03-03", -2),
    ]


def test_promise_due_setting(site: HandbookDir) -> None:
    site.contact("bo", "name: Bo\npromises: [{by: them, what: x, on: 2026-02-01}]\n")
    assert items(site, promise_due="1m") == [("their-promise", "bo", "2026-03-01", 0)]


# re-stoke

def test_re_stoke_after_dormant_period(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nstage: active\ninteractions: [{on: 2025-09-02, kind: call}]\n")
    assert items(site) == [("re-stoke", "ana", "2026-03-01", 0)]
    assert items(site, dormant_after="6m") == [("re-stoke", "ana", "2026-03-02", -1)]


def test_re_stoke_needs_a_last_touch(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nstage: active\n")
    assert items(site) == []


def test_paused_contact_revisit(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nstage: paused\nrevisit: 2026-03-01\ninteractions: [{on: 2024-01-01}]\n")
    site.contact("bo", "name: Bo\nstage: paused\ninteractions: [{on: 2024-01-01}]\n")
    site.contact("cy", "name: Cy\nstage: archived\nrevisit: 2026-01-01\n")
    assert items(site) == [("re-stoke", "ana", "2026-03-01", 0)]


# state-benefit

def test_state_benefit_only_while_exploring_with_met_on(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nmet: {on: 2025-12-01}\ninteractions: [{on: 2025-12-01, kind: email}]\n")
    site.contact("stated", "name: Stated\nmet: {on: 2025-12-01}\nbenefit: we swap leads\n"
                 "interactions: [{on: 2025-12-01, kind: email}]\n")
    site.contact("active", "name: Active\nstage: active\nmet: {on: 2025-12-01}\n"
                 "interactions: [{on: 2025-12-01, kind: email}]\n")
    assert rules_of(site, "ana") == {"state-benefit": "2026-03-01", "re-stoke": "2026-05-30"}
    assert "state-benefit" not in rules_of(site, "stated")
    assert "state-benefit" not in rules_of(site, "active")


def test_due_filter_and_order(site: HandbookDir) -> None:
    site.contact("bo", "name: Bo\npromises: [{by: me, what: a, due: 2026-03-01}, {by: them, what: b, due: 2026-03-01}]\n")
    site.contact("ana", "name: Ana\npromises: [{by: me, what: c, due: 2026-03-01}, {by: me, what: d, due: 2026-03-08}]\n")
    found = compute_items(load(site), Settings(), DAY)
    assert [(i.contact, i.rule) for i in due_items(found)] == [
        ("ana", "my-promise"), ("bo", "my-promise"), ("bo", "their-promise")]
    assert len(due_items(found, 6)) == 3 and len(due_items(found, 7)) == 4


# ledger and rhythm

def test_ledger_early_ask_and_ready_to_ask(site: HandbookDir) -> None:
    site.contact("ana", """
        name: Ana
        interactions:
          - {on: 2026-01-03, gave: an intro}
          - {on: 2026-01-01, gave: a article}
          - {on: 2026-01-05, asked: a favour}
          - {on: 2026-01-05, gave: feedback}
          - {on: 2026-01-06, gave: a lead, asked: a quote}
          - {on: 2026-01-07, gave: x}
          - {on: 2026-01-08, gave: y}
          - {on: 2026-01-09, gave: z}
          - {on: 2026-03-09, asked: future, gave: future}
    """)
    book = load(site)
    result = ledger(book.contacts["ana"], Settings(), DAY)
    assert (result.gives, result.asks) == (7, 2)
    assert [ask.asked for ask in result.early_asks] == ["a favour"]
    assert (result.gives_since_last_ask, result.ready_to_ask) == (3, True)
    stricter = ledger(book.contacts["ana"], Settings(gives_before_ask=5), DAY)
    assert [ask.asked for ask in stricter.early_asks] == ["a favour", "a quote"]
    assert stricter.ready_to_ask is False


def test_ready_to_ask_with_no_ask_yet(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\ninteractions: [{on: 2026-01-01, gave: a}, {on: 2026-01-02, gave: b}]\n")
    book = load(site)
    assert ledger(book.contacts["ana"], Settings(), DAY).ready_to_ask is False
    assert ledger(book.contacts["ana"], Settings(gives_before_ask=2), DAY).ready_to_ask is True


def test_weekly_rhythm_streak_across_a_year_boundary(site: HandbookDir) -> None:
    # ISO weeks: 2025-12-22 (W52), 2025-12-29 (2026-W01, spans the new year), 2026-01-05 (W02).
    touches = ["2025-12-15", "2025-12-22", "2025-12-23", "2025-12-29", "2025-12-31", "2026-01-01",
               "2026-01-04", "2026-01-05", "2026-01-07", "2026-01-08", "2026-01-09"]
    site.contact("ana", "name: Ana\ninteractions:\n" + "".join(f"  - on: {day}\n" for day in touches))
    book = load(site)
    rhythm = weekly_rhythm(book, Settings(weekly_goal=2), date(2026, 1, 8))
    assert (rhythm.week_start, rhythm.touches, rhythm.streak) == (date(2026, 1, 5), 3, 2)
    assert weekly_rhythm(book, Settings(weekly_goal=2), date(2026, 1, 12)).streak == 3
    assert weekly_rhythm(book, Settings(weekly_goal=4), date(2026, 1, 12)).streak == 2
    assert weekly_rhythm(book, Settings(weekly_goal=5), date(2026, 1, 12)).streak == 0
