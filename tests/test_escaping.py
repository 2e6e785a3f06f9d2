"""User text can never become live HTML: hostile notes built into a real site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import HandbookDir, run_mkdocs
from .html_tools import Elements, article

HOSTILE_NOTES = """\
<script>alert('notes')</script>
<img src=x onerror=alert('img')>
<iframe src="https://evil.example"></iframe>
<a href="javascript:alert('raw-a')">raw link</a>

[inline](javascript:alert('inline'))
[spaced]( javascript:alert('spaced') )
[entity](&#106;avascript:alert('entity'))
![image](javascript:alert('image'))
<javascript:alert('autolink')>
[reference][evil]

[evil]: javascript:alert('reference')

A paragraph with attributes
{: onclick="alert('attr')" }

[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[vbscript](vbscript:msgbox('x'))
**bold stays bold** and [a real link](https://example.org/ok)
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = HandbookDir(tmp_path_factory.mktemp("hostile"))
    site.contact("eve", f"""
        name: "<script>alert('name')</script> Eve"
        company: "<img src=x onerror=alert('company')>"
        role: "[role](javascript:alert('role'))"
        location: "{{: onclick=alert('loc') }} | pipe | # hash"
        emails: ["*o'brien*_x_{{y}}|z~@example.org"]  # Markdown specials an address may hold (HTML's are refused)
        phones: ["javascript:alert('tel') +1 555", "<script>alert('phone')</script>"]
        birthday: --02-29
        links:
          website: "https://example.org/\\"><script>alert('url')</script>"
          other: "https://example.org/a(b)<c>"
        tags: ["<b>bold-tag</b>", "](javascript:alert('tag'))"]
        met:
          on: 2026-02-20
          how: "[met](javascript:alert('how')) <script>alert('how')</script>"
        interactions:
          - on: 2026-02-21
            kind: email
            note: "<script>alert('interaction')</script> *kept literal?*"
            gave: "`code` <img src=x onerror=alert('gave')>"
        promises:
          - by: me
            what: "a | b <script>alert('promise')</script>"
            on: 2026-02-21
        notes: |
{_indent(HOSTILE_NOTES, 10)}
    """)
    site.contact("title-breaker", """
        name: "</title><script>alert('title')</script>"
        tags: ["</title><script>alert('tag-title')</script>"]
    """)
    site.event("trap", """
        name: "[Trap](javascript:alert('event')) <svg onload=alert('svg')>"
        on: 2026-02-20
        url: "https://example.org/\\"onmouseover=\\"alert('eventurl')"
        goals: "<script>alert('goals')</script>"
        people: [eve]
        notes: "<script>alert('event-notes')</script>"
    """)
    result = run_mkdocs("build", "--strict", cwd=site.root, HANDBOOK_TODAY="2026-03-01")
    assert result.returncode == 0, result.stderr
    return site.root / "site"


def _indent(text: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line if line else "" for line in text.splitlines())


PAGES = ["people/eve", "people", "events/trap", "events", "dashboard", "tags"]


@pytest.mark.parametrize("page", PAGES)
def test_no_live_html_from_user_text(hostile_site: Path, page: str) -> None:
    content = article(hostile_site, page)
    for tag, attrs in content.tags:
        if tag == "svg":  # only our pictures (site/pictures.py), with no user-made attribute
            assert re.fullmatch(r"handbook-(mark|avatar|rhythm|strip) [a-z0-9 _-]*|handbook-(rhythm|strip)",
                                attrs.get("class") or ""), attrs
            assert set(attrs) == {"class", "viewbox", "width", "height", "role", "aria-label"}, attrs
        assert tag not in ("script", "img", "iframe", "object", "embed", "style", "foreignobject", "use",
                           "image", "animate", "set"), (tag, attrs)
        for name, value in attrs.items():
            assert not name.lower().startswith("on"), (tag, name, value)
            assert name not in ("style", "xlink:href"), (tag, name, value)
            if name in ("href", "src", "action", "formaction"):
                target = "".join((value or "").split()).lower()
                assert target.startswith(("http://", "https://", "mailto:", "#", "../", "./")) or (
                    re.fullmatch(r"tel:\+?[0-9]+", target)) or (
                    not target or ":" not in target.split("/")[0]), (tag, name, value)


def test_whole_pages_have_only_the_themes_scripts(hostile_site: Path) -> None:
    for path in hostile_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for script in re.findall(r"<script[^>]*>(.*?)</script>", html, re.S):
            assert "alert" not in script, path
        elements = Elements(html)
        for tag, attrs in elements.tags:
            if tag == "script" and "src" in attrs:
                source = attrs["src"] or ""
                assert "assets/" in source and "//" not in source, (path, attrs)  # the theme's, local
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
        assert "alert(" not in "".join(
            attrs.get("href", "") or "" for tag, attrs in elements.tags if tag == "a"), path


def test_hostile_text_is_shown_as_written(hostile_site: Path) -> None:
    text = article(hostile_site, "people/eve").text
    assert "<script>alert('name')</script> Eve" in text
    assert "<img src=x onerror=alert('company')>" in text
    assert "[role](javascript:alert('role'))" in text
    assert "{: onclick=alert('loc') } | pipe | # hash" in text
    assert "<script>alert('notes')</script>" in text
    assert "a | b <script>alert('promise')</script>" in text
    page = article(hostile_site, "people/eve")
    assert ("strong", {}) in page.tags  # Markdown formatting in notes still works
    assert "https://example.org/ok" in page.links()


def test_user_urls_are_encoded(hostile_site: Path) -> None:
    links = article(hostile_site, "people/eve").links()
    assert "https://example.org/%22%3E%3Cscript%3Ealert%28'url'%29%3C/script%3E" in links
    assert "https://example.org/a%28b%29%3Cc%3E" in links
    assert "mailto:%2Ao%27brien%2A_x_%7By%7D%7Cz~@example.org" in links
    assert "*o'brien*_x_{y}|z~@example.org" in article(hostile_site, "people/eve").text


def test_names_in_pictures_and_phones_stay_text(hostile_site: Path) -> None:
    page = article(hostile_site, "people/eve")
    labels = [attrs.get("aria-label") or "" for tag, attrs in page.tags if tag == "svg"]
    assert "<script>alert('name')</script> Eve" in labels  # the avatar, named as written
    assert any(label.startswith("The last 12 months with <script>alert('name')</script> Eve,") for label in labels)
    tels = [link for link in page.links() if link.startswith("tel:")]
    assert tels == ["tel:+1555", "tel:+1555"]  # its Call button and its Details line; the other phone has no digit
    assert "<script>alert('phone')</script>" in page.text
    assert "Birthday: 29 February" in page.text
