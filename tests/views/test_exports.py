import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.selectors.data import many_items, stance, statement, world
from tests.views.exports import as_json, body
from tests.views.test_timeline_page import older_link, shown

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def page_items(client, query: str) -> list[str]:
    """What an analyst sees scrolling the timeline to its end with this filter."""
    response = client.get(f"{reverse('negotiations:timeline')}?{query}")
    seen = shown(response)
    link = older_link(response)
    while link:
        response = client.get(link)
        seen += shown(response)
        link = older_link(response)
    return seen


@pytest.mark.parametrize(
    "query", ["", "party=russia", "kind=statement&proposal=energy-truce", "q=truce", "q=zzz"]
)
def test_every_export_holds_exactly_what_the_page_shows(analyst_client, settings, query):
    settings.TIMELINE_PAGE_SIZE = 3
    w = world()
    many_items(5, speaker=w.zelensky)
    for minute in range(4):
        said = statement(w.putin, 1000 + minute, f"Truce words {minute}")
        stance(said, w.energy, "supports")
    expected = page_items(analyst_client, query)

    exported = as_json(analyst_client.get(f"{reverse('negotiations:export_json')}?{query}"))
    assert [f"{i['kind']}-{i['id']}" for i in exported["items"]] == expected

    response = analyst_client.get(f"{reverse('negotiations:export_csv')}?{query}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [f"{r['kind']}-{r['id']}" for r in rows] == expected

    timelinejs = as_json(analyst_client.get(f"{reverse('negotiations:export_timelinejs')}?{query}"))
    assert [e["unique_id"] for e in timelinejs["events"]] == expected
    assert all({"start_date", "text"} <= set(e) for e in timelinejs["events"])

    atom = ET.fromstring(
        analyst_client.get(f"{reverse('negotiations:export_atom')}?{query}").content
    )
    links = [e.find(f"{ATOM}link").get("href") for e in atom.iter(f"{ATOM}entry")]
    found = [re.search(r"/(statement|event)s/(\d+)/$", link).groups() for link in links]
    # A feed is newest first even for a search, so compare as sets.
    assert {f"{kind}-{pk}" for kind, pk in found} == set(expected)


def test_the_csv_says_who_what_stance_and_source(analyst_client, scenario):
    response = analyst_client.get(
        f"{reverse('negotiations:export_csv')}?party=putin&date_to=2025-03-18"
    )
    rows = list(csv.DictReader(io.StringIO(body(response))))
    # On the day of the call: the call itself, and what Putin said as AFP and others report.
    assert {r["kind"] for r in rows} == {"statement", "event"}
    said = next(r for r in rows if r["kind"] == "statement" and r["source_outlet"] == "AFP")
    assert said["speaker"] == "putin" and said["on_behalf_of"] == "russia"
    assert said["positions"] == "30-day-full-ceasefire: rejects"
    assert said["source_outlet"] == "AFP"
    assert said["permalink"].endswith(f"/statements/{said['id']}/")


def test_an_atom_feed_for_a_proposal_is_a_valid_feed_with_entries(analyst_client, scenario):
    response = analyst_client.get(
        f"{reverse('negotiations:export_atom')}?proposal=energy-infrastructure-truce"
        "&date_to=2025-03-18"
    )
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert "energy-infrastructure-truce" in feed.find(f"{ATOM}title").text
    assert len(list(feed.iter(f"{ATOM}entry"))) == 4  # the call's day


def test_an_invalid_filter_is_refused_by_exports_too(analyst_client):
    world()
    response = analyst_client.get(f"{reverse('negotiations:export_csv')}?stance=maybe")
    assert response.status_code == 400
    assert "stance" in response.json()["errors"]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(analyst_client):
    w = world()
    statement(w.putin, 1, '=HYPERLINK("http://evil.example", "click")')
    rows = list(
        csv.DictReader(io.StringIO(body(analyst_client.get(reverse("negotiations:export_csv")))))
    )
    assert rows[0]["text"] == '\'=HYPERLINK("http://evil.example", "click")'


def test_timelinejs_slides_say_who_and_their_stance_with_sources_sides_and_truces(
    analyst_client, scenario
):
    exported = as_json(
        analyst_client.get(
            f"{reverse('negotiations:export_timelinejs')}?conflict=russia-ukraine"
            "&date_to=2025-03-31"
        )
    )
    slides = {slide["unique_id"]: slide for slide in exported["events"]}
    refusal = next(s for s in slides.values() if "Putin refused to accept" in s["text"]["text"])
    assert refusal["text"]["headline"] == (
        "Vladimir Putin (for Russia) — rejects: 30-day full ceasefire"
    )
    assert "Source: AFP, Putin agrees to pause strikes" in refusal["text"]["text"]
    assert refusal["group"] == "Russia"  # its side in the conflict, not the speaker
    headlines = [s["text"]["headline"] for s in slides.values()]
    assert len(set(headlines)) > len(headlines) // 2  # not one headline for all
    # Every slide links its source: the web address when there is one, else names it.
    for slide in slides.values():
        assert '<p class="tl-source">Source: ' in slide["text"]["text"]
        if "media" in slide:
            assert slide["media"]["url"].startswith("https://")
            assert f'href="{slide["media"]["url"]}"' in slide["text"]["text"]
    assert any("media" in s for s in slides.values())
    # The energy truce was agreed on 18 March by both sides: an era of 30 days.
    [era] = [e for e in exported["eras"] if "energy" in e["text"]["headline"]]
    assert era["start_date"]["day"] == 18 and era["start_date"]["month"] == 3
    assert era["end_date"]["month"] == 4 and era["end_date"]["day"] == 17


def test_timelinejs_escapes_markup_in_what_was_said(analyst_client):
    w = world()
    statement(w.putin, 1, "<script>alert(1)</script> & more")
    [slide] = as_json(analyst_client.get(reverse("negotiations:export_timelinejs")))["events"]
    assert "<script>" not in slide["text"]["text"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in slide["text"]["text"]


def test_the_csv_has_canonical_sources_and_each_statements_parties_and_proposals(
    analyst_client,
):
    w = world()
    said = statement(
        w.putin,
        1,
        "We accept with conditions",
        source_url="https://News.example.org/story?id=7&utm_source=rss&fbclid=x",
    )
    stance(said, w.energy, "accepts_with_conditions")
    from tests.factories import ConditionFactory

    condition = ConditionFactory(
        proposal=w.full, set_by=w.russia, demanded_of=w.ukraine, summary="No mobilisation"
    )
    said.conditions.add(condition)
    [row] = list(
        csv.DictReader(io.StringIO(body(analyst_client.get(reverse("negotiations:export_csv")))))
    )
    assert row["source_url"] == "https://news.example.org/story?id=7"
    assert row["parties"] == "putin; ukraine"
    assert row["proposals"] == "energy-truce: accepts_with_conditions; full-ceasefire"
    assert row["conflict"] == "russia-ukraine"
    assert row["sources"] == "Example News, A source <https://news.example.org/story?id=7>"


def test_the_seed_reports_csv_row_has_no_urn_for_a_url(analyst_client, scenario):
    response = analyst_client.get(
        f"{reverse('negotiations:export_csv')}?party=putin&date_to=2025-03-18"
    )
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert rows and not any(r["source_url"].startswith("urn:") for r in rows)
    afp = next(r for r in rows if r["source_outlet"] == "AFP")
    assert afp["source_url"] == "" and afp["sources"].startswith("AFP, Putin agrees")


def test_an_export_cut_at_its_limit_says_so(analyst_client, settings):
    settings.EXPORT_MAX_ITEMS = 3
    many_items(5)
    exported = as_json(analyst_client.get(reverse("negotiations:export_json")))
    assert exported["truncated"] is True and exported["max_items"] == 3
    assert exported["count"] == 3
    response = analyst_client.get(reverse("negotiations:export_csv"))
    assert response["X-Export-Truncated"] == "true" and response["X-Export-Limit"] == "3"
    assert "first-3" in response["Content-Disposition"]
    timelinejs = as_json(analyst_client.get(reverse("negotiations:export_timelinejs")))
    assert "the first 3 items only" in timelinejs["title"]["text"]["text"]
    page = analyst_client.get(reverse("negotiations:timeline")).text
    assert "Export this view (the first 3 items)" in page
    settings.EXPORT_MAX_ITEMS = 10
    assert as_json(analyst_client.get(reverse("negotiations:export_json")))["truncated"] is False


@pytest.mark.parametrize(
    "name", ["export_csv", "export_json", "export_timelinejs", "export_atom", "api_timeline"]
)
def test_exports_and_the_api_answer_conditional_gets(analyst_client, name):
    w = world()
    said = statement(w.putin, 1)
    url = reverse(f"negotiations:{name}")
    first = analyst_client.get(url)
    assert first.status_code == 200
    first_body = body(first)  # streamed (exports): the validators came before the body
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "private" in first["Cache-Control"]
    assert analyst_client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert analyst_client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    again = analyst_client.get(url)  # from the kept body: the same bytes
    assert again.status_code == 200 and body(again) == first_body
    # Any change makes the old validators stale.
    from negotiations.models import Statement

    Statement.objects.filter(pk=said.pk).update(text="Changed")
    changed = analyst_client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    changed.close()  # unread: as a server does, give its export slot back


def test_a_304_is_not_given_to_who_may_not_read(analyst_client):
    from django.test import Client

    world()
    url, api = reverse("negotiations:export_json"), reverse("negotiations:api_timeline")
    exported, api_read = analyst_client.get(url), analyst_client.get(api)
    etag, api_etag = exported["ETag"], api_read["ETag"]
    exported.close()  # unread: as a server does, give its export slot back
    anonymous = Client()
    assert anonymous.get(url, headers={"If-None-Match": etag}).status_code == 302
    assert anonymous.get(api, headers={"If-None-Match": api_etag}).status_code == 401


def test_markup_in_what_was_said_reaches_no_export_as_markup(analyst_client):
    """Feed readers render a type="html" summary, TimelineJS renders its text: neither may
    receive a statement's words as markup."""
    w = world()
    said = "He wrote <img src=x onerror=alert(1)> & <b>meant</b> it"
    statement(w.putin, 1, said)
    atom = ET.fromstring(analyst_client.get(reverse("negotiations:export_atom")).content)
    summary = next(atom.iter(f"{ATOM}summary"))
    assert summary.get("type") == "text" and summary.text == said

    slides = as_json(analyst_client.get(reverse("negotiations:export_timelinejs")))["events"]
    text = slides[0]["text"]["text"]
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;" in text


def test_an_export_streams_within_its_limit_and_says_when_it_is_cut(analyst_client, settings):
    settings.EXPORT_MAX_ITEMS = 4
    w = world()
    many_items(6, speaker=w.putin)
    response = analyst_client.get(reverse("negotiations:export_json"))
    assert response.streaming
    assert response["X-Export-Truncated"] == "true" and response["X-Export-Limit"] == "4"
    exported = as_json(response)
    assert exported["truncated"] is True and exported["count"] == 4 == len(exported["items"])
    assert as_json(analyst_client.get(reverse("negotiations:export_timelinejs")))["truncated"]
    csv_response = analyst_client.get(reverse("negotiations:export_csv"))
    assert csv_response["X-Export-Truncated"] == "true"
    assert len(list(csv.DictReader(io.StringIO(body(csv_response))))) == 4

    settings.EXPORT_MAX_ITEMS = 6
    exported = as_json(analyst_client.get(reverse("negotiations:export_json")))
    assert exported["truncated"] is False and exported["count"] == 6


@pytest.mark.django_db(transaction=True)
def test_exports_beyond_the_concurrency_limit_wait_and_pages_do_not(settings):
    """While one export streams (here: held half-read), another is asked to come back
    later, and the pages answer as usual."""
    import threading

    from django.db import connection
    from django.test import Client

    from tests.factories import analyst

    settings.EXPORT_CONCURRENCY = 1
    with connection.cursor() as cursor:
        # A stream an earlier test left unread and unclosed keeps its slot on this
        # connection (a server always closes it; the test client does not).
        cursor.execute("SELECT pg_advisory_unlock_all()")
    w = world()
    many_items(3, speaker=w.putin)
    reader = analyst(username="reader")
    holding, release = threading.Event(), threading.Event()

    def first_export():
        client = Client()
        client.force_login(reader)
        stream = iter(client.get(reverse("negotiations:export_csv")).streaming_content)
        next(stream)  # the header row: the slot is taken
        holding.set()
        release.wait(30)
        list(stream)
        connection.close()

    thread = threading.Thread(target=first_export)
    thread.start()
    try:
        assert holding.wait(30)
        client = Client()
        client.force_login(reader)
        busy = client.get(reverse("negotiations:export_json"))
        assert busy.status_code == 429 and busy["Retry-After"] == "10"
        assert client.get(reverse("negotiations:timeline")).status_code == 200
    finally:
        release.set()
        thread.join(30)
    assert client.get(reverse("negotiations:export_json")).status_code == 200
