"""Editing one note file by pure insertion: nothing already in the file changes.

New entries are text inserted next to the entries they join, in the file's own indentation,
line endings and byte-order mark. Every edit is validated before it is written; the write is
atomic (a temporary file renamed over the original) and refused if the file changed on disk
since it was read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeGuard, Union

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core.diagnostics import Diagnostic
from ..core.load import LINE_BREAK, load_document
from .safe_write import DISK, DiskFiles, EditError

# A value to write: text, a list of values, or ordered (key, value) pairs.
Value = Union[str, Sequence["Value"], Sequence[tuple[str, "Value"]]]  # noqa: UP007 (`|` cannot take a forward reference)
Pairs = Sequence[tuple[str, Value]]
_PLAIN = re.compile(r"[^\W_][\w .,/()'+@&:?=%~#;!*$-]*", re.UNICODE)
_RESERVED_PLAIN = {"", "~", "null"}
_INDENT = "  "
# Line breaks to YAML but not to JSON: raw inside quotes, YAML would fold them into spaces.
_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")
_ENDS_WITH_BREAK = re.compile("(\r\n|[\r\n\x85\u2028\u2029])\\Z")



def scalar(text: str, *, flow: bool = False) -> str:
    """`text` as a YAML scalar: plain when that reads back as the same text, else quoted."""
    plain = (_PLAIN.fullmatch(text) and text not in _RESERVED_PLAIN and not text.endswith((" ", ":"))
             and ": " not in text and " #" not in text)
    if plain and not (flow and "," in text):
        return text
    return _YAML_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def is_pairs(value: Value) -> TypeGuard[Pairs]:
    return isinstance(value, list) and bool(value) and all(isinstance(v, tuple) for v in value)


def block(key: str, value: Value, indent: str, newline: str) -> str:
    """`key: value` in block style at `indent`, ending with a line break."""
    if isinstance(value, str):
        return f"{indent}{key}: {scalar(value)}{newline}"
    if is_pairs(value):
        return f"{indent}{key}:{newline}" + "".join(
            block(k, v, indent + _INDENT, newline) for k, v in value)
    return f"{indent}{key}:{newline}" + "".join(item(v, indent + _INDENT, newline) for v in value)


def item(value: Value, indent: str, newline: str, content: str | None = None) -> str:
    """One block sequence item `- ...`: the dash at `indent`, the value at `content`."""
    content = content if content is not None else indent + _INDENT
    dash = indent + "-" + " " * (len(content) - len(indent) - 1)
    if is_pairs(value):
        lines = [block(k, v, content, newline) for k, v in value]
        return dash + lines[0][len(content):] + "".join(lines[1:])
    if isinstance(value, str):
        return f"{dash}{scalar(value)}{newline}"
    raise EditError("nested lists are not written by the handbook")


def flow(value: Value) -> str:
    if isinstance(value, str):
        return scalar(value, flow=True)
    if is_pairs(value):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value) + "}"
    return "[" + ", ".join(flow(v) for v in value) + "]"


@dataclass
class NoteText:
    """A note file's text being edited, with its original bytes for the conflict check."""

    path: Path
    display: str
    original: bytes
    text: str
    bom: bool
    newline: str
    files: DiskFiles = field(default=DISK, repr=False)  # where it is read from and written to

    @classmethod
    def read(cls, path: Path, display: str, files: DiskFiles = DISK) -> NoteText:
        try:
            data = files.read(path)
        except OSError as error:
            raise EditError(f"{display}: cannot read the file: {error.strerror}") from None
        return cls.parse(path, display, data, files)

    @classmethod
    def parse(cls, path: Path, display: str, data: bytes, files: DiskFiles = DISK) -> NoteText:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise EditError(f"{display}: the file is not UTF-8; run `handbook check`") from None
        newline = "\r\n" if "\r\n" in text else "\n"
        return cls(path, display, data, text, data.startswith(b"\xef\xbb\xbf"), newline, files)

    def root(self) -> MappingNode:
        document, diagnostics = load_document(self.text.encode("utf-8"), self.display)
        if document is None or any(d.severity == "error" for d in diagnostics):
            raise EditError(_formatted(diagnostics) or f"{self.display}: cannot be edited")
        return document.root

    def insert(self, offset: int, addition: str) -> None:
        self.text = self.text[:offset] + addition + self.text[offset:]

    # The edits -----------------------------------------------------------------------

    def add_key(self, path: tuple[str | int, ...], key: str, value: Value) -> None:
        """Add `key: value` to the mapping at `path`; a `key:` left empty there gets the value."""
        root = self.root()
        mapping = _node_at(root, path)
        parent = _node_at(root, path[:-1]) if path and isinstance(path[-1], str) else None
        if mapping is not None and _is_empty(mapping) and isinstance(parent, MappingNode):
            # `links:` left empty: it becomes the mapping that holds the new key
            holder = next(k for k, v in parent.value if v is mapping)
            self._fill(holder, [(key, value)], in_flow=bool(parent.flow_style))
            return
        if not isinstance(mapping, MappingNode):
            raise EditError(f"{self.display}: cannot add `{key}` there")
        entry = next(((k, v) for k, v in mapping.value if isinstance(k, ScalarNode) and k.value == key), None)
        if entry is not None and _is_empty(entry[1]):
            self._fill(entry[0], value, in_flow=bool(mapping.flow_style))
        elif entry is not None:
            raise EditError(f"{self.display}: `{key}` is already set")
        elif mapping.flow_style:
            self._insert_in_flow(mapping, f"{key}: {flow(value)}")
        elif not mapping.value:
            raise EditError(f"{self.display}: cannot add to an empty mapping")
        else:
            indent = " " * mapping.value[0][0].start_mark.column
            self.insert(self._after_last_line(mapping), block(key, value, indent, self.newline))

    def _fill(self, key_node: ScalarNode, value: Value, *, in_flow: bool) -> None:
        """Give the empty `key:` at `key_node` its value, after the colon (before any comment)."""
        colon = self.text.index(":", self._offset(key_node.end_mark.line, key_node.end_mark.column))
        if isinstance(value, str) or in_flow:
            self.insert(colon + 1, " " + flow(value))
            return
        indent = " " * key_node.start_mark.column + _INDENT
        lines = ([block(k, v, indent, self.newline) for k, v in value] if is_pairs(value)
                 else [item(v, indent, self.newline) for v in value])
        self.insert(self._line_end(key_node.end_mark.line), "".join(lines))

    def add_item(self, path: tuple[str | int, ...], key: str, value: Value) -> None:
        """Append `value` to the list `key` of the mapping at `path`, creating the list if needed."""
        parent = _node_at(self.root(), path)
        if not isinstance(parent, MappingNode):
            raise EditError(f"{self.display}: cannot add to `{key}` there")
        entry = next(((k, v) for k, v in parent.value if isinstance(k, ScalarNode) and k.value == key), None)
        if entry is None:
            self.add_key(path, key, [value])
            return
        key_node, sequence = entry
        if _is_empty(sequence):
            self._fill(key_node, [value], in_flow=bool(parent.flow_style))
        elif not isinstance(sequence, SequenceNode):
            raise EditError(f"{self.display}:{key_node.start_mark.line + 1}: `{key}` is not a list; "
                            "fix it first (`handbook check`)")
        elif sequence.flow_style or not sequence.value:
            self._insert_in_flow(sequence, flow(value))
        else:
            dash = " " * sequence.start_mark.column
            content = " " * sequence.value[0].start_mark.column  # line up with the first item
            self.insert(self._after_last_line(sequence), item(value, dash, self.newline, content))

    def _insert_in_flow(self, collection: Node, entry: str) -> None:
        close = self._offset(collection.end_mark.line, collection.end_mark.column) - 1
        before = self.text[:close].rstrip()
        separator = "" if not collection.value else " " if before.endswith(",") else ", "
        self.insert(close, separator + entry)

    def _after_last_line(self, node: Node) -> int:
        """Where a new line goes after `node`: after the line of its last value."""
        leaf = node
        while isinstance(leaf, (MappingNode, SequenceNode)) and leaf.value and not leaf.flow_style:
            leaf = leaf.value[-1][1] if isinstance(leaf, MappingNode) else leaf.value[-1]
        end = leaf.end_mark
        if isinstance(leaf, ScalarNode) and leaf.style in ("|", ">"):
            return self._offset(end.line, 0) if end.column == 0 else self._line_end(end.line)
        return self._line_end(end.line)

    def _line_end(self, line: int) -> int:
        """The offset just after line `line`'s break, adding a final break if the file lacks one."""
        starts = self._line_starts()
        if line + 1 < len(starts):
            return starts[line + 1]
        if self.text and not _ENDS_WITH_BREAK.search(self.text):
            self.text += self.newline
        return len(self.text)

    def _offset(self, line: int, column: int) -> int:
        return self._line_starts()[line] + column

    def _line_starts(self) -> list[int]:
        return [0] + [match.end() for match in LINE_BREAK.finditer(self.text)]

    # Writing -------------------------------------------------------------------------

    def encoded(self) -> bytes:
        return (b"\xef\xbb\xbf" if self.bom else b"") + self.text.encode("utf-8")

    def write(self, check: Callable[[bytes], list[Diagnostic]],
              change: Callable[[NoteText], None] | None = None) -> None:
        """Validate with `check`, make sure every value already in the file reads back the same,
        then replace the file atomically unless it changed meanwhile. `change`, the edit made,
        is made again on bytes another program appends while the file is replaced."""
        redo = None if change is None else partial(self._again, change, check)
        self.files.write(self.path, self.checked(check), expected=self.original, display=self.display,
                         redo=redo)

    def _again(self, change: Callable[[NoteText], None], check: Callable[[bytes], list[Diagnostic]],
               data: bytes) -> bytes:
        """`change` made on `data` instead of the bytes first read."""
        again = NoteText.parse(self.path, self.display, data, self.files)
        change(again)
        return again.checked(check)

    def checked(self, check: Callable[[bytes], list[Diagnostic]]) -> bytes:
        """The edited bytes, once valid and holding every value the file held."""
        data = self.encoded()
        refuse_invalid(check(data), "the edit would make the file invalid")
        before, _ = load_document(self.original, self.display)
        after, _ = load_document(data, self.display)
        if before is None or after is None or after.data == before.data:
            raise EditError(f"{self.display}: the edit could not be placed in this file's layout; "
                            "nothing was written")
        if not _only_added(before.data, after.data):
            raise EditError(f"{self.display}: this edit would change text already in the file (a block "
                            "of text at its very end, without a final line break?); add a line break at "
                            "the end of the file and try again. Nothing was written")
        return data


def _is_empty(node: Node) -> bool:
    """`key:` with nothing after it, which reads as a missing key."""
    return isinstance(node, ScalarNode) and node.value == "" and not node.style


def _only_added(old: object, new: object) -> bool:
    """Whether `new` holds everything `old` holds, unchanged: keys and list items only added."""
    if isinstance(old, dict):
        return isinstance(new, dict) and all(key in new and _only_added(value, new[key])
                                             for key, value in old.items())
    if isinstance(old, list):
        return isinstance(new, list) and len(new) >= len(old) and all(map(_only_added, old, new))
    return old == new


def _node_at(root: MappingNode, path: tuple[str | int, ...]) -> Node | None:
    node: Node | None = root
    for part in path:
        if isinstance(node, MappingNode) and isinstance(part, str):
            node = next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == part), None)
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return None
    return node


def refuse_invalid(diagnostics: list[Diagnostic], what: str) -> None:
    """Raise, listing them, if `diagnostics` hold errors: `what` happened, nothing was written."""
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise EditError(f"{what}, so nothing was written:\n" + _formatted(errors))


def _formatted(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(d.format() for d in diagnostics)
