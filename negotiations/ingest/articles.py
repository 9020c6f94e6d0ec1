"""Main text and metadata of an article page, with trafilatura; plain text out."""

import dataclasses
import datetime
import re
import unicodedata

import lxml.html
import trafilatura
from django.utils.dateparse import parse_date, parse_datetime

from .text import html_to_text, one_line, strip_markup

# trafilatura's default pass sometimes cuts part of the body; when its recall pass finds
# this much more text, the longer text is the article (measured on ../shared/data/web-pages).
RECALL_GAIN = 1.2


class ArticleParseError(Exception):
    """A page with no main text we can extract; the message says why."""


@dataclasses.dataclass(frozen=True)
class ArticleContent:
    text: str
    title: str = ""
    author: str = ""
    outlet: str = ""
    published_at: datetime.datetime | None = None
    canonical_url: str = ""  # what the page declares (rel=canonical), absolute, or ""


def _published(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value[:10])
        if day is None:
            return None
        moment = datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def declared_canonical(html: bytes | str) -> str:
    """The page's <link rel="canonical" href>, as written (may be relative), or ""."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for href in tree.xpath('//head/link[@rel="canonical"]/@href'):
        if href.strip():
            return href.strip()
    return ""


def _normalise(text: str) -> str:
    # NFC, as trafilatura's own text output is: one spelling of each character to search.
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\x00", "")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def extract_article(html: bytes, *, url: str) -> ArticleContent:
    """Main text, title, author, outlet and publication time of an HTML page."""
    if not html or not html.strip():
        raise ArticleParseError("empty page")
    try:
        # Reader comments are not the article, and their "X said" would become candidates.
        document = trafilatura.bare_extraction(
            html, url=url or None, with_metadata=True, include_comments=False
        )
        fuller = trafilatura.bare_extraction(
            html, url=url or None, include_comments=False, favor_recall=True
        )
        text = (document.text if document else "") or ""
        if fuller is not None and len(fuller.text or "") >= RECALL_GAIN * max(len(text), 1):
            text = fuller.text
        canonical = declared_canonical(html)
    # trafilatura and lxml meet arbitrary bytes from the web; any crash is this page's error.
    except Exception as exc:  # noqa: BLE001
        raise ArticleParseError(f"page parser failed: {type(exc).__name__}: {exc}") from exc
    # Markup the page escaped (`&lt;script&gt;`) comes out of trafilatura as literal tags;
    # stored, it would reach whatever renders the text as HTML.
    text = strip_markup(text)
    if not text.strip():
        raise ArticleParseError("no main text found on the page")
    return ArticleContent(
        text=_normalise(text),
        title=one_line(document.title or "", max_length=1000),
        author=one_line(document.author or "", max_length=500),
        outlet=one_line(document.sitename or document.hostname or "", max_length=200),
        published_at=_published(document.date),
        canonical_url=canonical,
    )


def plain_text_article(data: bytes) -> ArticleContent:
    """A plain-text file as an article: the whole text; a short first line is its title."""
    text = _normalise(html_to_text_if_needed(data.decode("utf-8", errors="replace")))
    if not text:
        raise ArticleParseError("empty text file")
    first = text.split("\n", 1)[0]
    return ArticleContent(text=text, title=first[:200] if len(first) <= 200 else "")


def html_to_text_if_needed(text: str) -> str:
    """Plain text stays as it is; only a file that is really markup is stripped."""
    if re.search(r"<(?:p|div|br|script|html|body)\b", text, re.IGNORECASE):
        return html_to_text(text)
    return text
