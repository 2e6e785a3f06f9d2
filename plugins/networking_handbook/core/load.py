"""Stage 1, load: file bytes to documents of text values, with the position of every node.

Built on libyaml (PyYAML's C parser). Every scalar stays the exact text the user typed: the
implicit resolvers are replaced by one that tags nothing, so `no`, `012`, `12:30` and
`2026-03-01` all stay text. Anchors, aliases, explicit tags, duplicate keys, bad encodings,
control characters, over-deep nesting and over-large files become diagnostics; nothing
raised by the parser escapes.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64

_TAGS = {ScalarNode: "handbook:text", SequenceNode: "handbook:list", MappingNode: "handbook:map"}
_KIND_NAMES = {ScalarNode: "text", SequenceNode: "a list", MappingNode: "a mapping"}
# Characters YAML does not allow in a stream (its "printable" set, inverted).
_FORBIDDEN_CHARACTER = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# Control characters a double-quoted escape (`"\e"`, `"\x07"`) can still put in a value; tab and
# newline are text.
_CONTROL_IN_VALUE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# In a key even tabs and line breaks are refused.
_CONTROL_IN_KEY = re.compile("[\x00-\x1f\x7f-\x9f]")
# What YAML counts as a line break; line numbers everywhere follow it.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# Cheap signs that a file may hold anchors or deep nesting; only then are events scanned.
_NESTING_SIGNS = "[{-?"
_NESTING_SIGN_LIMIT = 1000
_PARSER_HINTS = (
    ("mapping values are not allowed", 'quote the value, e.g. `note: "met at: the party"`'),
    ("expected a single document", "keep one document per file: remove the `---` line"),
    ("undefined alias", "aliases (`*name`) are not supported: write the value out in full"),
    ("could not find expected ':'", "write each entry as `key: value`, or quote the value"),
    ("invalid Unicode character escape", "use a valid escape; surrogates are not characters"),
    ("did not find expected key", "check the indentation of this line against the one above"),
    ("did not find expected '-' indicator", "line up list items under each other"),
    ("found unknown escape character", "in double quotes write a backslash as `\\\\`, or use single quotes"),
    ("found incompatible YAML document", "remove the `%YAML` line: note files need no directives"),
    ("found unknown directive", "remove the line starting with `%`: note files need no directives"),
    ("did not find expected node content", "write a value here, or remove the line"),
    ("found character that cannot start any token", "quote the value: `@` and a backtick cannot start unquoted text"),
    ("found undefined tag handle", "remove the `!` tag; quote the value if it starts with `!`"),
    ("did not find expected <document start>", "keep one document per file: remove the `...` or `---` line"),
)
# A hint for any other parser message, so no problem reaches the user without one.
_PARSER_FALLBACK_HINT = "write each entry as `key: value` at the left margin; quote values holding `: ` or ` #`"


class _TextLoader(yaml.CSafeLoader):
    """libyaml parser whose resolver tags every node by kind only: all scalars stay text."""

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        return _TAGS[kind]


class _PythonEventLoader(yaml.SafeLoader):
    """PyYAML's own parser, used only to place deep nesting where libyaml gave up first.

    libyaml 0.2.6 (PyYAML 6.0.4) stops at 1,000 levels while scanning ahead, so its error
    lands far past the level where our own limit is crossed; the pure-Python parser has no
    such limit and emits events one at a time without recursing.
    """

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        return _TAGS[kind]


class _TooDeep(Exception):
    """Raised inside the converter at the first node nested deeper than MAX_DEPTH."""

    def __init__(self, node: Node) -> None:
        super().__init__(node)
        self.node = node


@dataclass(frozen=True)
class Document:
    """One loaded file: plain data (dicts, lists, text) and the node tree it came from."""

    path: str
    data: dict[str, Any]
    root: MappingNode

    def locate(self, loc: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
        """The 1-based `(line, column)` of the value at `loc`, or of its key when `key`.

        An unknown part of `loc` (a missing key) stops at the deepest node that exists.
        """
        mark = self._walk(loc, key=key)[0]
        return mark.line + 1, mark.column + 1

    def has(self, loc: tuple[str | int, ...]) -> bool:
        """Whether the file has a node at `loc`, even an empty one left out of `data`."""
        return self._walk(loc, key=False)[1]

    def _walk(self, loc: tuple[str | int, ...], *, key: bool) -> tuple[yaml.Mark, bool]:
        node: Node = self.root
        mark = node.start_mark
        for index, part in enumerate(loc):
            last = index == len(loc) - 1
            if isinstance(node, MappingNode) and isinstance(part, str):
                entry = next(
                    ((k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == part),
                    None,
                )
                if entry is None:
                    return mark, False
                mark = entry[0].start_mark if key and last else entry[1].start_mark
                node = entry[1]
            elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                mark = node.start_mark
            else:
                return mark, False
        return mark, True


def too_large(path: str, size: int) -> Diagnostic | None:
    """The problem with a file of `size` bytes, if it is over MAX_FILE_BYTES: callers check
    the size from `stat` before reading, so a huge file is never read whole."""
    if size <= MAX_FILE_BYTES:
        return None
    return Diagnostic(path, 1, 1, f"the file is {size / MAX_FILE_BYTES:.1f} MiB; the limit is 1 MiB",
                      hint="a note file is a few KB: remove pasted binary data or split it")


def load_document(data: bytes, path: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one file's bytes; a document only when the file is a usable YAML mapping."""
    problem = too_large(path, len(data))
    if problem:
        return None, [problem]
    text, problem = _decode(data, path)
    if problem:
        return None, [problem]
    problem = _forbidden_character(text, path, looks_utf16(data)) or _structure_problem(text, path)
    if problem:
        return None, [problem]
    loader = _TextLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        return None, [_parser_problem(error, path, text)]
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        return None, [Diagnostic(path, 1, 1, f"cannot read the file: {error}")]
    finally:
        loader.dispose()
    if root is None:
        return None, [Diagnostic(path, 1, 1, "the file is empty", hint="write at least `name: ...`")]
    if isinstance(root, ScalarNode) and not root.style and root.value == "" and root.tag == _TAGS[ScalarNode]:
        # only `---`: libyaml places the empty document after the marker, maybe past the end
        line = _document_start_line(text)
        return None, [Diagnostic(path, line, 1, "the file is empty: it has a `---` line and no entries",
                                 hint="write at least `name: ...` below the `---` line")]
    if not isinstance(root, MappingNode):
        line, column = root.start_mark.line + 1, root.start_mark.column + 1
        found = _KIND_NAMES[type(root)]
        return None, [
            Diagnostic(path, line, column, f"expected a mapping of `key: value` lines, found {found}",
                       hint="start the file with `name: ...` at the left margin")
        ]
    converter = _Converter(path, text)
    try:
        converter.check_tag(root)  # `--- !!python/object/apply:...` tags the whole file
        data_ = converter.mapping(root)
    except _TooDeep as deep:
        mark = deep.node.start_mark
        return None, [_too_deep(path, mark.line + 1, mark.column + 1)]
    return Document(path, data_, root), converter.diagnostics


