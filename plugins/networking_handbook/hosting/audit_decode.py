"""The audit's decoding stage: every text a file holds, however it is packed or encoded.

Bytes are unpacked by what they are, not by their name (gzip, zlib, bzip2, xz, zip
members, the compressed text chunks of a PNG; nested to `MAX_DEPTH`), read as UTF-8 or
UTF-16, and each text is also given in the forms a browser or a parser reads it: HTML
entities, backslash (JSON, JavaScript) escapes, iCalendar/vCard folding, percent-encoding,
CSV quote doubling and quoted-printable undone, and plausible base64 runs decoded and read
again. Raw bytes are searched too, so image metadata (EXIF, XMP, PNG tEXt) is covered. A
file that expands past `MAX_BYTES` is `TooLarge`: the audit says so rather than skipping it.
"""

from __future__ import annotations

import base64
import binascii
import bz2
import html
import io
import lzma
import quopri
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from urllib.parse import unquote_plus

MAX_BYTES = 64 * 2**20  # what one file may expand to, all its layers together
MAX_DEPTH = 6  # layers of packing and encoding inside one another
MAX_MEMBERS = 10_000  # entries of one zip archive
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_RANDOM_RUN = re.compile(r"[A-Za-z0-9+/]{64,}={0,2}")  # long enough to tell random from words
_PRINTABLE = re.compile(r"[^\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_BACKSLASH = re.compile(r"\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}
_FOLD = re.compile(r"\r?\n[ \t]")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_QUOTED_PRINTABLE = re.compile(r"=[0-9A-F]{2}|=\r?\n")


class TooLarge(Exception):
    """A file the audit will not unpack whole (a zip bomb, say)."""


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_BYTES

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise TooLarge(f"it expands past {MAX_BYTES // 2**20} MiB once unpacked")


def decoded_texts(data: bytes) -> list[str]:
    """Every text view of a file's content, the raw bytes first."""
    if len(data) > MAX_BYTES:
        raise TooLarge(f"it is larger than {MAX_BYTES // 2**20} MiB")
    texts: list[str] = []
    _decode(data, 0, texts, _Budget())
    return list(dict.fromkeys(texts))


def _decode(data: bytes, depth: int, texts: list[str], budget: _Budget) -> None:
    if depth > MAX_DEPTH:
        raise TooLarge(f"it is packed or encoded more than {MAX_DEPTH} layers deep")
    budget.spend(len(data))
    for inner in _unpacked(data, budget):
        _decode(inner, depth + 1, texts, budget)
    views = list(dict.fromkeys(view for text in _as_text(data) for view in text_views(text)))
    texts += views
    runs = {run for view in views for run in _BASE64_RUN.findall(view)}
    for run in sorted(runs):
        decoded = _base64(run)
        if decoded is not None:
            _decode(decoded, depth + 1, texts, budget)


