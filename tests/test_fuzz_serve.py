"""Fuzzing the serve path: the build that tolerates errors, as `mkdocs serve` runs it.

One handbook (two contacts and an event that refer to each other) is served for a whole
example: a sequence of edits, each a mutation of a file's current or original text (byte
edits, truncations, YAML syntax, wrong types, unknown keys, dangling slugs, huge and deep
values, control characters, byte-order marks, invalid UTF-8) or a return to the original, and
after each the engine's serve build (`build.publish(..., serving=True)` with one FileCache
for the session, which is what the plugin calls on every rebuild) renders every page.

Properties, after every edit: nothing raises; every contact and event file keeps its page,
built from the last valid version seen in the session (else a stand-in); every link between
generated pages resolves; every problem names its file and a line and column inside it.

In process and without MkDocs, so that 10,000 examples stay cheap: what MkDocs adds (the
Markdown to HTML step, the theme) is covered by tests/test_serve.py and test_properties.py.
`FUZZ_EXAMPLES=200` makes a quick local run; the suite runs 10,000.
"""

from __future__ import annotations

import itertools
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from networking_handbook.build import Output, Setup, configure, publish
from networking_handbook.core.handbook import FileCache
from networking_handbook.core.load import split_lines
from networking_handbook.core.records import Contact, Event
from networking_handbook.core.site_config import read_site_config
from networking_handbook.core.validate import parse_file

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10000"))
# The suite runs the same 10,000 cases each time (a CI run must not fail by chance); FUZZ_RANDOM=1
# explores new ones, and whatever it finds becomes a case of its own.
DERANDOMIZE = os.environ.get("FUZZ_RANDOM") != "1"

ORIGINALS = {
    "contacts/ana-souza": (
        "# yaml-language-server: $schema=../schemas/contact.schema.json\n"
        "name: Ana Souza\ncompany: Lumen Labs\nemails: [ana@example.org]\ntags: [mentor, design]\n"
        "met:\n  on: 2026-01-02\n  at: meetup\n  via: bo\n"
        "interactions:\n  - on: 2026-02-01\n    kind: coffee\n    with: [bo]\n    event: meetup\n"
        "    note: \"talked about <b>tea</b>\"\n"
        "promises:\n  - by: me\n    what: send the intro\n    on: 2026-02-01\n    due: 2026-03-10\n"
        "  - by: them\n    what: review\n    on: 2026-02-01\n    done: 2026-02-03\n"
        "notes: |\n  Likes [links](https://example.org).\n"),
    "contacts/bo": "name: Bo\nstage: active\ntags: [design]\nlinks:\n  site: https://bo.example\n",
    "events/meetup": "name: Design Meetup\non: 2026-01-02\nwhere: Lisbon\nkind: meetup\npeople: [ana-souza, bo]\n",
}

# YAML syntax, wrong types, unknown keys, dangling slugs, and what editors and encodings leave.
JUNK = [
    b"\t", b" #", b": ", b"&a ", b"*a", b"*b ", b"!!binary ", b"!!python/object:os.system ", b"\x00", b"\xff",
    b"\xc3", b"\xed\xa0\x80", b"- ", b"[", b"{", b"}", b"]", b"---\n", b"...\n", b"%YAML 1.2\n", b"\r", b"\r\n",
    b"'", b'"', b"\xe2\x80", b"\xef\xbb\xbf", b"\x1b[2J", b"\x85", b"<<: *a\n", b"? ", b"|", b">", b"@", b"`",
    b"\nname: Twice\n", b"\nunknown: key\n", b"\nstage: sleeping\n", b"\nvia: nobody\n",
    b"\n  - on: 2026-02-30\n", b"\npeople: [nobody, ana-souza]\n", b"\nwith: [ana-souza]\n",
    b"\ntags: [\"" + b"t" * 300 + b"\"]\n", b"\nemails: 12\n", b"\nmet: []\n", b"\ninteractions: {}\n",
    b"\nname: [1, 2]\n", b"\non: 10000-01-01\n", b"\non: 0000-01-01\n", b"\nknows: [bo]\n",
    b"\nnotes: " + b"[" * 300 + b"]" * 300 + b"\n", b"\nnotes: \"" + b"x" * 200_000 + b"\"\n",
    b"\nanchor: &x [*x]\n", b"\n\xef\xbb\xbfname: BOM\n", b"\nn\xd0\xb0me: look-alike\n",
]
REPLACEMENTS = [b"ana-souza", b"bo", b"meetup", b"nobody", b"index", b"[]", b"{}", b"~", b"12", b"2026-13-01",
                b"yes", b"0x1F", b"\"\\ud800\"", b"!!timestamp 2026-01-02T10:00:00", b"[1, [2]]", b"''"]


@dataclass
class Session:
    """A served handbook: its files, the serve cache, and the last valid text of each file."""

    root: Path
    setup: Setup
    cache: FileCache = field(default_factory=FileCache)
    last_valid: dict[str, Contact | Event] = field(default_factory=dict)
    clock: itertools.count = field(default_factory=lambda: itertools.count(1))

    def write(self, name: str, data: bytes, tick: int | None = None) -> None:
        """Save the file; its modification time moves on, as with an editor's save."""
        path = self.root / "handbook" / f"{name}.yml"
        path.write_bytes(data)
        stamp = (tick or next(self.clock) + 1) * 1_000_000_000
        os.utime(path, ns=(stamp, stamp))
        if tick is None:
            ON_DISK.add(name)

    def serve(self) -> Output:
        return publish(self.setup, [], self.root, self.cache, serving=True)


