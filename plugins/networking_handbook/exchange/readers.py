"""Read address-book exports (LinkedIn, Google Contacts, vCard) into neutral records.

Nothing here writes files: the caller matches the records against the handbook. Bad input
never raises; each problem becomes a Diagnostic and reading goes on with the next record.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import vobject

from ..core.diagnostics import Diagnostic, Severity, shorten
from ..core.identity import email_key, name_key, phone_key, slugify, tag_slug, url_key


@dataclass(frozen=True)
class ImportedPerson:
    name: str
    line: int  # 1-based line in the source file where this record starts
    emails: tuple[str, ...] = ()  # the preferred one first
    phones: tuple[str, ...] = ()
    company: str | None = None
    role: str | None = None
    location: str | None = None
    links: tuple[tuple[str, str], ...] = ()  # (label, http(s) URL)
    birthday: str | None = None  # "YYYY-MM-DD" or "--MM-DD"
    met_on: str | None = None  # "YYYY-MM-DD"
    tags: tuple[str, ...] = ()
    notes: str | None = None


Result = tuple[list[ImportedPerson], list[Diagnostic]]
Record = TypeVar("Record")
_FIX = "fix or remove this record in the file and import again; the other records were read"


@dataclass
class _Context:
    """The file being read and the problems found so far."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(self, line: int, message: str, hint: str, severity: Severity = "error") -> None:
        self.diagnostics.append(Diagnostic(self.path, line, 1 if line else 0, message, severity, hint))

    def date(self, line: int, text: str, what: str, yearless: bool = True) -> str | None:
        """`text` as a SPEC date, or None (with a warning when it is there but not a date)."""
        text = _clean(text)
        value = _date(text) if text else None
        if text and (value is None or (value.startswith("--") and not yearless)):
            self.report(line, f"`{shorten(text)}` is not a date; the {what} was left out",
                        "write it as YYYY-MM-DD in the source, or add it by hand after the import",
                        "warning")
            return None
        return value


# --- small value helpers -------------------------------------------------------------

def _clean(text: object) -> str:
    """One line of text: trimmed, each run of white space as one space."""
    return " ".join(text.split()) if isinstance(text, str) else ""


def _split(cell: str) -> list[str]:
    """The values of a Google cell, which joins several with ` ::: `."""
    return [part for part in map(_clean, cell.split(":::")) if part]


def _unique(values: Iterable[str], key: Callable[[str], str]) -> tuple[str, ...]:
    """The values cleaned, each once by `key`, in their first order."""
    seen: set[str] = set()
    kept = []
    for value in map(_clean, values):
        if value and key(value) not in seen:
            seen.add(key(value))
            kept.append(value)
    return tuple(kept)


_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_DATE_FORMS = [
    re.compile(r"(?P<y>\d{4})-?(?P<m>\d\d)-?(?P<d>\d\d)(T[\d:.]*Z?)?"),  # 1988-04-12, 19880412
    re.compile(r"--(?P<m>\d\d)-?(?P<d>\d\d)"),  # --04-12, --0412: no year
    re.compile(r"(?P<d>\d{1,2}) (?P<mon>[A-Za-z]{3})[a-z]* (?P<y>\d{4})"),  # LinkedIn: 9 Jan 2025
]


def _date(text: str) -> str | None:
    """`YYYY-MM-DD`, or `--MM-DD` for a day without a year, if `text` is a real date."""
    for form in _DATE_FORMS:
        if match := form.fullmatch(text):
            parts = match.groupdict()
            mon = (parts.get("mon") or "").lower()
            month = _MONTHS.index(mon) + 1 if mon in _MONTHS else int(parts.get("m") or 0)
            year, day = parts.get("y"), int(parts["d"])
            try:
                dt.date(int(year or 2000), month, day)  # 2000: a leap year allows --02-29
            except ValueError:
                return None
            return f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    return None


_LINKEDIN_PROFILE = re.compile(r"https?://([\w-]+\.)?linkedin\.com/(in|pub)/", re.IGNORECASE)


def _label(label: str) -> str:
    """A link label as a slug: Apple's `_$!<HomePage>!$_` gives `homepage`."""
    label = re.sub(r"^_\$!<(.*)>!\$_$", r"\1", label.strip())
    return slugify(label)


