import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.selectors.data import many_items, stance, statement, world
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

    exported = analyst_client.get(f"{reverse('negotiations:export_json')}?{query}").json()
    assert [f"{i['kind']}-{i['id']}" for i in exported["items"]] == expected

    response = analyst_client.get(f"{reverse('negotiations:export_csv')}?{query}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [f"{r['kind']}-{r['id']}" for r in rows] == expected

    timelinejs = analyst_client.get(f"{reverse('negotiations:export_timelinejs')}?{query}").json()
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
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
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
        csv.DictReader(
            io.StringIO(analyst_client.get(reverse("negotiations:export_csv")).content.decode())
        )
    )
    assert rows[0]["text"] == '\'=HYPERLINK("http://evil.example", "click")'


def test_timelinejs_slides_say_who_and_their_stance_with_sources_sides_and_truces(
    analyst_client, scenario
):
    body = analyst_client.get(
        f"{reverse('negotiations:export_timelinejs')}?conflict=russia-ukraine&date_to=2025-03-31"
    ).json()
    slides = {slide["unique_id"]: slide for slide in body["events"]}
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
    [era] = [e for e in body["eras"] if "energy" in e["text"]["headline"]]
    assert era["start_date"]["day"] == 18 and era["start_date"]["month"] == 3
    assert era["end_date"]["month"] == 4 and era["end_date"]["day"] == 17


def test_timelinejs_escapes_markup_in_what_was_said(analyst_client):
    w = world()
    statement(w.putin, 1, "<script>alert(1)</script> & more")
    [slide] = analyst_client.get(reverse("negotiations:export_timelinejs")).json()["events"]
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
        csv.DictReader(
            io.StringIO(analyst_client.get(reverse("negotiations:export_csv")).content.decode())
        )
    )
    assert row["source_url"] == "https://news.example.org/story?id=7"
    assert row["parties"] == "putin; ukraine"
    assert row["proposals"] == "energy-truce: accepts_with_conditions; full-ceasefire"
    assert row["conflict"] == "russia-ukraine"
    assert row["sources"] == "Example News, A source <https://news.example.org/story?id=7>"


def test_the_seed_reports_csv_row_has_no_urn_for_a_url(analyst_client, scenario):
    rows = list(
        csv.DictReader(
            io.StringIO(
                analyst_client.get(
                    f"{reverse('negotiations:export_csv')}?party=putin&date_to=2025-03-18"
                ).content.decode()
            )
        )
    )
    assert rows and not any(r["source_url"].startswith("urn:") for r in rows)
    afp = next(r for r in rows if r["source_outlet"] == "AFP")
    assert afp["source_url"] == "" and afp["sources"].startswith("AFP, Putin agrees")


def test_an_export_cut_at_its_limit_says_so(analyst_client, settings):
    settings.EXPORT_MAX_ITEMS = 3
    many_items(5)
    body = analyst_client.get(reverse("negotiations:export_json")).json()
    assert body["truncated"] is True and body["max_items"] == 3 and body["count"] == 3
    response = analyst_client.get(reverse("negotiations:export_csv"))
    assert response["X-Export-Truncated"] == "first 3 items"
    assert "first-3" in response["Content-Disposition"]
    timelinejs = analyst_client.get(reverse("negotiations:export_timelinejs")).json()
    assert "the first 3 items only" in timelinejs["title"]["text"]["text"]
    page = analyst_client.get(reverse("negotiations:timeline")).text
    assert "Export this view (the first 3 items)" in page
    settings.EXPORT_MAX_ITEMS = 10
    assert analyst_client.get(reverse("negotiations:export_json")).json()["truncated"] is False


@pytest.mark.parametrize(
    "name", ["export_csv", "export_json", "export_timelinejs", "export_atom", "api_timeline"]
)
def test_exports_and_the_api_answer_conditional_gets(analyst_client, name):
    w = world()
    said = statement(w.putin, 1)
    url = reverse(f"negotiations:{name}")
    first = analyst_client.get(url)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "private" in first["Cache-Control"]
    assert analyst_client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert analyst_client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    again = analyst_client.get(url)  # from the kept body: the same bytes
    assert again.status_code == 200 and again.content == first.content
    # Any change makes the old validators stale.
    from negotiations.models import Statement

    Statement.objects.filter(pk=said.pk).update(text="Changed")
    changed = analyst_client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_304_is_not_given_to_who_may_not_read(analyst_client):
    from django.test import Client

    world()
    url, api = reverse("negotiations:export_json"), reverse("negotiations:api_timeline")
    etag, api_etag = analyst_client.get(url)["ETag"], analyst_client.get(api)["ETag"]
    anonymous = Client()
    assert anonymous.get(url, headers={"If-None-Match": etag}).status_code == 302
    assert anonymous.get(api, headers={"If-None-Match": api_etag}).status_code == 401
