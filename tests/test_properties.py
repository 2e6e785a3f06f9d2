"""Property-based tests: contact files built from the grammar of real ones, then broken.

Properties: loading never raises and every diagnostic points inside the file; every value
that loads is the exact text of the source; rendering any loaded handbook never yields live
HTML.
"""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from networking_handbook.core.load import load_document, split_lines
from networking_handbook.core.records import Contact, Handbook
from networking_handbook.core.settings import Settings
from networking_handbook.core.validate import parse_file
from networking_handbook.site.render import render_pages
from networking_handbook.site.structure import build_site

EXAMPLES = dict(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values people really type, and the ones YAML 1.1 would have guessed at.
dates = st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
                  st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32))
digit_strings = st.from_regex(r"\+?0[0-9 ]{0,14}[0-9]", fullmatch=True)
yaml11_words = st.sampled_from(["no", "No", "NO", "yes", "on", "off", "y", "n", "true", "False", "null",
                                "~", "1.10", "12:30", "1:30:00", "0x1F", "0o17", "1e3", ".inf", "1_000",
                                "2026-03-01", "--07-14", "3m", "none"])
printable = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"), blacklist_characters="\ufeff\u2028\u2029\x85")
free_text = st.text(printable, min_size=1, max_size=40).filter(lambda t: t.strip() == t and t)
hostile = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "{: onclick=alert(1) }", "&#106;avascript:alert(1)", "<javascript:alert(1)>", "`code`", "**b**",
    "| a | b |", "# heading", "- item", "![i](javascript:alert(1))", "</title><svg onload=alert(1)>",
    "[r][1]\n\n[1]: javascript:alert(1)", "<a href='javascript:alert(1)'>a</a>", "\\<b>", "~~s~~", "==m==",
])
scalars = st.one_of(dates, digit_strings, yaml11_words, free_text)


def yaml_scalar(value: str, plain: bool) -> str:
    """A plain scalar when the text allows it, else a double-quoted one (JSON strings are YAML)."""
    if plain and re.fullmatch(r"[A-Za-z0-9+][A-Za-z0-9 +.:_~-]*", value) and ": " not in value \
            and not value.endswith((":", " ")):
        return value
    return json.dumps(value, ensure_ascii=False)


@st.composite
def contact_files(draw: st.DrawFn) -> tuple[str, dict]:
    """A contact file as text, and the data it should load as."""
    expected: dict = {"name": draw(st.one_of(free_text, yaml11_words))}
    for key in draw(st.lists(st.sampled_from(["company", "role", "industry", "location", "benefit", "pronouns"]),
                             unique=True, max_size=4)):
        expected[key] = draw(scalars)
    for key in draw(st.lists(st.sampled_from(["emails", "phones", "tags", "needs"]), unique=True, max_size=3)):
        expected[key] = draw(st.lists(scalars, min_size=1, max_size=4))
    if draw(st.booleans()):
        expected["met"] = {"on": draw(dates)} | ({"how": draw(free_text)} if draw(st.booleans()) else {})
    interactions = draw(st.lists(st.fixed_dictionaries(
        {"on": dates}, optional={"kind": st.sampled_from(["email", "call", "coffee", "event", "no", "other"]),
                                 "note": st.one_of(free_text, hostile), "gave": free_text}), max_size=4))
    if interactions:
        expected["interactions"] = interactions
    plain = draw(st.booleans())
    lines = []
    for key, value in expected.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key}:")
            for item in value:
                entries = list(item.items())
                lines.append(f"  - {entries[0][0]}: {yaml_scalar(entries[0][1], plain)}")
                lines += [f"    {k}: {yaml_scalar(v, plain)}" for k, v in entries[1:]]
        elif isinstance(value, list):
            lines.append(f"{key}: [{', '.join(json.dumps(v, ensure_ascii=False) for v in value)}]")
        elif isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {yaml_scalar(v, plain)}" for k, v in value.items()]
        else:
            lines.append(f"{key}: {yaml_scalar(value, plain)}")
    return "\n".join(lines) + "\n", expected


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    text, _ = draw(contact_files())
    data = text.encode("utf-8")
    how = draw(st.sampled_from(["truncate", "flip", "insert", "as-is"]))
    if how == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if how == "flip" and data:
        index = draw(st.integers(0, len(data) - 1))
        return data[:index] + bytes([draw(st.integers(0, 255))]) + data[index + 1:]
    if how == "insert":
        index = draw(st.integers(0, len(data)))
        junk = draw(st.sampled_from([b"\t", b" #", b": ", b"&a ", b"*a", b"!!binary ", b"\x00", b"\xff",
                                     b"- ", b"[", b"{", b"---\n", b"\r", b"'", b'"', b"\xe2\x80"]))
        return data[:index] + junk + data[index:]
    return data


