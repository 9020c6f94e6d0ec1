"""`manage.py ingest` and `manage.py add_feed`, as an operator runs them."""

import json
from io import StringIO
from unittest.mock import Mock

import pytest
from django.core.management import CommandError, call_command

from negotiations.models import Article, Feed

from .conftest import FIXTURES
from .pages import SEED_REPORT, wire_copy
from .server import Route

pytestmark = pytest.mark.django_db


def ingest(*args) -> str:
    out = StringIO()
    call_command("ingest", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_seed_report_yields_what_it_attributes_to_each_party(scenario):
    [report] = json.loads(ingest("--sync", "--json", str(SEED_REPORT)))
    assert set(report) >= {"id", "url", "title", "duplicate_of", "candidates"}
    assert report["duplicate_of"] is None
    by_speaker = {}
    for candidate in report["candidates"]:
        assert set(candidate) >= {
            "speaker",
            "text",
            "is_direct_quote",
            "span",
            "confidence",
            "proposals",
            "conditions",
        }
        by_speaker.setdefault(candidate["speaker"], []).append(candidate)
    text = SEED_REPORT.read_text()
    for candidate in report["candidates"]:
        start, end = candidate["span"]
        assert candidate["text"] in text[start:end] or text[start:end] in candidate["text"]

    trump = [c for c in by_speaker["trump"] if c["is_direct_quote"]]
    assert any("Complete Ceasefire" in c["text"] for c in trump)
    russian = by_speaker.get("putin", []) + by_speaker.get("kremlin", [])
    stances = {(p["slug"], p["stance"]) for c in russian for p in c["proposals"]}
    assert ("energy-infrastructure-truce", "accepts") in stances
    assert ("30-day-full-ceasefire", "rejects") in stances
    assert any(k["category"] == "halt_military_aid" for c in russian for k in c["conditions"])
    zelensky = {(p["slug"], p["stance"]) for c in by_speaker["zelensky"] for p in c["proposals"]}
    assert ("energy-infrastructure-truce", "supports") in zelensky
    assert any("Ukraine can count on us." in c["text"] for c in by_speaker["scholz"])


def test_ingesting_the_same_file_again_says_so_and_changes_nothing(scenario):
    [first] = json.loads(ingest("--sync", "--json", str(SEED_REPORT)))
    [second] = json.loads(ingest("--sync", "--json", str(SEED_REPORT)))
    assert (first["read_before"], second["read_before"]) == (False, True)
    assert first["candidates"] and second["candidates"] == first["candidates"]
    assert second["extracted_at"] == first["extracted_at"]
    assert {c["conflict"] for c in first["candidates"]} == {"russia-ukraine"}


def test_a_feed_url_is_polled_and_its_articles_processed_in_process(allow_server, scenario):
    allow_server.routes["/wire/feed.xml"] = Route(
        (FIXTURES / "feed-rss.xml").read_bytes(), headers={"Content-Type": "application/rss+xml"}
    )
    allow_server.routes["/wire/articles/wire.html?utm_source=rss&utm_medium=feed"] = Route(
        wire_copy("Wire Agency")
    )
    allow_server.routes["/wire/articles/floods.html"] = Route(
        (FIXTURES / "floods.html").read_bytes()
    )
    reports = json.loads(ingest("--sync", "--json", allow_server.url("/wire/feed.xml")))
    assert len(reports) == 3
    by_title = {r["title"]: r for r in reports}
    assert by_title["Leaders agree an energy truce"]["candidates"]
    assert by_title["Floods close rural roads"]["candidates"] == []
    missing = by_title["The same story, republished"]
    assert missing["status"] == "failed" and "404" in missing["error"]
    assert Feed.objects.filter(url=allow_server.url("/wire/feed.xml")).exists()


def test_without_sync_the_work_goes_to_the_worker(
    allow_server, monkeypatch, django_capture_on_commit_callbacks
):
    poll, process = Mock(), Mock()
    monkeypatch.setattr("negotiations.tasks.poll_feed.delay", poll)
    monkeypatch.setattr("negotiations.tasks.process_article.delay", process)
    allow_server.routes["/feed.xml"] = Route((FIXTURES / "feed-rss.xml").read_bytes())
    allow_server.routes["/page.html"] = Route(wire_copy("Wire"))
    with django_capture_on_commit_callbacks(execute=True):
        ingest(allow_server.url("/feed.xml"), allow_server.url("/page.html"), str(SEED_REPORT))
    feed = Feed.objects.get(url=allow_server.url("/feed.xml"))
    assert [c.args for c in poll.call_args_list] == [(feed.pk,)]
    assert len(process.call_args_list) == 2
    assert Article.objects.filter(extracted_at__isnull=False).count() == 0


def test_a_bad_source_is_reported_and_the_others_still_ingested(scenario, tmp_path):
    err = StringIO()
    with pytest.raises(CommandError, match="1 of 2 source"):
        call_command(
            "ingest", "--sync", str(tmp_path / "missing.txt"), str(SEED_REPORT), stderr=err
        )
    assert "no such file" in err.getvalue()
    assert Article.objects.filter(url=SEED_REPORT.resolve().as_uri()).exists()


def test_a_refused_url_is_a_clear_error(settings):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", "--sync", "http://127.0.0.1:9/feed.xml", stderr=err)
    assert "non-public address" in err.getvalue()


def test_add_feed_adds_and_updates():
    out = StringIO()
    call_command("add_feed", "https://news.example.org/rss", "--name", "Example", stdout=out)
    feed = Feed.objects.get()
    assert (feed.name, feed.poll_interval_minutes, feed.enabled) == ("Example", 30, True)
    assert "Added feed" in out.getvalue()
    call_command("add_feed", "https://news.example.org/rss", "--interval", "5", stdout=out)
    feed.refresh_from_db()
    assert (feed.name, feed.poll_interval_minutes) == ("Example", 5)
    assert Feed.objects.count() == 1


@pytest.mark.parametrize(
    "args", [["file:///etc/passwd"], ["not a url"], ["https://e.org/rss", "--interval", "0"]]
)
def test_add_feed_refuses_bad_input_and_adds_nothing(args):
    with pytest.raises(CommandError, match="nothing was added"):
        call_command("add_feed", *args, stdout=StringIO())
    assert Feed.objects.count() == 0


class Terminal(StringIO):
    def isatty(self):
        return True


def test_progress_is_shown_on_a_terminal_only(scenario, allow_server, monkeypatch):
    allow_server.routes["/wire/feed.xml"] = Route((FIXTURES / "feed-rss.xml").read_bytes())
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    ingest("--sync", allow_server.url("/wire/feed.xml"), str(SEED_REPORT))
    shown = terminal.getvalue()
    assert "[source 1/2]" in shown and "article 3/3" in shown
    assert "[source 2/2]" in shown and "article 1/1" in shown

    piped = StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    ingest("--sync", str(SEED_REPORT))
    assert "article" not in piped.getvalue()