def _links(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Web links only, a LinkedIn profile labelled `linkedin`; each URL once, labels unique."""
    kept: dict[str, str] = {}
    for label, url in pairs:
        url = url.strip()
        if not re.fullmatch(r"https?://\S+", url, re.IGNORECASE) or url_key(url) in map(url_key, kept.values()):
            continue
        base = "linkedin" if _LINKEDIN_PROFILE.match(url) else _label(label) or "website"
        unique, count = base, 1
        while unique in kept:
            count += 1
            unique = f"{base}-{count}"
        kept[unique] = url
    return tuple(kept.items())


def _person(ctx: _Context, line: int, name: str, *, emails: Iterable[str] = (), phones: Iterable[str] = (),
            company: str = "", role: str = "", location: str = "", links: Iterable[tuple[str, str]] = (),
            birthday: str | None = None, met_on: str | None = None, tags: Iterable[str] = (),
            notes: str = "") -> ImportedPerson | None:
    """A cleaned record, named after its company, email or phone when it has no name;
    None (and a warning) when it has none of them."""
    emails, phones = _unique(emails, email_key), _unique(phones, phone_key)
    company = _clean(company)
    name = _clean(name) or company or next(iter(emails + phones), "")
    if not name:
        ctx.report(line, "skipped a record with no name, company, email or phone",
                   "there is nothing to import from it; add a name in the source if it is a person",
                   "warning")
        return None
    notes = notes.replace("\r\n", "\n").replace("\r", "\n").strip() if isinstance(notes, str) else ""
    return ImportedPerson(name, line, emails, phones, company or None, _clean(role) or None,
                          _clean(location) or None, _links(links), birthday, met_on, _unique(tags, tag_slug),
                          notes or None)


# --- reading a file ------------------------------------------------------------------

def _decode(ctx: _Context, data: bytes) -> str | None:
    """The text of an export: UTF-8 (with or without BOM) or UTF-16 with BOM; else
    Windows-1252 or Latin-1, with a warning."""
    fallback = ""
    try:
        text = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        text, fallback = data.decode("latin-1"), "Latin-1"
        if all(byte not in data for byte in b"\x81\x8d\x8f\x90\x9d"):  # the bytes cp1252 lacks
            text, fallback = data.decode("cp1252"), "Windows-1252"
    if "\x00" in text:
        ctx.report(0, "this is not a text export (it contains NUL bytes)",
                   "export the contacts again as CSV or vCard and import that file")
    elif not text.strip():
        ctx.report(0, "the file is empty", "export the contacts again and import that file")
    else:
        if fallback:
            ctx.report(line, f"the file is not UTF-8; read it as {fallback}", "check accented names after "
                       "the import; if they look wrong, export the file again as UTF-8", "warning")
        return text
    return None


def _csv_rows(ctx: _Context, data: bytes, headers: Sequence[tuple[str, ...]],
              source: str) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows after the first row holding one of `headers` (any preamble before it is
    skipped), each with the line it starts on."""
    text = _decode(ctx, data)
    if text is None:
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    next_line = 1
    try:
        for cells in reader:
            line, next_line = next_line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                if any(set(wanted) <= {cell.strip() for cell in cells} for wanted in headers):
                    header = [cell.strip() for cell in cells]
                continue
            if _swallowed_rows(cells, len(header)):
                ctx.report(line, f"a quote opened on this row closes only on line {reader.line_num}: "
                                 "the rows between were read as one value, so this record was not imported",
                           'close the quote, or write a quote mark inside a value as two (`""`), then '
                           "import again; the other records were read")
                continue
            yield line, dict(zip(header, cells, strict=False))  # short rows are allowed
    except csv.Error as error:
        ctx.report(reader.line_num, f"the CSV is broken here ({error}); the rest was not read",
                   "open the file in a spreadsheet, save it again as CSV and import that file")
    if header is None:
        columns = " or ".join(", ".join(wanted) for wanted in headers)
        ctx.report(0, f"no header row with the columns {columns}: this is not a {source} export",
                   f"export the contacts again from {source}, or choose the format that matches the file")


def _swallowed_rows(cells: list[str], columns: int) -> bool:
    """Whether a value holds lines that look like rows of their own: an unbalanced quote made
    the CSV reader take the following rows as the rest of one value."""
    needed = max(columns - 1, 2)
    return any(line.count(",") >= needed for cell in cells if "\n" in cell for line in cell.splitlines()[1:])


def _read(data: bytes, path: str, records: Callable[[_Context, bytes], Iterable[tuple[int, Record]]],
          build: Callable[[_Context, int, Record], ImportedPerson | None]) -> Result:
    ctx = _Context(path)
    people: list[ImportedPerson] = []
    try:
        for line, record in records(ctx, data):
            try:
                person = build(ctx, line, record)
            except Exception as error:  # one odd record must not stop the others
                ctx.report(line, f"cannot read this record: {shorten(error, 80)}", _FIX)
                continue
            if person is not None:
                people.append(person)
    except Exception as error:  # an input nobody foresaw: keep what was read
        ctx.report(0, f"stopped reading the file: {shorten(error, 80)}",
                   "import the rest by hand, or report this file")
    return people, ctx.diagnostics


# --- LinkedIn and Google CSV ---------------------------------------------------------

def _linkedin(ctx: _Context, line: int, row: dict[str, str]) -> ImportedPerson | None:
    return _person(ctx, line, f"{row.get('First Name', '')} {row.get('Last Name', '')}",
                   emails=[row.get("Email Address", "")], company=row.get("Company", ""),
                   role=row.get("Position", ""), links=[("linkedin", row.get("URL", ""))],
                   met_on=ctx.date(line, row.get("Connected On", ""), "Connected On date", yearless=False))


def read_linkedin(data: bytes, path: str) -> Result:
    """LinkedIn's Connections.csv ("Get a copy of your data"), current or older."""
    headers = [("First Name", "Last Name", "Connected On")]
    return _read(data, path, lambda ctx, data: _csv_rows(ctx, data, headers, "LinkedIn"), _linkedin)


def _numbered(row: dict[str, str], kind: str) -> list[tuple[str, str]]:
    """(label, value) from the `<kind> N - Value` columns, starred (primary) labels first."""
    pairs = []
    for key, cell in row.items():
        if number := re.fullmatch(rf"{kind} (\d+) - Value", key):
            label = row.get(f"{kind} {number[1]} - Label") or row.get(f"{kind} {number[1]} - Type") or ""
            labels = _split(label) or [""]  # one label for each value, or one for all of them
            pairs += [(labels[min(i, len(labels) - 1)], value) for i, value in enumerate(_split(cell))]
    return sorted(pairs, key=lambda pair: not pair[0].startswith("*"))


def _google(ctx: _Context, line: int, row: dict[str, str]) -> ImportedPerson | None:
    def cell(*keys: str) -> str:  # the first value of the first column that has one
        return next((_split(row[key])[0] for key in keys if _split(row.get(key, ""))), "")

    name = cell("Name") or " ".join(cell(*keys) for keys in (
        ("First Name", "Given Name"), ("Middle Name", "Additional Name"), ("Last Name", "Family Name")))
    place = [cell(f"Address 1 - {part}") for part in ("City", "Region", "Country")]
    return _person(ctx, line, name,
                   emails=[value for _, value in _numbered(row, "E-mail")],
                   phones=[value for _, value in _numbered(row, "Phone")],
                   company=cell("Organization Name", "Organization 1 - Name"),
                   role=cell("Organization Title", "Organization 1 - Title"),
                   location=", ".join(_unique(place, name_key)) or cell("Location"),
                   links=[(label.lstrip("* "), url) for label, url in _numbered(row, "Website")],
                   birthday=ctx.date(line, cell("Birthday"), "birthday"),
                   tags=[tag for tag in _split(row.get("Labels") or row.get("Group Membership") or "")
                         if not tag.startswith("*")],
                   notes=row.get("Notes", ""))


def read_google(data: bytes, path: str) -> Result:
    """Google Contacts CSV, the current layout or the legacy ("Google CSV") one."""
    headers = [("First Name", "Last Name", "Labels"), ("Given Name", "Family Name", "Group Membership")]
    return _read(data, path, lambda ctx, data: _csv_rows(ctx, data, headers, "Google Contacts"), _google)


# --- vCard 2.1, 3.0, 4.0 -------------------------------------------------------------

_BINARY = re.compile(r"([\w-]+\.)?(PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)


def _vcards(ctx: _Context, data: bytes) -> Iterator[tuple[int, str]]:
    """Each BEGIN:VCARD..END:VCARD block with its first line. Binary properties are blanked
    (they are not imported and old phones write base64 vobject cannot read), and so is
    `ENCODING=8BIT`, which vobject takes for base64; blank lines keep line numbers."""
    text = _decode(ctx, data)
    if text is None:
        return
    lines = re.split(r"\r\n|\r|\n", text)
    start, found, binary = 0, False, False
    for number, content in enumerate(lines, 1):
        word = content.strip().upper()
        if word == "BEGIN:VCARD":
            if start:
                _truncated(ctx, start)
            start, found, binary = number, True, False
        elif word == "END:VCARD" and start:
            yield start, "\n".join(lines[start - 1: number])
            start = 0
        elif start:  # base64 goes on over folded lines, or (in 2.1) bare lines up to a blank one
            binary = bool(_BINARY.match(content)) or (binary and (
                content[:1] in (" ", "\t") or bool(re.fullmatch(r"[A-Za-z0-9+/=]+", content))))
            lines[number - 1] = "" if binary else re.sub(r";ENCODING=[78]BIT(?=[;:])", "", content, flags=re.I)
    if start:
        _truncated(ctx, start)
    if not found:
        ctx.report(0, "no vCard in this file (no `BEGIN:VCARD` line)",
                   "export the contacts again as vCard (.vcf) and import that file")


def _truncated(ctx: _Context, line: int) -> None:
    ctx.report(line, "this vCard has no `END:VCARD`: it is cut off, so it was skipped",
               "export the contacts again, or add the missing lines and `END:VCARD` by hand")


def _rank(prop: Any) -> int:
    """vCard 4 `PREF=1..100` (1 first); `type=pref` (2.1, 3.0) counts as 1; others last."""
    pref = (prop.params.get("PREF") or [""])[0]
    types = [kind.lower() for value in prop.params.get("TYPE", []) for kind in value.split(",")]
    types += [kind.lower() for kind in prop.singletonparams]
    return int(pref) if pref.isdigit() else 1 if "pref" in types else 101


def _text(value: object) -> str:
    """A property value as one line (vobject gives lists for ORG and CATEGORIES)."""
    return " ".join(map(_text, value)) if isinstance(value, list) else _clean(value)


def _vcard(ctx: _Context, line: int, chunk: str) -> ImportedPerson | None:
    try:
        card = vobject.readOne(chunk, allowQP=True)
    except vobject.base.VObjectError as error:
        at = line + getattr(error, "lineNumber", 1) - 1
        ctx.report(at, f"cannot read this vCard: {shorten(error.msg, 80)}", _FIX)
        return None

    def props(name: str) -> list[Any]:  # preferred first
        return sorted(card.contents.get(name, []), key=_rank)

    def first(name: str) -> Any:
        return next((prop.value for prop in props(name)), "")

    labels = {prop.group: _text(prop.value) for prop in props("x-ablabel") if prop.group}
    n = first("n")
    name = _text(first("fn")) or " ".join(_text(getattr(n, part, "")) for part in ("given", "additional", "family"))
    org, adr = first("org"), first("adr")
    birthday = ctx.date(line, _text(first("bday")), "birthday")
    omit = next((prop.params.get("X-APPLE-OMIT-YEAR", [""])[0] for prop in props("bday")), "")
    if birthday and omit and birthday.startswith(f"{omit}-"):  # Apple's no-year birthday: 1604-04-12
        birthday = "--" + birthday[5:]
    categories = first("categories")
    person = _person(
        ctx, line, name,
        emails=[re.sub(r"(?i)^mailto:", "", _text(prop.value)) for prop in props("email")],
        phones=[re.sub(r"(?i)^tel:", "", _text(prop.value)) for prop in props("tel")],
        company=_text(org[0] if isinstance(org, list) and org else org),
        role=_text(first("title")) or _text(first("role")),
        location=", ".join(_unique((_text(getattr(adr, part, "")) for part in ("city", "region", "country")), name_key)),
        links=[(labels.get(prop.group, ""), _text(prop.value)) for prop in props("url")]
        + [((prop.params.get("TYPE") or [""])[0], _text(prop.value)) for prop in props("x-socialprofile")],
        birthday=birthday, tags=categories if isinstance(categories, list) else categories.split(","),
        notes="\n".join(prop.value for prop in props("note") if isinstance(prop.value, str)))
    if person and not _clean(name):
        ctx.report(line, f"this vCard has no name (FN or N); it was named `{shorten(person.name)}`",
                   "rename the contact after the import if that is not how you call them", "warning")
    return person


def read_vcard(data: bytes, path: str) -> Result:
    """A .vcf file of one or many vCards 2.1 (old Android), 3.0 (Apple) or 4.0."""
    return _read(data, path, _vcards, _vcard)


READERS: dict[str, Callable[[bytes, str], Result]] = {
    "linkedin": read_linkedin, "google": read_google, "vcard": read_vcard,
}
