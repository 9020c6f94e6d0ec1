"""Parsing RSS, Atom, RDF and JSON feeds from untrusted bytes into plain-text entries."""

import calendar
import dataclasses
import datetime
import json
import re
from urllib.parse import urljoin, urlsplit
from xml.sax import SAXException
from xml.sax.handler import ContentHandler

import defusedxml.sax
import feedparser
from defusedxml import DefusedXmlException

from .text import html_to_text, one_line

ENTRY_ID_MAX = 1000
URL_MAX = 2000
# Real feeds nest a dozen elements deep, with markup inside an entry a few more. A feed
# nested hundreds of thousands deep costs the parsers seconds of CPU and hundreds of MB.
MAX_DEPTH = 100


class FeedParseError(Exception):
    """A document that is not a feed we can read; the message says why."""


@dataclasses.dataclass(frozen=True)
class FeedEntry:
    entry_id: str
    url: str
    title: str
    summary: str
    author: str
    published_at: datetime.datetime | None


@dataclasses.dataclass(frozen=True)
class ParsedFeed:
    title: str
    entries: list[FeedEntry]
    skipped: int  # entries without a usable http(s) link


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """Whether a fetched document is a feed rather than a page (for `ingest SOURCE`)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in {"application/rss+xml", "application/atom+xml", "application/feed+json"}:
        return True
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{"):
        return b"jsonfeed.org" in data[:4096]
    if b"<html" in head or head.startswith(b"<!doctype html"):
        return False
    return any(marker in head for marker in (b"<rss", b"<feed", b"<rdf:rdf", b"<channel"))


class _Depth(ContentHandler):
    def __init__(self):
        super().__init__()
        self.depth = 0

    def startElement(self, name, attrs):  # noqa: N802 - SAX's name
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FeedParseError(f"refused: elements nested more than {MAX_DEPTH} deep")

    def endElement(self, name):  # noqa: N802
        self.depth -= 1


def refuse_hostile_xml(data: bytes) -> None:
    """Refuse XML that declares entities (billion laughs), reaches outside the document, or
    nests absurdly deep, in one streaming pass that builds nothing.

    feedparser strips most DOCTYPE entities itself; this check makes the refusal explicit
    and independent of its internals. Ill-formed XML is left to feedparser's loose parser,
    after a rough count of its nesting.
    """
    try:
        defusedxml.sax.parseString(
            data, _Depth(), forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise FeedParseError(f"refused: the feed declares XML entities ({exc})") from exc
    except (SAXException, ValueError, UnicodeError, LookupError):
        if _rough_depth(data) > MAX_DEPTH:
            raise FeedParseError(f"refused: elements nested more than {MAX_DEPTH} deep") from None


_TAG = re.compile(rb"<(/?)[A-Za-z][^<>]*?(/?)>")


def _rough_depth(data: bytes) -> int:
    """The deepest nesting of tags, counted as if every tag were closed in order."""
    depth = deepest = 0
    for match in _TAG.finditer(data):
        if match.group(1):
            depth = max(depth - 1, 0)
        elif not match.group(2):
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _moment(parsed) -> datetime.datetime | None:
    if not parsed:
        return None
    try:
        return datetime.datetime.fromtimestamp(calendar.timegm(parsed), tz=datetime.UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _http_link(base: str, link: str) -> str:
    if not link or not isinstance(link, str):
        return ""
    try:
        url = urljoin(base, link.strip())
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > URL_MAX:
        return ""
    return url


def _json_feed(data: bytes, *, url: str) -> ParsedFeed:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise FeedParseError(f"not a JSON feed: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("items", []), list):
        raise FeedParseError("not a JSON feed: no list of items")
    entries, skipped = [], 0
    for item in doc.get("items", []):
        if not isinstance(item, dict):
            skipped += 1
            continue
        link = _http_link(url, item.get("url") or item.get("external_url") or "")
        if not link:
            skipped += 1
            continue
        published = None
        raw_date = item.get("date_published")
        if isinstance(raw_date, str):
            try:
                published = datetime.datetime.fromisoformat(raw_date)
            except ValueError:
                published = None
            if published is not None and published.tzinfo is None:
                published = published.replace(tzinfo=datetime.UTC)
        author = item.get("author") if isinstance(item.get("author"), dict) else {}
        summary = item.get("summary") or item.get("content_html") or item.get("content_text")
        entries.append(
            FeedEntry(
                entry_id=str(item.get("id") or link)[:ENTRY_ID_MAX],
                url=link,
                title=one_line(str(item.get("title") or ""), max_length=1000),
                summary=html_to_text(str(summary or ""), max_length=5000),
                author=one_line(str(author.get("name") or ""), max_length=500),
                published_at=published,
            )
        )
    return ParsedFeed(one_line(str(doc.get("title") or ""), max_length=200), entries, skipped)


def parse_feed(data: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    """Entries of a feed, as plain text with absolute http(s) links; FeedParseError if none.

    `url` is where the feed came from: relative links resolve against it.
    """
    if not data.strip():
        raise FeedParseError("empty document")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _json_feed(data, url=url)
    refuse_hostile_xml(data)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True)
    # feedparser is fed hostile bytes; any failure inside it is this feed's error, not ours.
    except Exception as exc:  # noqa: BLE001
        raise FeedParseError(f"feed parser failed: {type(exc).__name__}: {exc}") from exc
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no feed elements found"
        raise FeedParseError(f"not a feed: {reason}")
    entries, skipped = [], 0
    for entry in parsed.entries:
        link = _http_link(url, entry.get("link", ""))
        if not link:
            skipped += 1
            continue
        summary = entry.get("summary", "")
        entries.append(
            FeedEntry(
                entry_id=str(entry.get("id") or link)[:ENTRY_ID_MAX],
                url=link,
                title=one_line(entry.get("title", ""), max_length=1000),
                summary=html_to_text(summary if isinstance(summary, str) else "", max_length=5000),
                author=one_line(entry.get("author", ""), max_length=500),
                published_at=_moment(entry.get("published_parsed") or entry.get("updated_parsed")),
            )
        )
    title = one_line(parsed.feed.get("title", ""), max_length=200)
    return ParsedFeed(title, entries, skipped)