def _as_text(data: bytes) -> list[str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [data.decode("utf-16", errors="replace")]
    try:
        texts = [data.decode("utf-8-sig")]
    except UnicodeDecodeError:
        texts = [data.decode("utf-8", errors="replace"), data.decode("cp1252", errors="replace")]
    if b"\x00" in data:  # UTF-16 without a byte-order mark, as in EXIF comments
        texts += [data[start:].decode(codec, errors="replace") for start in (0, 1)
                  for codec in ("utf-16-le", "utf-16-be")]
    return texts


def text_views(text: str) -> Iterator[str]:
    """The text as written and as each decoder reads it (one layer of each)."""
    yield text
    for view in (text, html.unescape(text)) if "&" in text else (text,):
        if view is not text:
            yield view
        if "\\" in view:
            yield _BACKSLASH.sub(_unescape, view).encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        if "\n " in view or "\n\t" in view:
            yield _FOLD.sub("", view).replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")
        if _PERCENT.search(view):
            yield unquote_plus(view)
        if '""' in view:
            yield view.replace('""', '"')
        if _QUOTED_PRINTABLE.search(view):
            yield quopri.decodestring(view.encode("utf-8", "surrogatepass")).decode("utf-8", "replace")


def without_random_runs(text: str) -> str:
    """The text with each long run that reads as random base64 (ciphertext, a digest) blanked.
    A word inside one is there by chance, between two of its `+` or `/` (a 200 KB encrypted
    search index holds `+ux/` about once); what the run decodes to is searched on its own.
    Random means mixed as base64 of random bytes is: upper and lower case and digits, which a
    slug, a URL or a sentence is not."""
    return _RANDOM_RUN.sub(lambda run: " " * len(run[0]) if _reads_as_random(run[0]) else run[0], text)


def _reads_as_random(run: str) -> bool:
    # Random base64 is 41% upper case, 41% lower case and 16% digits; these bounds sit
    # several standard deviations below that at 64 characters.
    upper, lower, digits = (sum(map(test, run)) for test in (str.isupper, str.islower, str.isdigit))
    return min(upper, lower) >= 0.2 * len(run) and digits >= 0.04 * len(run)


def _unescape(match: re.Match[str]) -> str:
    code, byte, char = match.groups()
    if code or byte:
        return chr(int(code or byte, 16))
    return _SIMPLE_ESCAPES.get(char, char)


def _base64(run: str) -> bytes | None:
    """The content of a base64 run when it is plausible: text, or something packed."""
    run = run.rstrip("=").replace("-", "+").replace("_", "/")
    run = run[:-1] if len(run) % 4 == 1 else run  # a stray last character decodes to nothing
    try:
        decoded = base64.b64decode(run + "=" * (-len(run) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    return decoded if _plausible(decoded) else None


def _plausible(data: bytes) -> bool:
    if _magic(data) is not None:
        return True
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return len(_PRINTABLE.findall(text)) >= 0.95 * len(text)


def _magic(data: bytes) -> str | None:
    if data.startswith(b"\x1f\x8b"):
        return "gzip"
    if len(data) > 2 and data[0] == 0x78 and (data[0] * 256 + data[1]) % 31 == 0:
        return "zlib"
    if data.startswith(b"BZh"):
        return "bz2"
    if data.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def _unpacked(data: bytes, budget: _Budget) -> Iterator[bytes]:
    """What `data` holds packed inside it; nothing when it is not packed or is damaged."""
    kind = _magic(data)
    try:
        if kind == "gzip":
            while data.startswith(b"\x1f\x8b"):  # one member after another
                decompressor = zlib.decompressobj(wbits=31)
                yield _inflate(decompressor.decompress, data, budget)
                data = decompressor.unused_data
        elif kind == "zlib":
            yield _inflate(zlib.decompressobj().decompress, data, budget)
        elif kind == "bz2":
            yield _inflate(bz2.BZ2Decompressor().decompress, data, budget)
        elif kind == "xz":
            yield _inflate(lzma.LZMADecompressor().decompress, data, budget)
        elif kind == "zip":
            yield from _members(data, budget)
        elif kind == "png":
            yield from _png_texts(data, budget)
    except (zlib.error, OSError, EOFError, lzma.LZMAError, zipfile.BadZipFile, ValueError, struct.error):
        return


def _inflate(decompress: Callable[[bytes, int], bytes], data: bytes, budget: _Budget) -> bytes:
    """Decompressed `data`, never more than the budget allows."""
    out = decompress(data, max(budget.left, 0) + 1)
    budget.spend(len(out))
    return out


def _members(data: bytes, budget: _Budget) -> Iterator[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        if len(entries) > MAX_MEMBERS:
            raise TooLarge(f"a zip archive in it has more than {MAX_MEMBERS} entries")
        yield "\n".join(entry.filename for entry in entries).encode("utf-8")
        for entry in entries:
            with archive.open(entry) as member:
                content = member.read(max(budget.left, 0) + 1)
            budget.spend(len(content))
            yield content


def _png_texts(data: bytes, budget: _Budget) -> Iterator[bytes]:
    """The compressed text of a PNG's zTXt and iTXt chunks (tEXt is searched as it is)."""
    position = 8
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"zTXt":
            yield _inflate(zlib.decompressobj().decompress, body.partition(b"\0")[2][1:], budget)
        elif kind == b"iTXt":
            rest = body.partition(b"\0")[2]  # after the keyword: flag, method, language, keyword
            if rest[:1] == b"\x01":
                text = rest[2:].split(b"\0", 2)[-1]
                yield _inflate(zlib.decompressobj().decompress, text, budget)