@settings(**EXAMPLES)
@given(damaged())
def test_loading_never_raises_and_points_inside_the_file(data: bytes) -> None:
    parsed = parse_file("contacts", data, "x.yml")
    lines = len(split_lines(data.decode("utf-8", "replace")))
    for diagnostic in parsed.diagnostics:
        assert diagnostic.path == "x.yml"
        assert 1 <= diagnostic.line <= lines, (diagnostic, data)
        assert diagnostic.column >= 1
    assert (parsed.record is None) == any(d.severity == "error" for d in parsed.diagnostics)


@settings(**EXAMPLES)
@given(contact_files())
def test_every_value_that_loads_is_the_exact_text(case: tuple[str, dict]) -> None:
    text, expected = case
    document, diagnostics = load_document(text.encode("utf-8"), "x.yml")
    assert [d for d in diagnostics if d.severity == "error"] == []
    assert document is not None and document.data == expected


class _LiveHtml(HTMLParser):
    FORBIDDEN_TAGS = frozenset({"script", "img", "iframe", "svg", "object", "embed", "style", "form", "input", "math",
                                "foreignobject"})

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.last_class = ""  # of the previous start tag

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Our pictures (`site/pictures.py`) and the network maps (`site/network_map.py`, right inside
        # their `div`) are SVG we draw; what they hold is still checked here, tag by tag.
        drawn = tag == "svg" and (self.last_class == "handbook-map" or _is_our_picture(dict(attrs)))
        self.last_class = (dict(attrs).get("class") or "").split(" ")[0]
        if tag in self.FORBIDDEN_TAGS and not drawn and not (tag == "input" and ("class", "handbook-filter") in attrs):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}")
            if name in ("href", "src"):
                target = "".join((value or "").split()).lower()
                scheme = target.split(":", 1)[0] if ":" in target.split("/")[0] else ""
                if scheme not in ("", "http", "https", "mailto") and not re.fullmatch(r"tel:\+?[0-9]+", target):
                    self.problems.append(f"{tag} {name}={value}")


def _is_our_picture(attrs: dict[str, str | None]) -> bool:
    """An SVG of site/pictures.py: its own classes and attributes, none from user text."""
    return (set(attrs) == {"class", "viewbox", "width", "height", "role", "aria-label"}
            and re.fullmatch(r"handbook-(mark|avatar|rhythm|strip)( [a-z0-9_-]+)*", attrs["class"] or "") is not None)


def _as_site_html(text: str) -> str:
    return markdown.markdown(text, extensions=["admonition", "attr_list", "md_in_html", "tables", "toc", "meta"])


@settings(**(EXAMPLES | {"max_examples": 100}))
@given(st.lists(contact_files(), min_size=1, max_size=3), st.lists(hostile, min_size=1, max_size=3))
def test_rendering_any_loaded_handbook_never_yields_live_html(files: list[tuple[str, dict]], notes: list[str]) -> None:
    contacts: dict[str, Contact] = {}
    for index, (text, _) in enumerate(files):
        text += "notes: " + json.dumps("\n\n".join(notes), ensure_ascii=False) + "\n"
        parsed = parse_file("contacts", text.encode("utf-8"), f"p{index}.yml")
        if isinstance(parsed.record, Contact):
            contacts[f"p{index}"] = parsed.record
    handbook = Handbook(contacts, {}, {("contacts", slug): f"{slug}.yml" for slug in contacts})
    site = build_site(handbook, Settings(), date(2026, 3, 1))
    for page in render_pages(site):
        checker = _LiveHtml()
        checker.feed(_as_site_html(page.markdown))
        assert checker.problems == [], (page.path, checker.problems)


@settings(**EXAMPLES)
@given(st.one_of(free_text, yaml11_words, digit_strings, hostile), st.booleans())
def test_values_the_cli_writes_read_back_as_the_same_text(text: str, in_flow: bool) -> None:
    from networking_handbook.edit.yaml_text import scalar
    source = f"name: [{scalar(text, flow=True)}]\n" if in_flow else f"name: {scalar(text)}\n"
    document, diagnostics = load_document(source.encode("utf-8"), "x.yml")
    assert [d for d in diagnostics if d.severity == "error"] == [], source
    assert document is not None
    assert document.data["name"] == ([text] if in_flow else text), source
