"""`handbook import` on the real-world samples: create, merge by insertion, dry run, re-run."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .conftest import HandbookDir, run_cli

SAMPLES = Path(__file__).parent / "samples"
ANA = """\
# yaml-language-server: $schema=../schemas/contact.schema.json
name: Ana Souza   # from the meetup
company: Lumen Labs

emails: [ana@lumenlabs.example]
notes: |
  Mine: do not touch.
"""


@pytest.fixture
def handbook(site: HandbookDir) -> HandbookDir:
    site.contact("ana-souza", ANA)
    return site


def _vcf(folder: Path, *cards: list[str]) -> Path:
    """A vCard 3.0 file of `cards`, each given by its property lines."""
    path = folder / "in.vcf"
    path.write_text("".join("BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(f"{line}\r\n" for line in card)
                            + "END:VCARD\r\n" for card in cards), encoding="utf-8")
    return path


def _files(site: HandbookDir) -> dict[str, bytes]:
    return {p.relative_to(site.root).as_posix(): p.read_bytes()
            for p in (site.root / "handbook").rglob("*") if p.is_file()}


def test_linkedin_import_creates_people_and_only_adds_to_an_existing_one(handbook: HandbookDir) -> None:
    result = run_cli("import", "linkedin", str(SAMPLES / "linkedin-Connections.csv"), cwd=handbook.root)
    assert result.returncode == 0, result.stderr
    assert "7 created, 1 updated, 0 skipped" in result.stderr
    assert "updated handbook/contacts/ana-souza.yml: added role, link linkedin, met" in result.stdout
    assert (handbook.root / "handbook/contacts/ana-souza.yml").read_text() == ANA + (
        "role: Head of Platform\n"
        "links:\n  linkedin: https://www.linkedin.com/in/ana-souza-dev\n"
        "met:\n  how: LinkedIn connection since 2026-03-03\n")
    assert (handbook.root / "handbook/contacts/sarah-looper-dipwset.yml").read_text() == (
        "# yaml-language-server: $schema=../schemas/contact.schema.json\n"
        "name: Sarah Looper, DipWSET\n"
        "company: Loopersomm LLC\n"
        "role: CEO\n"
        "links:\n  linkedin: https://www.linkedin.com/in/sarah-looper\n"
        "met:\n  how: LinkedIn connection since 2026-04-21\n")
    assert 'name: "Rohan Mehta \\"RM\\""' in (handbook.root / "handbook/contacts/rohan-mehta-rm.yml").read_text()
    assert run_cli("check", cwd=handbook.root).returncode == 0
    # Imported people do not flood the dashboard with follow-ups.
    assert run_cli("due", "--today", "2026-11-23", cwd=handbook.root).stdout == "Nothing due on 2026-11-23.\n"

    again = run_cli("import", "linkedin", str(SAMPLES / "linkedin-Connections.csv"), cwd=handbook.root)
    assert "0 created, 0 updated, 8 skipped" in again.stderr
    assert "skipped Ana Souza: handbook/contacts/ana-souza.yml already has everything" in again.stdout


def test_dry_run_writes_nothing(handbook: HandbookDir) -> None:
    before = _files(handbook)
    result = run_cli("import", "google", str(SAMPLES / "google-contacts.csv"), "--dry-run", cwd=handbook.root)
    assert result.returncode == 0, result.stderr
    assert "(dry run: nothing was written)" in result.stderr
    assert "would be updated handbook/contacts/ana-souza.yml: added email ana.souza@example.com" in result.stdout
    assert "would be created" in result.stdout
    assert _files(handbook) == before


@pytest.mark.parametrize(
    ("source", "sample", "expected"),
    [
        ("linkedin", "linkedin-Connections-bom.csv", "8 created"),
        ("linkedin", "linkedin-Connections-older.csv", "created"),
        ("google", "google-contacts.csv", "updated handbook/contacts/ana-souza.yml: added email ana.souza@example.com, "
                                          "phone +1 512 555 0100, role, location, birthday, link linkedin, tag Networking"),
        ("google", "google-contacts-legacy.csv", "created"),
        ("vcard", "apple-contacts.vcf", "created"),
        ("vcard", "android-2.1.vcf", "created"),
        ("vcard", "vcard-4.0.vcf", "created"),
    ],
)
def test_every_sample_imports_into_a_valid_handbook(site: HandbookDir, source: str, sample: str, expected: str) -> None:
    if source == "google":
        site.contact("ana-souza", ANA)
    result = run_cli("import", source, str(SAMPLES / sample), cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout + result.stderr
    check = run_cli("check", cwd=site.root)
    assert check.returncode == 0, check.stdout
    assert "0 errors, 0 warnings" in check.stderr


def test_quoted_printable_and_accents_from_an_old_phone(site: HandbookDir) -> None:
    assert run_cli("import", "vcard", str(SAMPLES / "android-2.1.vcf"), cwd=site.root).returncode == 0
    names = {p.read_text().splitlines()[1] for p in (site.root / "handbook" / "contacts").glob("*.yml")}
    assert any("ü" in name or "é" in name or "ö" in name for name in names), names


def test_a_broken_export_is_reported_and_the_rest_imported(site: HandbookDir, tmp_path: Path) -> None:
    broken = tmp_path / "broken.vcf"
    broken.write_bytes((SAMPLES / "vcard-4.0.vcf").read_bytes() + b"BEGIN:VCARD\nVERSION:3.0\nFN:Cut Off\n")
    result = run_cli("import", "vcard", str(broken), cwd=site.root)
    assert result.returncode == 1
    assert "error" in result.stderr and "Traceback" not in result.stderr
    assert "created" in result.stdout


def test_a_contact_with_errors_is_not_imported_twice(site: HandbookDir) -> None:
    broken = site.contact("ana-souza", "name: Ana Souza\nstage: sleeping\n")
    result = run_cli("import", "linkedin", str(SAMPLES / "linkedin-Connections.csv"), cwd=site.root)
    assert "skipped Ana Souza: handbook/contacts/ana-souza.yml has errors; fix it and import again" in result.stdout
    assert not (site.root / "handbook" / "contacts" / "ana-souza-2.yml").exists()
    assert broken.read_text() == "name: Ana Souza\nstage: sleeping\n"


def test_keys_left_empty_are_filled_by_an_import(site: HandbookDir, tmp_path: Path) -> None:
    path = site.contact("null-co", "name: Null Co\ncompany:   # ask\nlinks:\nemails: [nc@example.org]\n")
    card = _vcf(tmp_path, ["FN:Null Co", "ORG:Real Co", "TEL:+1 555 1234", "EMAIL:nc@example.org",
                           "URL:https://example.org"])
    result = run_cli("import", "vcard", str(card), cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert path.read_text() == ("name: Null Co\ncompany: Real Co   # ask\nlinks:\n  website: https://example.org\n"
                                "emails: [nc@example.org]\nphones:\n  - \"+1 555 1234\"\n")


def test_an_import_adds_no_tag_the_contact_has_under_another_spelling(site: HandbookDir, tmp_path: Path) -> None:
    """Tags are one tag when the tag pages put them on one page (`Job hunting`, `job-hunting`)."""
    path = site.contact("ana-souza", "name: Ana Souza\nemails: [ana@lumen.example]\ntags: [job-hunting]\n")
    card = _vcf(tmp_path, ["FN:Ana Souza", "EMAIL:Ana@Lumen.example", "CATEGORIES:Job hunting,JOB-HUNTING"])
    result = run_cli("import", "vcard", str(card), cwd=site.root)
    assert "skipped Ana Souza: handbook/contacts/ana-souza.yml already has everything" in result.stdout
    assert path.read_text() == "name: Ana Souza\nemails: [ana@lumen.example]\ntags: [job-hunting]\n"


def test_a_namesake_with_other_emails_is_not_merged(site: HandbookDir, tmp_path: Path) -> None:
    """Same name, no email or link in common, both with emails: perhaps two people. Not merged;
    the same name with no email of its own still adds what the file lacks."""
    path = site.contact("ana-souza", "name: Ana Souza\nemails: [ana@lumen.example]\n")
    other = _vcf(tmp_path, ["FN:Ana Souza", "EMAIL:ana.souza@elsewhere.example"])
    result = run_cli("import", "vcard", str(other), cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert "skipped Ana Souza: has the name of ana-souza but none of its emails or links" in result.stdout
    assert path.read_text() == "name: Ana Souza\nemails: [ana@lumen.example]\n"
    same = _vcf(tmp_path, ["FN:Ana Souza", "TEL:+351 912 000 000"])
    assert run_cli("import", "vcard", str(same), cwd=site.root).returncode == 0
    assert path.read_text().endswith('phones:\n  - "+351 912 000 000"\n')


NAMESAKES = [[f"FN:{name}", line] for name, line in [
    ("Zoë Müller", "EMAIL:zoe@a.example"),  # zoe-muller.yml is someone else: zoe-muller-2
    ("Zoe Müller", "EMAIL:zoe@b.example"),  # another name with that slug: zoe-muller-3
    ("Zoë Müller", "TEL:+41 44 000 00 00"),  # the first one again, by name: an update
    ("Kenji Sato", "EMAIL:kenji@a.example"),
    ("Kenji Sato", "EMAIL:kenji@b.example"),  # the same name, another email: maybe someone else, skipped
    ("Ana Souza", "EMAIL:ana@new.example"),  # already in the handbook
    ("Sam Lee", "EMAIL:sam@a.example"),  # two files already have this name: skipped
]]


def _real_wording(text: str) -> str:
    """A dry run's report in the words of the real run."""
    return re.sub(r"(?m)^would be ", "", text).replace(" (dry run: nothing was written)", "")