class _Converter:
    """Turns nodes into dicts, lists and text, reporting tags, duplicate and non-text keys."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        # Only files with " #" can have a plain value cut short by a comment.
        self.lines = split_lines(text) if " #" in text else None

    def check_tag(self, node: Node) -> None:
        if node.tag != _TAGS[type(node)]:
            self._error(node, f"the tag `{node.tag}` is not allowed: values are plain text",
                        "remove the tag; quote the value if it starts with `!`")

    def value(self, node: Node, depth: int) -> Any:
        self.check_tag(node)
        if isinstance(node, ScalarNode):
            if not node.style:  # plain: libyaml gives "", the Python parser None
                if self.lines is not None:
                    self._check_comment_cut(node, self.lines)
                if node.value == "":
                    return None
            control = _CONTROL_IN_VALUE.search(node.value)
            if control:
                self._error(node, f"the value holds the control character U+{ord(control.group()):04X}",
                            "remove it (in a file, an escape such as `\\e` or `\\x07` makes one); "
                            "only tabs and line breaks are text")
            return node.value
        if isinstance(node, SequenceNode):
            _check_depth(node, depth)
            return [self.value(item, depth + 1) for item in node.value]
        assert isinstance(node, MappingNode)  # the third and last kind of node
        return self.mapping(node, depth)

    def mapping(self, node: MappingNode, depth: int = 1) -> dict[str, Any]:
        """`depth` counts the mappings and lists this one sits in, itself included."""
        _check_depth(node, depth)
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self._error(key_node, f"a key must be text, not {_KIND_NAMES[type(key_node)]}",
                            "write keys as plain words: `name: ...`")
                continue
            key = key_node.value
            control = _CONTROL_IN_KEY.search(key)
            if control:
                self._error(key_node, f"the key holds the control character U+{ord(control.group()):04X}",
                            "write keys as plain words: `name: ...` (an escape such as `\\e` in quotes makes one)")
                continue
            folded = unicodedata.normalize("NFC", key).casefold()
            earlier = first_seen.get(folded)
            if earlier is not None:
                line = earlier.start_mark.line + 1
                what = "" if earlier.value == key else f" (same as `{earlier.value}` but for case or Unicode form)"
                self._error(key_node, f"duplicate key `{key}`{what}: it is already on line {line}",
                            "keep one of them; YAML would silently drop the first")
                continue
            first_seen[folded] = key_node
            if key_node.tag != _TAGS[ScalarNode]:
                self._error(key_node, f"the tag `{key_node.tag}` is not allowed: values are plain text",
                            "remove the tag")
            value = self.value(value_node, depth + 1)
            if value is not None:
                result[key] = value
        return result

    def _check_comment_cut(self, node: ScalarNode, lines: list[str]) -> None:
        """Warn when a plain value is followed by ` #`: YAML read the rest as a comment."""
        end = node.end_mark
        rest = lines[end.line][end.column:] if end.line < len(lines) else ""
        if rest.startswith(" #"):
            self.diagnostics.append(
                Diagnostic(self.path, end.line + 1, end.column + 2,
                           "the text after ` #` is a comment, not part of the value",
                           severity="warning",
                           hint="quote the value, or YAML reads the rest as a comment "
                                "(put two spaces before `#` for a real comment)")
            )

    def _error(self, node: Node, message: str, hint: str | None = None) -> None:
        mark = node.start_mark
        self.diagnostics.append(Diagnostic(self.path, mark.line + 1, mark.column + 1, message, hint=hint))


def _check_depth(node: Node, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise _TooDeep(node)


def _too_deep(path: str, line: int, column: int) -> Diagnostic:
    return Diagnostic(path, line, column, f"nesting is deeper than {MAX_DEPTH} levels",
                      hint="contact and event files need only a few levels")


def _decode(data: bytes, path: str) -> tuple[str, Diagnostic | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        # `utf-8-sig` counts offsets after the byte-order mark
        bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        start = bom + error.start
        before = data[bom:start].decode("utf-8")  # valid: the first bad byte is at `start`
        line, column = _position(before, len(before))
        hint = "the file is UTF-16: save it as UTF-8" if looks_utf16(data) else "save the file as UTF-8"
        return "", Diagnostic(path, line, column,
                              f"the file is not valid UTF-8 (byte 0x{data[start]:02x} at offset {start})",
                              hint=hint)


def looks_utf16(data: bytes) -> bool:
    """A UTF-16 byte-order mark, or a NUL in (nearly) every other byte, as ASCII text in UTF-16 has."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return True
    sample = data[:512]
    if len(sample) < 4:
        return False
    return any(half.count(0) >= 0.9 * len(half) for half in (sample[0::2], sample[1::2]))


