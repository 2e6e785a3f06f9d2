"""The CLI as a new user meets it: promise numbers, "did you mean", the config found from a
subfolder, refusals that say what to do, and the calendar feed's overdue entries."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
import icalendar
import pytest

from networking_handbook.cli.workspace import locate_config

from .conftest import HandbookDir, run_cli, run_cli_process

TODAY = {"HANDBOOK_TODAY": "2026-03-01"}

ANA = """\
name: Ana Souza
promises:
  - {by: me, what: Send the deck, on: 2026-02-01, done: 2026-02-03}
  - {by: them, what: An intro to Bo, due: 2026-02-20}
  - {by: me, what: Review her talk, due: 2026-03-09}
"""


@pytest.fixture
def people(site: HandbookDir) -> HandbookDir:
    site.event("meetup", "name: Meetup\non: 2026-02-26\n")
    site.event("meetup-lisbon", "name: Meetup Lisbon\non: 2026-02-27\n")
    site.contact("ana-souza", ANA)
    site.contact("alex-example", "name: Alex Example\ntags: [Job hunting, mentor]\n")
    site.contact("bo", "name: Bo\npromises: [{by: me, what: Call back, on: 2026-02-25}]\n")
    return site


def files(site: HandbookDir) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in site.root.rglob("*") if path.is_file()}


# Promise numbers


def test_promises_lists_the_open_ones_numbered_as_done_counts(people: HandbookDir) -> None:
    listing = run_cli("promises", cwd=people.root, **TODAY)
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.splitlines() == [
        "Open promises on 2026-03-01: 3",
        "  ana-souza   2  due 2026-02-20  9 days overdue    they promised: An intro to Bo",
        "  ana-souza   3  due 2026-03-09  in 8 days         you promised: Review her talk",
        "  bo          1  due 2026-03-04  in 3 days         you promised: Call back",
    ]
    everything = run_cli("promises", "ana-souza", "--all", cwd=people.root, **TODAY).stdout.splitlines()
    assert everything[:2] == ["Promises on 2026-03-01: 3",
                              "  ana-souza   1  due 2026-02-08  kept 2026-02-03   you promised: Send the deck"]
    report = json.loads(run_cli("promises", "ana-souza", "--json", cwd=people.root, **TODAY).stdout)
    assert report == {"today": "2026-03-01", "promises": [
        {"contact": "ana-souza", "number": 2, "by": "them", "what": "An intro to Bo", "on": None,
         "due": "2026-02-20", "done": None},
        {"contact": "ana-souza", "number": 3, "by": "me", "what": "Review her talk", "on": None,
         "due": "2026-03-09", "done": None}]}
    # The number shown is the one `done` takes, and `due` shows it too.
    assert "An intro to Bo (a gentle reminder) [promise 2]" in run_cli("due", cwd=people.root, **TODAY).stdout
    assert run_cli("done", "ana-souza", "2", cwd=people.root, **TODAY).stdout.startswith("promise 2 marked done")
    assert "An intro to Bo" not in run_cli("promises", cwd=people.root, **TODAY).stdout
    assert run_cli("promises", "bo", "--today", "2026-02-01", cwd=people.root).stdout == (
        "Open promises on 2026-02-01: 1\n  bo   1  due 2026-03-04  in 31 days        you promised: Call back\n")
    none = run_cli("promises", "alex-example", cwd=people.root, **TODAY)
    assert (none.returncode, none.stdout) == (0, "No open promises on 2026-03-01.\n")


def test_promises_refuses_bad_data_and_unknown_slugs(people: HandbookDir) -> None:
    unknown = run_cli("promises", "ana", cwd=people.root, **TODAY)
    assert unknown.returncode == 1 and "no contact `ana`: did you mean `ana-souza`?" in unknown.stderr
    people.contact("broken", "name: Broken\nstage: sleeping\n")
    broken = run_cli("promises", cwd=people.root, **TODAY)
    assert broken.returncode == 1 and broken.stdout == ""
    assert "handbook/contacts/broken.yml:2:8: error:" in broken.stderr


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("one", "`one` is not a promise number: a promise's number is its place in ana-souza's file, 1 = the first; "
                "the open ones (`handbook promises ana-souza`):\n"
                "  2  they promised: An intro to Bo\n  3  you promised: Review her talk\n"),
        ("0", "ana-souza has 3 promises, so there is no number 0; the open ones"),
        ("4", "ana-souza has 3 promises, so there is no number 4; the open ones"),
        ("-1", "`-1` is not a promise number"),
        ("２", "`２` is not a promise number"),  # a full-width digit is not typed by mistake as a number
    ],
)
def test_done_with_a_bad_number_lists_the_open_promises(people: HandbookDir, number: str, message: str) -> None:
    before = files(people)
    result = run_cli("done", "ana-souza", "--", number, cwd=people.root, **TODAY)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert files(people) == before


def test_done_when_nothing_is_open(people: HandbookDir) -> None:
    result = run_cli("done", "alex-example", "1", cwd=people.root, **TODAY)
    assert result.returncode == 1
    assert "alex-example has 0 promises, so there is no number 1; alex-example has no open promise" in result.stderr


def test_a_promise_written_on_several_lines_is_listed_on_one(site: HandbookDir) -> None:
    site.contact("bo", "name: Bo\npromises:\n  - by: them\n    due: 2026-03-01\n"
                       "    what: |\n      An intro\n      \tto Kim\n")
    assert run_cli("promises", cwd=site.root, **TODAY).stdout.splitlines()[1:] == [
        "  bo   1  due 2026-03-01  due today         they promised: An intro to Kim"]


# Did you mean


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "bo", "--kind", "cofee"], "'cofee' is not one of"),
        (["log", "bo", "--kind", "cofee"], "hint: did you mean `coffee`?"),
        (["log", "bo", "--kind", "c"], "hint: did you mean one of `call`, `coffee`?"),
        (["log", "bo", "--kind", "zzz"], "'zzz' is not one of 'email', 'call'"),
        (["promise", "bo", "--by", "the", "--what", "x"], "hint: did you mean `them`?"),
        (["check", "--format", "jsn"], "hint: did you mean `json`?"),
        (["export", "vcar"], "hint: did you mean `vcard`?"),
        (["import", "linked", "nofile.csv"], "hint: did you mean `linkedin`?"),
        (["add", "Dee", "--via", "alex"], "no contact `alex`: did you mean `alex-example`?"),
        (["add", "Dee", "--at", "meet"], "no event `meet`: did you mean one of `meetup`, `meetup-lisbon`?"),
        (["add", "Dee", "--via", "zzz"], "no contact `zzz`: the slugs are the file names in handbook/contacts, "
                                         "without `.yml`"),
        (["log", "alex"], "no contact `alex`: did you mean `alex-example`?"),
        (["log", "an"], "no contact `an`: did you mean `ana-souza`?"),
        (["log", "bo", "--with", "alex"], "no contact `alex`: did you mean `alex-example`?"),
        (["log", "bo", "--event", "meetup-l"], "no event `meetup-l`: did you mean `meetup-lisbon`?"),
        (["promise", "ana", "--by", "me", "--what", "x"], "no contact `ana`: did you mean `ana-souza`?"),
        (["done", "ana", "2"], "no contact `ana`: did you mean `ana-souza`?"),
        (["done", "ana-suoza", "2"], "no contact `ana-suoza`: did you mean `ana-souza`?"),
        (["export", "csv", "--tag", "ment"], "no contact has the tag `ment`: did you mean `mentor`?"),
        (["export", "json", "--tag", "Job hunt"], "no contact has the tag `Job hunt`: did you mean `Job hunting`?"),
        (["export", "vcard", "--tag", "nosuchtag"], "no contact has the tag `nosuchtag`: the tags are: Job hunting, "
                                                    "mentor"),
        (["export", "ics", "--tag", "mentor"], "--tag is not for ics"),
    ],
)
def test_every_choice_and_slug_suggests_what_was_meant(people: HandbookDir, args: list[str], message: str) -> None:
    """A suggestion is never taken: even a prefix only one slug has writes nothing."""
    before = files(people)
    result = run_cli(*args, cwd=people.root, **TODAY)
    assert result.returncode in (1, 2), result.stdout
    assert message in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert files(people) == before


def test_export_tag_that_matches_still_exports(people: HandbookDir) -> None:
    result = run_cli("export", "csv", "--tag", "job-hunting", cwd=people.root)
    assert result.returncode == 0 and "alex-example" in result.stdout


def test_export_tag_with_no_tags_at_all(site: HandbookDir) -> None:
    site.contact("bo", "name: Bo\n")
    result = run_cli("export", "csv", "--tag", "mentor", cwd=site.root)
    assert result.returncode == 1
    assert "no contact has the tag `mentor`: no contact has a tag yet" in result.stderr


# Namesakes


def test_add_warns_of_a_namesake_and_still_creates_the_file(people: HandbookDir) -> None:
    result = run_cli("add", "ana  SOUZA", cwd=people.root, **TODAY)
    assert result.returncode == 0
    assert result.stdout == "handbook/contacts/ana-souza-2.yml\n"
    assert result.stderr == (
        "warning: handbook/contacts/ana-souza.yml already has the name ana  SOUZA: "
        "handbook/contacts/ana-souza-2.yml is another person of that name\n"
        "    hint: if it is the same person, delete handbook/contacts/ana-souza-2.yml and use "
        "`handbook log ana-souza`\n")
    assert (people.root / "handbook" / "contacts" / "ana-souza-2.yml").exists()
    other = run_cli("add", "Dee Example", cwd=people.root, **TODAY)
    assert other.returncode == 0 and other.stderr == ""


# Finding mkdocs.yml


def test_the_config_is_found_from_a_subfolder_and_paths_stay_relative(people: HandbookDir) -> None:
    """A real process, started in a folder below the site's: the lookup uses the process's own
    working directory, as a user's shell gives it."""
    below = people.root / "handbook" / "contacts"
    people.contact("bad", "name: Bad\nstage: sleeping\n")
    check = run_cli_process("check", cwd=below)
    assert check.returncode == 1
    assert check.stdout.startswith("bad.yml:2:8: error:"), check.stdout
    (below / "bad.yml").unlink()
    logged = run_cli_process("log", "bo", "--kind", "call", cwd=below, **TODAY)
    assert (logged.returncode, logged.stdout) == (0, "logged in bo.yml\n"), logged.stderr
    docs = people.root / "docs"
    assert run_cli("add", "Dee", cwd=docs, **TODAY).stdout == "../handbook/contacts/dee.yml\n"
    assert "bo" in run_cli("promises", cwd=docs, **TODAY).stdout


