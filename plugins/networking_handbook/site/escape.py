"""User text made inert for the pages: in Markdown, and in the attributes of our own HTML."""

from __future__ import annotations

# Characters with a meaning in Markdown, its extensions or HTML, as character references.
_MARKDOWN_SPECIALS = str.maketrans({
    char: f"&#{ord(char)};" for char in "\\`*_{}[]<>#|!~^=$:"
} | {"&": "&amp;", "\n": " ", "\r": " ", "\t": " "})
_ATTRIBUTE_SPECIALS = str.maketrans({'"': "&#34;", "'": "&#39;"})


def md_text(value: object) -> str:
    """Text that Markdown shows exactly as written, on one line."""
    return str(value).translate(_MARKDOWN_SPECIALS)


def html_text(value: object) -> str:
    """`md_text` that is also safe inside a quoted attribute of HTML we write (an SVG's `aria-label`)."""
    return md_text(value).translate(_ATTRIBUTE_SPECIALS)