def _forbidden_character(text: str, path: str, utf16: bool) -> Diagnostic | None:
    match = _FORBIDDEN_CHARACTER.search(text)
    if match is None:
        return None
    line, column = _position(text, match.start())
    code = ord(match.group())
    if code == 0 and utf16:
        hint = "the file looks like UTF-16: save it as UTF-8"
    elif code == 0:
        hint = "delete the NUL byte; a note file is text, so something wrote binary data into it"
    else:
        hint = "delete the character; it is invisible in most editors"
    return Diagnostic(path, line, column, f"the control character U+{code:04X} is not allowed", hint=hint)


def _structure_problem(text: str, path: str) -> Diagnostic | None:
    """Anchors and nesting beyond MAX_DEPTH, found on the event stream before composing.

    libyaml's composer recurses in C, so a file nested tens of thousands deep must never
    reach it. Most files show no sign of either and skip this scan; nesting that does not
    reach the sign limit is caught while converting.
    """
    if "&" not in text and sum(text.count(sign) for sign in _NESTING_SIGNS) < _NESTING_SIGN_LIMIT:
        return None
    try:
        return _first_structure_problem(text, path, _TextLoader, anchors=True)
    except yaml.MarkedYAMLError as error:
        return _parser_problem(error, path, text)
    except yaml.YAMLError as error:
        return Diagnostic(path, 1, 1, f"cannot read the file: {error}")


