"""Turning markup from feeds and pages into the plain text we store."""

import html
import re

import nh3

_TAG_LIKE = re.compile(r"<[A-Za-z!/?][^<>]*>?")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6]|tr|blockquote|pre)\s*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def html_to_text(markup: str, *, max_length: int | None = None) -> str:
    """Plain text from an HTML fragment: no element survives, nor script content.

    Feeds escape markup inside markup, so one pass can reveal a new layer of tags
    (`&lt;script&gt;` becomes `<script>`); we strip until nothing tag-like is left.
    """
    text = _BLOCK_END.sub("\\g<0>\n", markup or "")
    for _ in range(4):
        # nh3 removes every tag (an empty allow-list) and drops script and style bodies.
        text = html.unescape(nh3.clean(text, tags=set()))
        if not _TAG_LIKE.search(text):
            break
    else:
        text = _TAG_LIKE.sub("", text)
    text = _CONTROL.sub("", text)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines())
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if max_length is not None:
        text = text[:max_length]
    return text


def one_line(markup: str, *, max_length: int) -> str:
    """A title or a name: plain text on one line, cut to the column's length."""
    return " ".join(html_to_text(markup).split())[:max_length]
