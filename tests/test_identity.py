"""Identity: slugs made from any script, and one answer to "is this the same tag, name, email...?"."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from networking_handbook.core.identity import (
    email_key,
    is_slug,
    name_key,
    phone_key,
    slugify,
    tag_slug,
    topic_key,
    url_key,
)

from .conftest import HandbookDir, run_cli

SLUGS = [
    # Letters that the old accent-stripping dropped are transliterated.
    ("Łukasz Żółć", "lukasz-zolc"),
    ("Straße", "strasse"),
    ("Иван Петров", "ivan-petrov"),
    ("王小明", "wangxiaoming"),
    ("山田 太郎", "shantian-tailang"),
    ("김민준", "gimminjun"),
    ("Ærøskøbing", "aeroskobing"),
    ("Đorđe Πάνος", "dorde-panos"),
    # What the old slugs already spelled stays as it was.
    ("Zoë Müller", "zoe-muller"),
    ("Zoe\u0308 Mu\u0308ller", "zoe-muller"),
    ("Sarah Looper, DipWSET", "sarah-looper-dipwset"),
    ("ﬁne ½", "fine-12"),
    ("🎉 party", "party"),
    ("C++ & Rust", "c-rust"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "slug"), SLUGS)
def test_slugify_transliterates_letters_and_keeps_old_spellings(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert slug == "" or is_slug(slug)


def _accent_stripping_slug(text: str) -> str:
    """The slug before transliteration: compatibility decomposition, non-ASCII dropped."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _drops_a_letter(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LM" and not _accent_stripping_slug(ch)
               for ch in unicodedata.normalize("NFC", text))


@given(st.text(max_size=20))
def test_a_slug_changes_only_where_letters_were_dropped(text: str) -> None:
    """Tag page URLs and suggested file names stay put unless they had lost letters."""
    if not _drops_a_letter(text):
        old = _accent_stripping_slug(text)
        assert slugify(text) == old
        assert tag_slug(text) == (old or "tag-" + "-".join(f"{ord(ch):x}" for ch in text)[:40])


def test_a_tag_is_its_slug() -> None:
    assert tag_slug("Job hunting") == tag_slug(" job-hunting") == tag_slug("JOB_HUNTING") == "job-hunting"
    assert tag_slug("日本") == "riben"
    assert tag_slug("🎉") == "tag-1f389"  # no letters: the code points, as before
    assert tag_slug("🎉") != tag_slug("🎊")


@pytest.mark.parametrize(("key", "same", "different"), [
    (name_key, ["Zoë  Müller", "zoe\u0308 müller ", "ZOË MÜLLER"], "Zoe Muller"),
    (topic_key, ["Hiring ", "hiring", "HIRING"], "hire"),
    (email_key, ["Ana@Lumen.example", " ana@lumen.example"], "ana@lumen.example.org"),
    (phone_key, ["+1 (512) 555-0100", "+15125550100"], "15125550100"),
    (url_key, ["http://www.LinkedIn.com/in/ana/?x=1", "https://linkedin.com/in/ana#top"], "https://linkedin.com/in/ana2"),
])
def test_keys_say_what_is_the_same(key, same: list[str], different: str) -> None:  # type: ignore[no-untyped-def]
    assert len({key(text) for text in same}) == 1
    assert key(different) != key(same[0])


@pytest.mark.parametrize(("name", "file"), [
    ("Łukasz Żółć", "lukasz-zolc.yml"),
    ("Иван Петров", "ivan-petrov.yml"),
    ("王小明", "wangxiaoming.yml"),
])
def test_add_names_the_file_after_every_letter(site: HandbookDir, name: str, file: str) -> None:
    result = run_cli("add", name, cwd=site.root, HANDBOOK_TODAY="2026-03-01")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"handbook/contacts/{file}\n"
