"""Importers read real export formats into exact records and turn bad input into diagnostics."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
import yaml

from networking_handbook.core.diagnostics import Diagnostic
from networking_handbook.exchange.readers import READERS, ImportedPerson, read_google, read_linkedin, read_vcard

SAMPLES = Path(__file__).parent / "samples"


def read(reader: str, name: str) -> dict[str, ImportedPerson]:
    """The people of a sample by name; a sample must read without any diagnostic."""
    people, diagnostics = READERS[reader]((SAMPLES / name).read_bytes(), name)
    assert diagnostics == []
    by_name = {person.name: person for person in people}
    assert len(by_name) == len(people)
    return by_name


def problems(diagnostics: list[Diagnostic]) -> list[tuple[int, str, str]]:
    return [(d.line, d.severity, d.message) for d in diagnostics]


# --- LinkedIn ------------------------------------------------------------------------

LINKEDIN_NAMES = [
    "Anita Desai", 'Rohan Mehta "RM"', "Sarah Looper, DipWSET", "José Álvarez Núñez", "Mei Chen",
    "Ana Souza", "Le Morette - Az. Agr. Valerio Zenato", "Tom O'Neill",
]


@pytest.mark.parametrize("name", ["linkedin-Connections.csv", "linkedin-Connections-bom.csv"])
def test_linkedin_connections_after_the_notes_preamble(name: str) -> None:
    people = read("linkedin", name)
    assert list(people) == LINKEDIN_NAMES
    assert people["Anita Desai"] == ImportedPerson(
        name="Anita Desai", line=5, company="Razorpay", role="Talent Partner, Product",
        links=(("linkedin", "https://www.linkedin.com/in/anita-desai-0a1b2c"),), met_on="2026-09-01")
    assert people['Rohan Mehta "RM"'] == ImportedPerson(
        name='Rohan Mehta "RM"', line=6, emails=("rohan.mehta@example.com",), company="Postman",
        role="Recruiter", links=(("linkedin", "https://www.linkedin.com/in/rohanmehta"),), met_on="2026-09-02")
    assert people["José Álvarez Núñez"] == ImportedPerson(
        name="José Álvarez Núñez", line=8, emails=("jose@example.es",), company="Fundación Cívica",
        role="Director de Programas", links=(("linkedin", "https://www.linkedin.com/in/jose-alvarez-nunez"),),
        met_on="2025-01-09")
    assert people["Sarah Looper, DipWSET"].met_on == "2026-04-21"
    assert people["Mei Chen"] == ImportedPerson(
        name="Mei Chen", line=9, links=(("linkedin", "https://www.linkedin.com/in/meichen"),), met_on="2019-03-15")
    assert people["Le Morette - Az. Agr. Valerio Zenato"] == ImportedPerson(
        name="Le Morette - Az. Agr. Valerio Zenato", line=11,
        links=(("linkedin", "https://www.linkedin.com/in/le-morette"),), met_on="2024-06-30")
    assert people["Tom O'Neill"] == ImportedPerson(
        name="Tom O'Neill", line=12, company="Smith, Jones & Co.", role="VP, Sales & Partnerships",
        links=(("linkedin", "https://www.linkedin.com/in/tom-oneill"),), met_on="2023-12-12")


def test_older_linkedin_export_without_url_column() -> None:
    assert list(read("linkedin", "linkedin-Connections-older.csv").values()) == [
        ImportedPerson(name="John Park", line=2, emails=("john.park@example.com",), company="Acme Corp",
                       role="Software Engineer", met_on="2023-10-15"),
        ImportedPerson(name="Alice Johnson", line=3, company="Globex", role="Senior Developer", met_on="2021-05-20"),
    ]


def test_linkedin_bad_connected_on_is_a_warning_and_the_row_is_kept() -> None:
    data = b"First Name,Last Name,Connected On\nAna,Souza,31 Feb 2026\nBen,Okafor,2026-13-01\nCy,Lee,5 sept 2024\n"
    people, diagnostics = read_linkedin(data, "c.csv")
    assert [(p.name, p.met_on) for p in people] == [("Ana Souza", None), ("Ben Okafor", None), ("Cy Lee", "2024-09-05")]
    assert problems(diagnostics) == [
        (2, "warning", "`31 Feb 2026` is not a date; the Connected On date was left out"),
        (3, "warning", "`2026-13-01` is not a date; the Connected On date was left out"),
    ]


# --- Google --------------------------------------------------------------------------

def test_google_current_layout() -> None:
    people = read("google", "google-contacts.csv")
    assert list(people.values()) == [
        ImportedPerson(
            name="Ana Souza", line=2, emails=("ana@lumenlabs.example", "ana.souza@example.com"),
            phones=("+1 512 555 0100",), company="Lumen Labs", role="Head of Platform", location="Austin, TX, US",
            links=(("linkedin", "https://www.linkedin.com/in/ana-souza-dev"),), birthday="1988-04-12",
            tags=("Networking",), notes="Met at the Austin Python meetup.\nLikes trail running."),
        ImportedPerson(
            name="Kwame Mensah", line=6, emails=("kwame@example.org",), phones=("+233 20 123 4567", "+233 30 765 4321"),
            company="Accra Health Data", role="Founder", links=(("blog", "https://kwame.example.org"),),
            birthday="--06-15", tags=("Mentors", "Friends")),
        ImportedPerson(name="Lena Fischer", line=7, emails=("lena@example.de", "lena.fischer@example.com"),
                       phones=("0170 1234567",)),
    ]


def test_google_legacy_layout() -> None:
    people = read("google", "google-contacts-legacy.csv")
    assert list(people.values()) == [
        ImportedPerson(
            name="Priya Raman", line=2, emails=("priya@example.in",), phones=("+91 98765 43210",), company="Stackwise",
            role="Staff Engineer", links=(("home-page", "https://priya.example.in"),), birthday="1990-11-02",
            tags=("Guild",), notes="Runs the data engineering guild"),
        ImportedPerson(name="Marco Rossi", line=3, emails=("marco@example.it", "m.rossi@example.com"),
                       phones=("+39 02 1234 5678",), company="Officina Rossi", role="CTO"),
    ]


GOOGLE_HEADER = ("First Name,Last Name,Organization Name,Labels,Birthday,E-mail 1 - Label,E-mail 1 - Value,"
                 "E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Value,Website 1 - Label,Website 1 - Value\n")


def test_google_primary_email_first_duplicates_dropped_and_name_fallbacks() -> None:
    rows = (
        "Zoë,,,* starred ::: Book Club ::: book club,--02-29,Home,z@home.example,"
        "* Work,Z@Work.example ::: z@home.example,+351 912 345 678 ::: +351912345678,Portfolio,javascript:alert(1)\n"
        ",,Acme,,,,,,,,Site ::: Site,https://acme.example ::: https://acme.example/b\n"
        ",,,,,,only@mail.example,,,,,\n"
        ",,,* myContacts,2026-02-30,,,,,,,\n"
    )
    people, diagnostics = read_google((GOOGLE_HEADER + rows).encode(), "g.csv")
    assert people == [
        ImportedPerson(name="Zoë", line=2, emails=("Z@Work.example", "z@home.example"),
                       phones=("+351 912 345 678",), birthday="--02-29", tags=("Book Club",)),
        ImportedPerson(name="Acme", line=3, company="Acme",
                       links=(("site", "https://acme.example"), ("site-2", "https://acme.example/b"))),
        ImportedPerson(name="only@mail.example", line=4, emails=("only@mail.example",)),
    ]
    assert problems(diagnostics) == [
        (5, "warning", "`2026-02-30` is not a date; the birthday was left out"),
        (5, "warning", "skipped a record with no name, company, email or phone"),
    ]


# --- vCard ---------------------------------------------------------------------------

def test_apple_vcard_groups_labels_folding_and_photo() -> None:
    people = read("vcard", "apple-contacts.vcf")
    assert list(people.values()) == [
        ImportedPerson(
            name="Ana Souza", line=1, emails=("ana@lumenlabs.example", "ana.souza@example.com"),
            phones=("+1 512 555 0100",), company="Lumen Labs", role="Head of Platform",
            location="Austin, TX, United States",
            links=(("homepage", "https://ana.example.com"), ("linkedin", "https://www.linkedin.com/in/ana-souza-dev")),
            birthday="1988-04-12", tags=("Networking", "Austin"),
            notes="Met at the Austin Python meetup, March. Interested in platform hiring\n"
                  "and SRE practices. Offered to review our on-call guide."),
        ImportedPerson(name="Dr. Jörg O'Brien", line=24, emails=("jorg@example.ie",), phones=("+353 87 123 4567",),
                       company="Smith, Jones & Co."),
    ]


def test_android_vcard_2_1_quoted_printable() -> None:
    people = read("vcard", "android-2.1.vcf")
    assert list(people.values()) == [
        ImportedPerson(name="Jürgen Müller", line=1, emails=("juergen@example.de",),
                       phones=("+49 170 1234567", "030 1234567"), company="Beispiel GmbH",
                       notes="Kennengelernt auf der Konferenz in München.\nSucht Kontakte zu Investoren."),
        ImportedPerson(name="Ben Okafor", line=12, emails=("ben@example.co.uk",), phones=("+44 7700 900123",)),
    ]


def test_vcard_4_0() -> None:
    assert list(read("vcard", "vcard-4.0.vcf").values()) == [
        ImportedPerson(
            name="Kwame Mensah", line=1, emails=("kwame@example.org",), phones=("+233-20-123-4567",),
            company="Accra Health Data", role="Founder", links=(("website", "https://kwame.example.org"),),
            birthday="--06-15", tags=("mentor", "health"),
            notes="Mentor since 2021. Happy to introduce founders to health data partners."),
    ]


def card(*lines: str) -> str:
    return "BEGIN:VCARD\r\n" + "".join(line + "\r\n" for line in lines) + "END:VCARD\r\n"


@pytest.mark.parametrize(("bday", "expected"), [
    ("19880412", "1988-04-12"), ("1988-04-12", "1988-04-12"), ("--0412", "--04-12"), ("--04-12", "--04-12"),
    ("1988-04-12T00:00:00Z", "1988-04-12"), (";X-APPLE-OMIT-YEAR=1604:1604-04-12", "--04-12"),
])
def test_vcard_birthday_forms(bday: str, expected: str) -> None:
    line = f"BDAY{bday}" if bday.startswith(";") else f"BDAY:{bday}"
    people, diagnostics = read_vcard(card("VERSION:3.0", "FN:Ana", line).encode(), "a.vcf")
    assert diagnostics == []
    assert [person.birthday for person in people] == [expected]


def test_vcard_n_parts_preference_labels_and_old_phone_quirks() -> None:
    text = card(
        "VERSION:3.0", "N:Souza;Ana;Maria;Dr.;", "EMAIL;TYPE=HOME:home@example.com",
        "EMAIL;TYPE=WORK,PREF:work@example.com", "EMAIL:WORK@example.com",
        "item3.URL:https://ana.example.com/talks", "item3.X-ABLabel:My Talks",
        "URL:ftp://old.example.com", "URL:https://blog.example.com",
        "ADR;TYPE=HOME:;;Rua 1;Lisboa;;1000-001;Portugal", "BDAY:2026-02-30",
    ) + card(
        "VERSION:2.1", "FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:J=F6rg", "NOTE;ENCODING=8BIT:hello",
        "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQ", "AAAAZZZ", "", "TEL;HOME:0123",
    )
    people, diagnostics = read_vcard(text.encode(), "a.vcf")
    assert people == [
        ImportedPerson(
            name="Ana Maria Souza", line=1, emails=("work@example.com", "home@example.com"),
            location="Lisboa, Portugal",
            links=(("my-talks", "https://ana.example.com/talks"), ("website", "https://blog.example.com"))),
        ImportedPerson(name="Jörg", line=14, phones=("0123",), notes="hello"),
    ]
    assert problems(diagnostics) == [(1, "warning", "`2026-02-30` is not a date; the birthday was left out")]


# --- bad input -----------------------------------------------------------------------

@pytest.mark.parametrize("reader", sorted(READERS))
def test_empty_file(reader: str) -> None:
    for data in (b"", b"\xef\xbb\xbf", b" \r\n\n"):
        assert READERS[reader](data, "empty") == ([], [Diagnostic(
            "empty", 0, 0, "the file is empty", "error", "export the contacts again and import that file")])


@pytest.mark.parametrize("reader", sorted(READERS))
def test_garbage_bytes_never_raise(reader: str) -> None:
    for data in (bytes(range(256)) * 4, os.urandom(2000), b"\xff\xfe\x00\xd8garbage", b"\x9d\x81" * 50):
        people, diagnostics = READERS[reader](data, "junk")
        assert people == []
        assert any(d.severity == "error" for d in diagnostics)


def test_nul_bytes_are_not_a_text_export() -> None:
    people, diagnostics = read_google(bytes(range(256)), "junk.csv")
    assert (people, problems(diagnostics)) == ([], [(0, "error", "this is not a text export (it contains NUL bytes)")])


def test_csv_without_the_header() -> None:
    people, diagnostics = read_linkedin(b"Anita,Desai,01 Sep 2026\nRohan,Mehta,02 Sep 2026\n", "c.csv")
    assert people == []
    assert problems(diagnostics) == [(0, "error", "no header row with the columns First Name, Last Name, "
                                      "Connected On: this is not a LinkedIn export")]
    assert diagnostics[0].hint


def test_a_linkedin_file_is_not_taken_for_a_google_one() -> None:
    people, diagnostics = read_google((SAMPLES / "linkedin-Connections.csv").read_bytes(), "c.csv")
    assert people == []
    assert [d.message.endswith("this is not a Google Contacts export") for d in diagnostics] == [True]


def test_windows_1252_csv_is_read_with_a_warning() -> None:
    data = "First Name,Last Name,Connected On\nJosé,Álvarez,9 Jan 2025\n".encode("cp1252")
    people, diagnostics = read_linkedin(data, "c.csv")
    assert [(p.name, p.met_on) for p in people] == [("José Álvarez", "2025-01-09")]
    assert problems(diagnostics) == [(2, "warning", "the file is not UTF-8; read it as Windows-1252")]


def test_utf16_vcard() -> None:
    people, diagnostics = read_vcard(card("VERSION:3.0", "FN:Zoë").encode("utf-16"), "z.vcf")
    assert ([p.name for p in people], diagnostics) == (["Zoë"], [])


def test_truncated_vcards_are_skipped_and_reading_goes_on() -> None:
    text = (card("VERSION:3.0", "FN:First") + "BEGIN:VCARD\nVERSION:3.0\nFN:Cut\n"
            + card("FN:Third") + "BEGIN:VCARD\nFN:Last")
    people, diagnostics = read_vcard(text.encode(), "t.vcf")
    assert [(p.name, p.line) for p in people] == [("First", 1), ("Third", 8)]
    assert problems(diagnostics) == [
        (5, "error", "this vCard has no `END:VCARD`: it is cut off, so it was skipped"),
        (11, "error", "this vCard has no `END:VCARD`: it is cut off, so it was skipped"),
    ]


def test_vcard_without_fn_or_n() -> None:
    text = card("VERSION:3.0", "EMAIL:x@example.com") + card("VERSION:3.0", "NOTE:nobody") + card("FN:Ana")
    people, diagnostics = read_vcard(text.encode(), "n.vcf")
    assert [(p.name, p.line) for p in people] == [("x@example.com", 1), ("Ana", 9)]
    assert problems(diagnostics) == [
        (1, "warning", "this vCard has no name (FN or N); it was named `x@example.com`"),
        (5, "warning", "skipped a record with no name, company, email or phone"),
    ]


def test_unreadable_vcard_lines_and_charsets_skip_only_that_card() -> None:
    text = (card("VERSION:3.0", "FN:Broken", "this line has no colon")
            + card("VERSION:2.1", "FN;CHARSET=NOPE;ENCODING=QUOTED-PRINTABLE:J=F6rg") + card("FN:Fine"))
    people, diagnostics = read_vcard(text.encode(), "b.vcf")
    assert [(p.name, p.line) for p in people] == [("Fine", 10)]
    assert problems(diagnostics) == [
        (4, "error", "cannot read this vCard: Failed to parse line: this line has no colon"),
        (6, "error", "cannot read this record: unknown encoding: NOPE"),
    ]


def test_a_file_without_vcards() -> None:
    people, diagnostics = read_vcard((SAMPLES / "google-contacts.csv").read_bytes(), "x.vcf")
    assert (people, problems(diagnostics)) == ([], [(0, "error", "no vCard in this file (no `BEGIN:VCARD` line)")])


# --- Every sample, as data -------------------------------------------------------------

EXPECTED = SAMPLES / "expected"


def _reader_of(sample: Path) -> str:
    return "vcard" if sample.suffix == ".vcf" else sample.name.split("-")[0]


def _as_data(people: list[ImportedPerson], diagnostics: list[Diagnostic]) -> str:
    records = [{key: list(map(list, value)) if key == "links" else list(value) if isinstance(value, tuple) else value
                for key, value in dataclasses.asdict(person).items() if value not in (None, ())}
               for person in people]
    problems_found = [d.format() for d in diagnostics]
    return yaml.safe_dump({"records": records, "diagnostics": problems_found}, allow_unicode=True, sort_keys=False,
                          width=120)


@pytest.mark.parametrize("sample", sorted(p for p in SAMPLES.iterdir() if p.suffix in (".csv", ".vcf")),
                         ids=lambda p: p.name)
def test_each_sample_reads_as_its_expected_records(sample: Path) -> None:
    """Every field of every record, and every diagnostic, of each sample in tests/samples/;
    UPDATE_GOLDEN=1 rewrites tests/samples/expected/ for review. Adding a sample is adding a
    file (its expected records are written on the first UPDATE_GOLDEN run)."""
    actual = _as_data(*READERS[_reader_of(sample)](sample.read_bytes(), sample.name))
    golden = EXPECTED / f"{sample.name}.yml"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_an_unbalanced_quote_does_not_swallow_the_following_rows_into_one_person() -> None:
    header = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    swallowed = (header + b'Ana,"Souza,https://x.example/in/ana,,Acme,Eng,01 Jan 2026\n'
                 b"Bo,Li,https://x.example/in/bo,,Beta,PM,02 Jan 2026\n"
                 b'Cy,"Lee",https://x.example/in/cy,,Gamma,CTO,03 Jan 2026\n'
                 b"Di,Ng,https://x.example/in/di,,Delta,CEO,04 Jan 2026\n")
    people, diagnostics = read_linkedin(swallowed, "c.csv")
    assert [person.name for person in people] == ["Di Ng"]
    assert problems(diagnostics) == [(2, "error", "a quote opened on this row closes only on line 4: the rows "
                                                  "between were read as one value, so this record was not imported")]
    multi_line = header + b'Ana,Souza,https://x.example/in/ana,,Acme,"Eng,\nand more",01 Jan 2026\n'
    people, diagnostics = read_linkedin(multi_line, "c.csv")
    assert [(person.name, person.role) for person in people] == [("Ana Souza", "Eng, and more")] and not diagnostics