def test_config_accepts_a_folder(people: HandbookDir, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / ".git").mkdir(parents=True)
    result = run_cli("promises", "--config", str(people.root), cwd=elsewhere, **TODAY)
    assert result.returncode == 0 and "ana-souza" in result.stdout, result.stderr
    relative = run_cli("check", "-f", "..", cwd=people.root / "docs")
    assert relative.returncode == 0 and "0 errors" in relative.stderr
    empty = run_cli("check", "--config", str(elsewhere), cwd=people.root)
    assert empty.returncode == 1
    assert f"no mkdocs.yml in the folder {elsewhere}: pass the folder that holds" in empty.stderr


def test_the_search_stops_at_the_top_of_a_git_repository(people: HandbookDir) -> None:
    """Like git: a repository inside the site's folder is a project of its own."""
    inner = people.root / "vendor" / "lib"
    (people.root / "vendor" / ".git").mkdir(parents=True)
    inner.mkdir()
    for command in ("due", "lock"):  # `lock` finds its mkdocs.yml the same way
        result = run_cli(command, cwd=inner)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert (f"no mkdocs.yml in {inner} or any folder above it up to {people.root / 'vendor'} (the top of its "
                "git repository): run `handbook` in the folder of your site or one below it") in result.stderr
    (people.root / ".git").mkdir()
    assert run_cli("due", cwd=people.root / "docs", **TODAY).returncode == 0  # the site's own repository


