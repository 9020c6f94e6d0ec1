"""The article path: main text and metadata from pages, including 196 real web pages."""

import json
import unicodedata

import pytest
import trafilatura

from negotiations.ingest.articles import (
    ArticleParseError,
    declared_canonical,
    extract_article,
    plain_text_article,
)
from negotiations.models import Article, Statement
from negotiations.services.ingestion import article_process

from .conftest import FIXTURES, SHARED_DATA
from .server import Route

WEB_PAGES = SHARED_DATA / "web-pages"


def test_main_text_title_outlet_and_time_come_from_the_page():
    content = extract_article((FIXTURES / "floods.html").read_bytes(), url="https://t.test/f")
    assert content.title == "Floods close rural roads"
    assert content.outlet == "Test Wire"
    assert content.published_at.isoformat().startswith("2025-03-19")
    assert "Heavy rain and melting snow closed three rural roads" in content.text
    assert "Home" not in content.text and "Sample page" not in content.text


def test_a_declared_canonical_url_is_read_from_the_head():
    page = b'<html><head><link rel="canonical" href="/story/1"></head><body></body></html>'
    assert declared_canonical(page) == "/story/1"
    assert declared_canonical(b"<html><body>none</body></html>") == ""


@pytest.mark.parametrize("html", [b"", b"   ", b"<html><body></body></html>", b"\x00\x01\x02"])
def test_a_page_without_main_text_is_a_clear_error(html):
    with pytest.raises(ArticleParseError):
        extract_article(html, url="https://t.test/empty")


def test_a_text_file_is_an_article_as_it_stands():
    content = plain_text_article("First line\n\nSecond paragraph, “quoted”.\n".encode())
    assert content.text == "First line\n\nSecond paragraph, “quoted”."
    assert content.title == "First line"


@pytest.mark.django_db
def test_the_196_web_pages_go_through_the_article_path(allow_server, scenario):
    """Every page: no unhandled exception, the manifest's `with` snippets at least as often
    as trafilatura alone finds them, and no candidate statement (none is about the seed)."""
    assert WEB_PAGES.is_dir(), f"the shared web pages are missing at {WEB_PAGES}"
    manifest = json.loads((WEB_PAGES / "manifest.json").read_text())
    assert len(manifest) == 196
    articles = {}
    for index, page in enumerate(manifest):
        path = f"/page/{index}.html"
        allow_server.routes[path] = Route(
            (WEB_PAGES / page["file"]).read_bytes(),
            headers={"Content-Type": "text/html"},
        )
        articles[page["file"]] = Article.objects.create(
            url=allow_server.url(path), canonical_url=allow_server.url(path)
        )
    outcomes = {}
    for article in articles.values():
        result = article_process(article_id=article.pk)
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1

    ours = baseline = without_ours = without_baseline = snippets = 0
    for page in manifest:
        html = (WEB_PAGES / page["file"]).read_bytes()
        alone = unicodedata.normalize("NFC", trafilatura.extract(html) or "")
        text = Article.objects.get(pk=articles[page["file"]].pk).text
        snippets += len(page["with"])
        ours += sum(snippet in text for snippet in page["with"])
        baseline += sum(snippet in alone for snippet in page["with"])
        without_ours += sum(snippet in text for snippet in page["without"])
        without_baseline += sum(snippet in alone for snippet in page["without"])
    candidates = Statement.objects.filter(article__in=articles.values()).count()
    print(
        f"\nweb pages: outcomes {outcomes}; `with` snippets found {ours}/{snippets} "
        f"(trafilatura alone {baseline}); `without` snippets kept {without_ours} "
        f"(trafilatura alone {without_baseline}); candidates {candidates}"
    )
    assert set(outcomes) <= {"extracted", "duplicate", "failed"}
    assert outcomes.get("failed", 0) == 0
    assert ours >= baseline
    assert candidates == 0


def test_markup_a_page_escaped_is_not_stored_as_markup():
    html = b"""<html><head><title>Escaped</title></head><body><article>
    <p>The ministry's statement was long and detailed, and it repeated its position again.</p>
    <p>Readers saw &lt;script&gt;alert(document.cookie)&lt;/script&gt; and
    &lt;img src=x onerror=alert(1)&gt; in the text of the page, which quoted the code.</p>
    <p>Talks on an energy truce continue this week, officials in both capitals said today.</p>
    </article></body></html>"""
    text = extract_article(html, url="https://news.example.org/x").text
    assert "<script" not in text and "<img" not in text and "alert(document.cookie)" not in text
    assert "Talks on an energy truce continue" in text
