"""Loading keeps every value exactly as typed and turns hostile files into diagnostics."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from networking_handbook.core.handbook import load_handbook
from networking_handbook.core.load import MAX_DEPTH, load_document

from .conftest import HandbookDir


def test_values_stay_exactly_as_typed() -> None:
    source = """\
name: NO
pronouns: on
company: 012345
role: 12:30
industry: 1.10
location: 2026-03-01
phones: [+44 7700 900123, 0044 20 7946 0000, 1_000]
tags: [yes, off, ~, null, 0x1F, 1e3, .inf]
notes: |
  keep   spacing
  and lines
"""
    document, diagnostics = load_document(source.encode(), "x.yml")
    assert diagnostics == []
    assert document is not None
    assert document.data == {
        "name": "NO", "pronouns": "on", "company": "012345", "role": "12:30", "industry": "1.10",
        "location": "2026-03-01", "phones": ["+44 7700 900123", "0044 20 7946 0000", "1_000"],
        "tags": ["yes", "off", "~", "null", "0x1F", "1e3", ".inf"],
        "notes": "keep   spacing\nand lines\n",
    }


def test_positions_of_keys_and_items() -> None:
    source = "name: Ana\ninteractions:\n  - on: 2026-01-01\n  -   on: 2026-01-02\n      kind: call\n"
    document, _ = load_document(source.encode(), "x.yml")
    assert document is not None
    assert document.locate(("interactions", 1)) == (4, 7)
    assert document.locate(("interactions", 1, "kind"), key=True) == (5, 7)
    assert document.locate(("interactions", 1, "kind")) == (5, 13)
    assert document.locate(("interactions", 1, "missing")) == (4, 7)


def test_unicode_text_is_kept_in_its_own_normal_form(site: HandbookDir) -> None:
    nfd = unicodedata.normalize("NFD", "Zoë Müller")
    site.contact("zoe", f"name: {nfd}\n")
    result = load_handbook(site.root / "handbook", site.root)
    assert result.diagnostics == [] and result.handbook.contacts["zoe"].name == nfd


def test_a_bom_is_allowed() -> None:
    document, diagnostics = load_document(b"\xef\xbb\xbfname: Ana\n", "x.yml")
    assert diagnostics == [] and document is not None and document.data == {"name": "Ana"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (b"a: " + b"[" * 5000 + b"]" * 5000, f"x.yml:1:{3 + MAX_DEPTH}: error: nesting is deeper than {MAX_DEPTH} levels"),
        (b"a:\n" + b"".join(b" " * i + b"- \n" for i in range(1, 1200)),
         f"x.yml:{MAX_DEPTH + 1}:{MAX_DEPTH + 1}: error: nesting is deeper than {MAX_DEPTH} levels"),
        (b"- " * 100_000 + b"x\n", f"x.yml:1:{2 * MAX_DEPTH + 1}: error: nesting is deeper than {MAX_DEPTH} levels"),
        (b"name: " + b"x" * (5 * 1024 * 1024) + b"\n", "x.yml:1:1: error: the file is 5.0 MiB; the limit is 1 MiB"),
        (b"name: Ana\nnote: " + b"9" * 5000 + b"\n", None),
    ],
    ids=["5000-deep-flow", "deep-block", "100000-deep-dashes", "5-mib", "5000-digits"],
)
def test_generated_hostile_files(source: bytes, expected: str | None) -> None:
    document, diagnostics = load_document(source, "x.yml")
    if expected is None:
        assert diagnostics == [] and document is not None
        assert document.data["note"] == "9" * 5000
    else:
        assert document is None
        assert [d.format().splitlines()[0] for d in diagnostics] == [expected]


def _flow_lists(depth: int) -> tuple[str, tuple[int, int]]:
    return "a: " + "[" * depth + "]" * depth + "\n", (1, 3 + MAX_DEPTH)  # the root is level 1


def _flow_mappings(depth: int) -> tuple[str, tuple[int, int]]:
    return "a: " + "{a: " * depth + "}" * depth + "\n", (1, 4 * MAX_DEPTH)


def _block_lists(depth: int) -> tuple[str, tuple[int, int]]:
    return "a:\n  " + "- " * depth + "x\n", (2, 2 * MAX_DEPTH + 1)


def _block_mappings(depth: int) -> tuple[str, tuple[int, int]]:
    return "".join(" " * level + "a:\n" for level in range(depth)), (MAX_DEPTH + 1, MAX_DEPTH + 1)


def _mixed(depth: int) -> tuple[str, tuple[int, int]]:
    """Block mappings, a block list, flow lists of flow mappings: few signs of nesting.

    Levels 1 to 4 are `a`, `b`, `-` and `[`; each `{c: [` (5 columns) opens two more."""
    pairs = (depth - 3) // 2
    return "a:\n  b:\n    - [" + "{c: [" * pairs + "]}" * pairs + "]\n", (3, 8 + 5 * (MAX_DEPTH - 4) // 2)


# Every depth libyaml might treat differently: within its 1,000-level limit (PyYAML 6.0.4,
# libyaml 0.2.6), past it, and far past it; block mappings cannot go deeper within 1 MiB.
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100, 999, 1_000, 1_001, 5_000, 100_000])
@pytest.mark.parametrize("shape", [_flow_lists, _flow_mappings, _block_lists, _block_mappings, _mixed])
def test_nesting_past_the_limit_is_reported_where_it_crosses_it(shape, depth: int) -> None:
    if shape is _block_mappings and depth > 1_400:
        pytest.skip("a block mapping this deep is larger than the 1 MiB limit")
    source, (line, column) = shape(depth)
    document, diagnostics = load_document(source.encode(), "x.yml")
    assert document is None
    assert [d.format() for d in diagnostics] == [
        f"x.yml:{line}:{column}: error: nesting is deeper than {MAX_DEPTH} levels\n"
        "    hint: contact and event files need only a few levels"]


@pytest.mark.parametrize("shape", [_flow_lists, _flow_mappings, _block_lists, _block_mappings, _mixed])
def test_nesting_at_the_limit_is_read(shape) -> None:
    source, _ = shape(MAX_DEPTH - 4)
    document, diagnostics = load_document(source.encode(), "x.yml")
    assert document is not None and [d for d in diagnostics if d.severity == "error"] == []


def test_problems_in_many_files_are_all_reported(site: HandbookDir) -> None:
    site.contact("a", "name: A\nstage: nope\n")
    site.contact("b", "name: [B]\n")
    site.event("c", "name: C\non: 2026-02-30\npeople: [a, zed]\n")
    (site.root / "handbook" / "contacts" / "Bad_Name.yaml").write_text("name: X\nstge: active\n")
    (site.root / "handbook" / "contacts" / "b.yaml").write_text("name: B\nbirthday: nope\n")  # a second `b`
    result = load_handbook(site.root / "handbook", site.root)
    diagnostics = result.diagnostics
    assert set(result.handbook.paths) == {("contacts", "a"), ("contacts", "b"), ("events", "c")}
    # Each file's own errors are reported, even in a file whose name or slug is refused, and a
    # file with one error still has its dangling references reported.
    assert sorted((d.path, d.line, d.column) for d in diagnostics) == [
        ("handbook/contacts/Bad_Name.yaml", 1, 1),
        ("handbook/contacts/Bad_Name.yaml", 2, 1),
        ("handbook/contacts/a.yml", 2, 8),
        ("handbook/contacts/b.yaml", 2, 11),
        ("handbook/contacts/b.yml", 1, 1),
        ("handbook/contacts/b.yml", 1, 7),
        ("handbook/events/c.yml", 2, 5),
        ("handbook/events/c.yml", 3, 13),
    ]


def test_files_the_site_could_not_publish_are_reported_by_check(site: HandbookDir) -> None:
    (site.root / "handbook" / "contacts" / "index.yml").write_text("name: I\n")
    (site.root / "handbook" / "events" / "upper.YML").write_text("name: U\non: 2026-01-01\nkind: party\n")
    site.contact("b", "name: B\nmet: {at: Python Meetup}\n")
    result = load_handbook(site.root / "handbook", site.root)
    assert [d.format().splitlines()[0] for d in result.diagnostics] == [
        "handbook/contacts/index.yml:1:1: error: `index` cannot be a slug: its page would replace `people/`, "
        "the list of them all",
        "handbook/events/upper.YML:1:1: error: `upper.YML` is not read: the handbook reads `.yml` and `.yaml` files",
        "handbook/events/upper.YML:3:7: error: `party` is not a valid `kind`: use one of meetup, conference, "
        "coworking, online, talk, workshop, social, mastermind, other",
        "handbook/contacts/b.yml:2:11: error: `Python Meetup` is not an event slug",
    ]
    assert set(result.handbook.paths) == {("contacts", "b")}


def test_missing_handbook_folder(tmp_path: Path) -> None:
    diagnostics = load_handbook(tmp_path / "nowhere", tmp_path).diagnostics
    assert [d.format().splitlines()[0] for d in diagnostics] == [
        "nowhere: error: the handbook folder `nowhere` does not exist"]


def test_the_serve_cache_reparses_only_changed_files_and_forgets_deleted_ones(site: HandbookDir) -> None:
    from networking_handbook.core.handbook import FileCache
    ana = site.contact("ana", "name: Ana\n")
    bo = site.contact("bo", "name: Bo\n")
    cache = FileCache()
    first = load_handbook(site.root / "handbook", site.root, cache)
    parsed_bo = cache.entries[bo][1]
    ana.write_text("name: Ana Souza\n")  # a different size: seen as changed
    bo_copy = cache.entries[bo]
    second = load_handbook(site.root / "handbook", site.root, cache)
    assert second.handbook.contacts["ana"].name == "Ana Souza" and first.handbook.contacts["ana"].name == "Ana"
    assert cache.entries[bo] is bo_copy and cache.entries[bo][1] is parsed_bo  # not parsed again
    bo.unlink()
    load_handbook(site.root / "handbook", site.root, cache)
    assert set(cache.entries) == {ana}


def test_records_with_the_same_keys_share_one_set_of_them(site: HandbookDir) -> None:
    """Pydantic gives every model its own set of the keys written, a quarter of a handbook's
    memory (issue 15): frozen records with the same keys share one, and it still says which."""
    site.contact("ana", "name: Ana\ninteractions:\n  - {on: 2026-01-05, note: coffee}\n  - {on: 2026-02-01, note: call}\n")
    site.contact("bo", "name: Bo\ninteractions:\n  - {on: 2026-01-06, kind: call}\n")
    contacts = load_handbook(site.root / "handbook", site.root).handbook.contacts
    ana, bo = contacts["ana"], contacts["bo"]
    assert ana.model_fields_set is bo.model_fields_set == {"name", "interactions"}
    first, second = ana.interactions
    assert first.model_fields_set is second.model_fields_set == {"on", "note"}
    assert bo.interactions[0].model_fields_set == {"on", "kind"}
    changed = first.model_copy(update={"kind": "call"})  # a copy gets a set of its own
    assert changed.kind == "call" and first.model_fields_set == {"on", "note"}
