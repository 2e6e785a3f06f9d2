"""Identity: how a slug is made, and when two tags, names, emails, phones, URLs or topics
are the same.

Every stage asks here, so that a tag page, `cadence_by_tag`, an export's `--tag` and an
import never disagree about who shares a tag, and a name typed two ways is one name.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable
from urllib.parse import quote, unquote

from anyascii import anyascii

_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_SLUG = 80  # a file or page name well inside the 255-byte limit of file systems
RESERVED_SLUGS = ("index",)  # `people/index.md` would be the directory page itself


def is_slug(text: str) -> bool:
    """A slug is lower-case ASCII letters and digits in words joined by single hyphens (SPEC 1)."""
    return _SLUG.fullmatch(text) is not None


def slugify(text: str) -> str:
    """`Zoë Müller` to `zoe-muller`, `Łukasz Żółć` to `lukasz-zolc`: letters in ASCII, words joined by
    hyphens, at most MAX_SLUG characters (cut at a word boundary)."""
    return _cut(_full_slug(text), MAX_SLUG)


def note_slug(text: str, taken: Callable[[str], bool], fallback: str = "contact") -> str:
    """The slug for a new file named after `text`: `slugify`, never a reserved slug, and not
    `taken` (`ana-souza-2`, `index-2`)."""
    base = slugify(text) or fallback
    number = 2 if base in RESERVED_SLUGS else 1
    slug = base if number == 1 else f"{base}-{number}"
    while taken(slug):
        number += 1
        slug = f"{base}-{number}"
    return slug


def _full_slug(text: str) -> str:
    ascii_text = text if text.isascii() else "".join(map(_ascii, unicodedata.normalize("NFC", text)))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _cut(slug: str, limit: int) -> str:
    """`slug` in at most `limit` characters, ending at a whole word when one fits."""
    if len(slug) <= limit:
        return slug
    cut = slug[:limit + 1]
    words = cut.rsplit("-", 1)[0] if "-" in cut else ""
    return words or slug[:limit]


def _ascii(char: str) -> str:
    """One character in ASCII: its compatibility decomposition without marks (`é` is `e`,
    `ﬁ` is `fi`, `½` is `12`), else, for a letter, its transliteration (`ß` is `ss`, `Ж` is
    `Zh`, `王` is `Wang`); a symbol with no decomposition (an emoji) gives nothing.

    Decomposition first keeps every slug that had a spelling before transliteration came."""
    decomposed = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    if decomposed or not unicodedata.category(char).startswith(("L", "M")):
        return decomposed
    return anyascii(char)


@functools.lru_cache(maxsize=4096)  # a pure function of few distinct tags, asked for per contact and per page
def tag_slug(tag: str) -> str:
    """A tag's identity and page name: tags with one slug (`Job hunting`, `job-hunting`) are one tag.

    A long tag's slug is cut and ends in a hash of the whole slug, so two long tags that
    share a beginning stay two pages. (A tag `index` is refused by `check`: its page would be the tags list.)"""
    full = _full_slug(tag)
    if not full:
        return "tag-" + "-".join(f"{ord(ch):x}" for ch in tag)[:40]
    if len(full) <= MAX_SLUG:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:8]
    return f"{_cut(full, MAX_SLUG - len(digest) - 1)}-{digest}"


def name_key(name: str) -> str:
    """Names compare after Unicode normalization, case folding and collapsing spaces (`Zoë` typed two ways)."""
    return _folded(name)


def topic_key(topic: str) -> str:
    """Topics (`needs`, `offers`) and industries compare trimmed and case-folded, as names do (`Hiring ` is `hiring`)."""
    return _folded(topic)


def email_key(email: str) -> str:
    """Emails compare trimmed and case-folded: `Ana@X.example` is `ana@x.example`."""
    return email.strip().casefold()


def mailto(address: str, **headers: str) -> str:
    """The one way a `mailto:` link is written: the address percent-encoded (a `?` or `&` in
    it cannot start a header), then only the `headers` given here (`subject`, `body`)."""
    query = "&".join(f"{name}={quote(value, safe='')}" for name, value in headers.items())
    return f"mailto:{quote(address.strip(), safe='@')}" + (f"?{query}" if query else "")


def mail_link_address(url: str) -> str:
    """A `mailto:` link someone wrote, as a link to its address alone: headers after `?`
    (cc, bcc, subject) are dropped, so a link never sends mail to anyone hidden."""
    return mailto(unquote(url.split(":", 1)[1].split("?", 1)[0]))


def phone_key(phone: str) -> str:
    """Phones compare by their digits and `+` (`+1 (512) 555-0100` is `+15125550100`); one with no digit by its text."""
    return re.sub(r"[^\d+]", "", phone) or _folded(phone)


def url_key(url: str) -> str:
    """`http://www.LinkedIn.com/in/ana/?x=1` and `https://linkedin.com/in/ana` are one profile."""
    url = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    return url.split("?")[0].split("#")[0].rstrip("/")


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()