@pytest.mark.parametrize("source, sample", [
    ("linkedin", "linkedin-Connections.csv"), ("linkedin", "linkedin-Connections-older.csv"),
    ("google", "google-contacts.csv"), ("google", "google-contacts-legacy.csv"),
    ("vcard", "apple-contacts.vcf"), ("vcard", "android-2.1.vcf"), ("vcard", "vcard-4.0.vcf"),
    ("vcard", "namesakes"),
])
def test_a_dry_run_reports_what_the_run_does_and_writes_nothing(handbook: HandbookDir, tmp_path: Path,
                                                                 source: str, sample: str) -> None:
    handbook.contact("zoe-muller", "name: Zoe Muller\n")
    handbook.contact("sam-lee", "name: Sam Lee\n")
    handbook.contact("sam-lee-2", "name: Sam Lee\n")
    file = SAMPLES / sample
    if sample == "namesakes":
        file = _vcf(tmp_path, *NAMESAKES)
    before = _files(handbook)
    dry = run_cli("import", source, str(file), "--dry-run", cwd=handbook.root)
    assert _files(handbook) == before
    real = run_cli("import", source, str(file), cwd=handbook.root)
    assert real.returncode == dry.returncode
    assert "(dry run: nothing was written)" in dry.stderr and "would be created" in dry.stdout
    assert _real_wording(dry.stdout) == real.stdout
    assert _real_wording(dry.stderr) == real.stderr
    assert _files(handbook) != before