def _first_structure_problem(text: str, path: str, loader: type[_TextLoader | _PythonEventLoader], *,
                             anchors: bool) -> Diagnostic | None:
    """The first level past MAX_DEPTH (and, with `anchors`, the first anchor) in the events."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        mark = event.start_mark
        assert mark is not None  # both parsers mark every event
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return _too_deep(path, mark.line + 1, mark.column + 1)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if anchors and isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            return Diagnostic(path, mark.line + 1, mark.column + 1,
                              f"anchors and aliases (`&{event.anchor}`, `*{event.anchor}`) are not allowed",
                              hint="write the value out in full where it is needed")
    return None


def _parser_problem(error: yaml.MarkedYAMLError, path: str, text: str) -> Diagnostic:
    """libyaml's error, unless the file nests past MAX_DEPTH before it.

    libyaml enforces nesting limits of its own in some versions (0.2.6: 1,000 levels, found
    while scanning ahead), and reports them with its own wording at its own position; the
    pure-Python parser then finds where our limit is crossed.
    """
    try:
        deep = _first_structure_problem(text, path, _PythonEventLoader, anchors=False)
    except yaml.YAMLError:
        deep = None
    return deep or _parser_diagnostic(error, path, text)


# Problems found far from their cause: reported where the unclosed construct starts.
_OPENED_HERE = {
    "while scanning a quoted scalar": ("this quote is never closed",
                                       "end the value with the same quote mark it starts with"),
    "while parsing a flow sequence": ("this `[` list is not closed",
                                      "close it with `]`, with a comma between items"),
    "while parsing a flow mapping": ("this `{` mapping is not closed",
                                     "close it with `}`, with a comma between entries"),
}


def _parser_diagnostic(error: yaml.MarkedYAMLError, path: str, text: str) -> Diagnostic:
    opened = _OPENED_HERE.get(error.context or "")
    unclosed = "quoted" not in (error.context or "") or "unexpected" in (error.problem or "")
    if opened and unclosed and error.context_mark:
        start = error.context_mark
        return Diagnostic(path, start.line + 1, start.column + 1, opened[0], hint=opened[1])
    lines = split_lines(text)
    no_space = _missing_space_after_colon(error, path, lines)
    if no_space:
        return no_space
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if line > len(lines):  # libyaml marks the end of a file without a final newline past it
        line, column = len(lines), len(lines[-1]) + 1
    source_line = lines[line - 1]
    indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
    if "\t" in indent:
        return Diagnostic(path, line, indent.index("\t") + 1, "a tab in the indentation",
                          hint="indent with spaces, not tabs")
    problem = ", ".join(part for part in (error.context, error.problem) if part) or "invalid YAML"
    text = f"{error.problem or ''} {error.context or ''}"
    if error.problem == "found incompatible YAML document":
        return Diagnostic(path, line, column, "the `%YAML` line asks for a YAML version other than 1.x",
                          hint="remove the `%YAML` line: note files need no directives")
    if source_line.strip() == "...":
        return Diagnostic(path, line, 1, "`...` ends a YAML document, so no entries follow it",
                          hint="remove the `...` line")
    hint = next((hint for needle, hint in _PARSER_HINTS if needle in text), _PARSER_FALLBACK_HINT)
    return Diagnostic(path, line, column, problem, hint=hint)


_NO_SPACE = re.compile(r"(?P<indent>[ ]*(?:-[ ]+)?)(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/][^\n]*)")


def _missing_space_after_colon(error: yaml.MarkedYAMLError, path: str, lines: list[str]) -> Diagnostic | None:
    """`company:Acme`: libyaml reads one word, misses the `:` and reports the next line."""
    mark = error.context_mark
    if "could not find expected ':'" not in (error.problem or "") or mark is None or mark.line >= len(lines):
        return None
    match = _NO_SPACE.fullmatch(lines[mark.line].rstrip())
    if match is None:
        return None
    key, value = match["key"], match["value"]
    return Diagnostic(path, mark.line + 1, match.end("key") + 1, f"no space after the `:` of `{key}`",
                      hint=f"write `{key}: {value}`: YAML needs a space after the colon")


def _document_start_line(text: str) -> int:
    """The line of the first `---`, or 1."""
    for number, line in enumerate(split_lines(text), 1):
        if line.startswith("---"):
            return number
    return 1


def split_lines(text: str) -> list[str]:
    return LINE_BREAK.split(text)


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of character `offset` in `text`."""
    lines = split_lines(text[:offset])
    return len(lines), len(lines[-1]) + 1