def test_the_search_stops_at_the_filesystem_root() -> None:
    """A folder that is in no repository (here, one that does not exist, so no test leaves a
    mkdocs.yml above it) is searched up to `/`."""
    start = Path("/no-such-folder-for-handbook-tests/a")
    with pytest.raises(click.ClickException) as refused:
        locate_config(None, start)
    assert refused.value.message.startswith(
        f"no mkdocs.yml in {start} or any folder above it up to / (the filesystem root): run `handbook`")


# The calendar feed


def feed(site: HandbookDir, day: str) -> dict[str, icalendar.Event]:
    result = run_cli("export", "ics", "--today", day, cwd=site.root)
    assert result.returncode == 0, result.stderr
    events = icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
    found = {str(event["UID"]): event for event in events}
    assert len(found) == len(events), "UIDs must be unique"
    return found


def test_an_overdue_item_also_shows_on_the_day_the_feed_is_built(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nbenefit: both\npromises: [{by: me, what: Send the deck, due: 2025-11-03},"
                        " {by: me, what: Call back, due: 2026-03-01}, {by: me, what: Later, due: 2026-03-09}]\n")
    first = feed(site, "2026-03-01")
    overdue = {uid: event for uid, event in first.items() if ".overdue@" in uid}
    assert [str(event["SUMMARY"]) for event in overdue.values()] == [
        "Overdue since 3 Nov 2025: You promised Ana: Send the deck"]  # due today or later: no second entry
    (uid, today_entry), = overdue.items()
    assert today_entry.decoded("DTSTART") == date(2026, 3, 1) and today_entry.decoded("DTEND") == date(2026, 3, 2)
    assert int(today_entry["SEQUENCE"]) == 118
    assert str(today_entry["DESCRIPTION"]) == "Due 2025-11-03, still open on 2026-03-01."
    original = first[uid.replace(".overdue@", "@")]
    assert original.decoded("DTSTART") == date(2025, 11, 3), "it stays on its due day too"

    # The next day's feed moves the same entry: calendars update it rather than add another.
    second = feed(site, "2026-03-02")
    assert [str(second[uid]["SUMMARY"]) for uid in set(second) - set(first)] == [
        "Overdue since 1 Mar: You promised Ana: Call back"]  # overdue from today on
    assert set(first) < set(second)
    moved = second[uid]
    assert moved.decoded("DTSTART") == date(2026, 3, 2) and int(moved["SEQUENCE"]) == 119
    assert str(moved["SUMMARY"]) == str(today_entry["SUMMARY"])
    later = feed(site, "2026-03-02")
    assert {u: e.to_ical() for u, e in later.items()} == {u: e.to_ical() for u, e in second.items()}


def test_the_overdue_entry_names_the_day_without_the_year_when_it_is_this_year(site: HandbookDir) -> None:
    site.contact("ana", "name: Ana\nbenefit: both\npromises: [{by: them, what: An intro, due: 2026-02-20}]\n")
    summaries = {str(event["SUMMARY"]) for event in feed(site, "2026-03-01").values()}
    assert "Overdue since 20 Feb: Ana promised you: An intro (a gentle reminder)" in summaries