def test_a_dry_run_refuses_what_the_run_refuses(handbook: HandbookDir) -> None:
    """A read-only file is skipped by both, not promised as an update by the dry run."""
    ana = handbook.root / "handbook" / "contacts" / "ana-souza.yml"
    ana.chmod(0o444)
    sample = str(SAMPLES / "google-contacts.csv")
    dry = run_cli("import", "google", sample, "--dry-run", cwd=handbook.root)
    real = run_cli("import", "google", sample, cwd=handbook.root)
    assert "skipped Ana Souza: handbook/contacts/ana-souza.yml is read-only; nothing was written" in real.stdout
    assert _real_wording(dry.stdout) == real.stdout


def test_a_full_disk_fails_the_import(site: HandbookDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes the system refuses are failures (exit 1, on standard error), not skipped people."""
    import errno

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # tests/test_full_disk.py fills a real (tmpfs) disk
    card = _vcf(tmp_path, ["FN:Ana Souza", "EMAIL:ana@example.org"], ["FN:Bo Li"])
    result = run_cli("import", "vcard", str(card), cwd=site.root)
    assert result.returncode == 1
    assert re.search(r"failed Ana Souza: cannot write handbook/\S+: No space left on device", result.stderr)
    assert "0 created, 0 updated, 0 skipped, 2 failed" in result.stderr
    assert not list((site.root / "handbook" / "contacts").iterdir())


def test_a_name_too_long_for_a_file_name_is_imported_under_a_short_one(site: HandbookDir, tmp_path: Path) -> None:
    """A 300-character name once gave a traceback after part of the import was written (issue 12 item 12)."""
    long_name = "Maria " * 50 + "Souza"
    card = _vcf(tmp_path, [f"FN:{long_name}"], ["FN:Bo Li"])
    result = run_cli("import", "vcard", str(card), cwd=site.root)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    names = sorted(p.name for p in (site.root / "handbook" / "contacts").iterdir())
    assert len(names) == 2 and all(len(name) <= 100 for name in names), names
    assert run_cli("check", cwd=site.root).returncode == 0