ON_DISK: set[str] = set()  # the files an example changed (the others hold the original)


@st.composite
def mutated(draw: st.DrawFn, text: bytes) -> bytes:
    how = draw(st.sampled_from(["flip", "insert", "replace", "truncate", "delete", "original", "swap-lines"]))
    index = draw(st.integers(0, len(text)))
    if how == "flip" and text:
        index = min(index, len(text) - 1)
        return text[:index] + bytes([draw(st.integers(0, 255))]) + text[index + 1:]
    if how == "insert":
        return text[:index] + draw(st.sampled_from(JUNK)) + text[index:]
    if how == "replace":
        values = [match.span(1) for match in re.finditer(rb": ([^\n]+)", text)]
        if values:
            start, end = draw(st.sampled_from(values))
            return text[:start] + draw(st.sampled_from(REPLACEMENTS)) + text[end:]
    if how == "truncate":
        return text[:index]
    if how == "delete":
        return text[:index] + text[index + draw(st.integers(1, 40)):]
    if how == "swap-lines":
        lines = text.splitlines(keepends=True)
        if len(lines) > 1:
            first = draw(st.integers(0, len(lines) - 2))
            lines[first], lines[first + 1] = lines[first + 1], lines[first]
            return b"".join(lines)
    return ORIGINALS_BYTES[draw(st.sampled_from(sorted(ORIGINALS_BYTES)))] if how == "original" else text


ORIGINALS_BYTES = {name: text.encode("utf-8") for name, text in ORIGINALS.items()}


@st.composite
def edits(draw: st.DrawFn) -> list[tuple[str, bytes]]:
    """A session's edits: which file, and its new bytes (mutations stack up within a file)."""
    current = dict(ORIGINALS_BYTES)
    sequence = []
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(current)))
        base = current[name] if draw(st.booleans()) else ORIGINALS_BYTES[name]
        current[name] = data = draw(mutated(base))
        sequence.append((name, data))
    return sequence


def served_site(root: Path, config: str) -> Setup:
    """A site in `root` with `config` as its mkdocs.yml and empty note folders, configured."""
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(config)
    site, problems = read_site_config(root / "mkdocs.yml", "mkdocs.yml")
    setup = configure(site)
    assert problems == [] and setup.diagnostics == []
    for folder in ("contacts", "events"):
        (root / "handbook" / folder).mkdir(parents=True)
    return setup


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Session:
    """The site, configured once; each example starts a new session on the original files."""
    root = tmp_path_factory.mktemp("served")
    return Session(root, served_site(root, "site_name: Fuzz\nplugins:\n  - handbook:\n      today: 2026-03-01\n"))


def _new_session(served: Session) -> Session:
    """A session that has seen the original files (a copy of the first one's cache: the
    originals are written back with the stamp it holds, so they are not parsed again)."""
    if not served.cache.entries:
        for name, data in ORIGINALS_BYTES.items():
            served.write(name, data, tick=1)
            record = _record(name, data)
            assert record is not None
            served.last_valid[name] = record
        assert served.serve().data_diagnostics == []
    for name in ON_DISK:  # put back what the last example changed
        served.write(name, ORIGINALS_BYTES[name], tick=1)
    ON_DISK.clear()
    cache = FileCache(dict(served.cache.entries), dict(served.cache.last_valid))
    return Session(served.root, served.setup, cache, dict(served.last_valid), served.clock)


def _record(name: str, data: bytes) -> Contact | Event | None:
    """The record serve shows for the file: valid, and naming only slugs that have files."""
    folder = name.split("/")[0]
    parsed = parse_file(folder, data, f"handbook/{name}.yml")
    known = {f"{reference.folder}/{reference.slug}" for reference in parsed.references}
    return parsed.record if known <= set(ORIGINALS) else None  # type: ignore[return-value]


_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _check(session: Session, output: Output, files: dict[str, bytes]) -> None:
    pages = {page.path: page for page in output.pages}
    for name, data in files.items():
        folder, slug = name.split("/")
        assert f"{'people' if folder == 'contacts' else folder}/{slug}.md" in pages, (name, data)
        record = (output.handbook.contacts if folder == "contacts" else output.handbook.events)[slug]
        now = _record(name, data)
        if now is not None:
            session.last_valid[name] = now
        else:
            assert record == session.last_valid.get(name, record), (name, data)
    targets = set(pages) | set(output.files)
    for page in output.pages:
        for link in _LINK.findall(page.markdown):
            if re.match(r"[a-z][a-z0-9+.-]*:", link, re.IGNORECASE) or link.startswith("#"):  # schemes ignore case
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page.path), link.split("#")[0]))
            assert target in targets, (page.path, link, files)
    displays = {f"handbook/{name}.yml": data for name, data in files.items()}
    for diagnostic in output.data_diagnostics:
        assert diagnostic.path in displays, diagnostic
        lines = len(split_lines(displays[diagnostic.path].decode("utf-8", "replace")))
        assert 1 <= diagnostic.line <= max(lines, 1) and diagnostic.column >= 1, (diagnostic, displays[diagnostic.path])
        assert diagnostic.hint or diagnostic.severity != "error", diagnostic


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=DERANDOMIZE)
@given(sequence=edits())
def test_serving_any_sequence_of_edits_keeps_every_page_and_link(served: Session,
                                                                 sequence: list[tuple[str, bytes]]) -> None:
    session = _new_session(served)
    files = dict(ORIGINALS_BYTES)
    for name, data in sequence:
        session.write(name, data)
        files[name] = data
        _check(session, session.serve(), files)
