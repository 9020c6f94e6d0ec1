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


# HTML's elements (and SVG's and MathML's roots): in extracted text, a tag with one of these
# names is markup a page escaped; `<stdin>` or `<your name>` is text and stays.
HTML_ELEMENTS = frozenset(
    """a abbr address area article aside audio b base bdi bdo blockquote body br button
    canvas caption cite code col colgroup data datalist dd del details dfn dialog div dl dt
    em embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head
    header hr html i iframe img input ins kbd label legend li link main map mark math menu
    meta meter nav noscript object ol optgroup option output p param picture pre progress q
    rp rt ruby s samp script section select slot small source span strong style sub summary
    sup svg table tbody td template textarea tfoot th thead time title tr track u ul var
    video wbr xmp plaintext""".split()
)
_ELEMENT_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*>")
_HIDDEN_CONTENT = re.compile(
    r"<(script|style|template|noscript|iframe|xmp)\b[^<>]*>.*?(?:</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)


def strip_markup(text: str) -> str:
    """Extracted text without the HTML a page escaped into it (`&lt;script&gt;` that came
    out as `<script>`): scripts and styles go with their content, other tags alone."""

    def tag(match: re.Match) -> str:
        return "" if match.group(1).lower() in HTML_ELEMENTS else match.group(0)

    return _ELEMENT_TAG.sub(tag, _HIDDEN_CONTENT.sub("", text))


def one_line(markup: str, *, max_length: int) -> str:
    """A title or a name: plain text on one line, cut to the column's length."""
    return " ".join(html_to_text(markup).split())[:max_length]
