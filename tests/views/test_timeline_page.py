import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from negotiations.models import Statement
from tests.selectors.data import event, many_items, reported, stance, statement, world
from tests.views.exports import body as read

pytestmark = pytest.mark.django_db

TIMELINE = reverse("negotiations:timeline")
HTMX_RESULTS = {"HX-Request": "true", "HX-Target": "results"}
HTMX_OLDER = {"HX-Request": "true", "HX-Target": "older"}


def shown(response) -> list[str]:
    """The items a page shows, in order, as "statement-12" / "event-3"."""
    return re.findall(
        r'<article class="item item-\w+" id="((?:statement|event)-\d+)"', response.text
    )


def older_link(response) -> str | None:
    match = re.search(r'<p id="older" class="older">\s*<a href="([^"]+)"', response.text)
    return match.group(1).replace("&amp;", "&") if match else None


def test_the_timeline_shows_who_what_channel_stance_conditions_and_source(analyst_client, scenario):
    response = analyst_client.get(TIMELINE)
    page = response.text
    assert response.status_code == 200
    assert "Vladimir Putin" in page and "for <a" in page  # speaker, on whose behalf
    assert "Call readout" in page
    assert "Reported speech:" in page and "Verbatim quote:" in page
    assert "30-day full ceasefire</a>: <strong>Rejects</strong>" in page
    assert "The West stops all military aid to Ukraine" in page
    assert "AFP" in page
    assert "Tuesday 18 March 2025" in page
    # The expandable detail: the source excerpt with the attributed span marked.
    assert "<mark>Putin refused to accept an immediate full ceasefire" in page
    assert "Permalink to this statement" in page


def test_every_filter_reaches_the_page_and_an_empty_result_offers_to_widen(analyst_client):
    w = world()
    said = statement(w.putin, 1, "Energy truce accepted", channel="call_readout")
    stance(said, w.energy, "accepts")
    other = statement(w.zelensky, 2, "Something else", channel="interview")
    happened = event(3, parties=[w.ukraine])
    cases = {
        "party=russia": [f"statement-{said.pk}"],
        "party=ukraine": [f"event-{happened.pk}", f"statement-{other.pk}"],
        "proposal=energy-truce": [f"statement-{said.pk}"],
        "stance=accepts": [f"statement-{said.pk}"],
        "kind=event": [f"event-{happened.pk}"],
        "channel=interview": [f"statement-{other.pk}"],
        "q=energy": [f"statement-{said.pk}"],
        "party=ukraine&kind=statement": [f"statement-{other.pk}"],
        "party=russia&stance=rejects": [],
        "date_from=2030-01-01": [],
    }
    for query, expected in cases.items():
        response = analyst_client.get(f"{TIMELINE}?{query}")
        assert shown(response) == expected, query
        if not expected:
            assert "Nothing matches these filters" in response.text
            assert "clear all filters" in response.text


def test_an_unknown_value_in_a_shared_link_is_dropped_and_said_so(analyst_client):
    w = world()
    said = statement(w.putin, 1)
    response = analyst_client.get(f"{TIMELINE}?party=russia&party=narnia&stance=maybe")
    assert response.status_code == 200
    assert shown(response) == [f"statement-{said.pk}"]
    assert "party “narnia”" in response.text and "stance “maybe”" in response.text
    # The chips show what is applied, and only that.
    assert 'aria-label="Remove filter Party: Russia"' in response.text
    assert "narnia" not in response.text.split('class="chips"')[1]


def test_reversed_dates_are_a_400_that_says_why_once(analyst_client):
    world()
    response = analyst_client.get(f"{TIMELINE}?date_from=2025-03-20&date_to=2025-03-01")
    assert response.status_code == 400
    assert response.text.count("The end date is before the start date.") == 1
    assert "All statements and events" not in response.text
    assert "These filters could not be used" in response.text
    assert analyst_client.get(f"{TIMELINE}?cursor=garbage").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "date_from=9999-12-31",
        "date_to=9999-12-31",
        "date_from=0001-01-01",
        "cursor=WyIyMDI1LTAzLTE4VDEyOjAwOjAwKzAwOjAwIiwic3RhdGVtZW50IiwxZTQwMCxudWxsXQ",
        "cursor=WyI5OTk5OTktMDMtMThUMTI6MDAiLCJzdGF0ZW1lbnQiLDEsbnVsbF0",
    ],
)
def test_impossible_dates_and_cursors_are_a_400_never_a_500(analyst_client, query):
    world()
    assert analyst_client.get(f"{TIMELINE}?{query}").status_code == 400


def test_the_page_says_how_many_items_match_and_which_filters_apply(analyst_client):
    w = world()
    for minute in range(3):
        statement(w.putin, minute)
    statement(w.zelensky, 10)
    response = analyst_client.get(f"{TIMELINE}?party=russia&kind=statement")
    assert 'Filtered timeline: <span class="count">3 items</span>' in response.text
    chips = re.findall(r'class="chip-remove" href="([^"]+)"', response.text)
    assert [c.replace("&amp;", "&") for c in chips] == ["/?kind=statement", "/?party=russia"]
    assert 'All statements and events: <span class="count">4 items</span>' in (
        analyst_client.get(TIMELINE).text
    )


def test_htmx_requests_get_fragments_and_the_page_varies_on_them(analyst_client):
    w = world()
    statement(w.putin, 1)
    full = analyst_client.get(TIMELINE)
    assert "<html" in full.text and "HX-Request" in full["Vary"]
    fragment = analyst_client.get(TIMELINE, headers=HTMX_RESULTS)
    assert "<html" not in fragment.text
    assert fragment.text.lstrip().startswith('<section id="results"')
    restore = analyst_client.get(
        TIMELINE, headers={**HTMX_RESULTS, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.text


def test_older_items_page_without_javascript_and_by_fragment_alike(analyst_client, settings):
    settings.TIMELINE_PAGE_SIZE = 4
    many_items(10)
    first = analyst_client.get(TIMELINE)
    seen = shown(first)
    link = older_link(first)
    while link:
        full = analyst_client.get(link)
        fragment = analyst_client.get(link, headers=HTMX_OLDER)
        assert shown(full) == shown(fragment)
        assert "<html" not in fragment.text
        seen += shown(fragment)
        link = older_link(fragment)
    assert len(seen) == 10 and len(set(seen)) == 10
    assert "End of the timeline." in fragment.text


def test_candidates_and_rejected_statements_appear_nowhere(analyst_client):
    w = world()
    statement(w.putin, 1, "Published words")
    for minute, status in enumerate((Statement.Status.CANDIDATE, Statement.Status.REJECTED)):
        secret = statement(w.putin, 2 + minute, f"Secret {status} words", status=status)
        stance(secret, w.full, "accepts")
        for url in [
            TIMELINE,
            f"{TIMELINE}?q=words",
            reverse("negotiations:proposal_list"),
            reverse("negotiations:conflict_list"),
            reverse("negotiations:conflict_detail", kwargs={"slug": w.full.conflict.slug}),
            f"{TIMELINE}?conflict={w.full.conflict.slug}",
            reverse("negotiations:conflict_changes", kwargs={"slug": w.full.conflict.slug})
            + "?date_from=2025-03-01&date_to=2025-03-31",
            f"{TIMELINE}?q=secret",
            f"{TIMELINE}?q=secret&headlines=1",
            reverse("negotiations:proposal_detail", kwargs={"slug": w.full.slug}),
            reverse("negotiations:party_detail", kwargs={"slug": w.russia.slug}),
            reverse("negotiations:export_csv"),
            reverse("negotiations:export_json"),
            reverse("negotiations:export_timelinejs"),
            reverse("negotiations:export_atom"),
            reverse("negotiations:api_timeline"),
            reverse("negotiations:api_statements"),
            reverse("negotiations:api_proposals"),
            reverse("negotiations:api_proposal_detail", kwargs={"slug": w.full.slug}),
            reverse("negotiations:api_conflicts"),
            reverse("negotiations:api_timeline") + "?q=secret",
            reverse("negotiations:review"),  # the editors' workbench: a 403 for analysts
        ]:
            body = read(analyst_client.get(url))
            assert "Secret" not in body, url
            for trace in ('stance-accepts"', '"stance": "accepts"', ": accepts", 'term="accepts"'):
                assert trace not in body, (url, trace)
        detail = reverse("negotiations:statement_detail", kwargs={"pk": secret.pk})
        assert analyst_client.get(detail).status_code == 404
        api = reverse("negotiations:api_statement_detail", kwargs={"id": secret.pk})
        assert analyst_client.get(api).status_code == 404
        # The count and the items per day count published items only.
        assert "1 item</span>" in analyst_client.get(TIMELINE).text


def test_the_permalink_shows_the_item_on_its_own(analyst_client, scenario):
    said = Statement.objects.get(text__startswith="Putin refused")
    response = analyst_client.get(reverse("negotiations:statement_detail", kwargs={"pk": said.pk}))
    assert shown(response) == [f"statement-{said.pk}"]
    assert '<details class="item-detail" open>' in response.text


def fresh_cache(settings) -> None:
    import uuid

    caches = {name: dict(config) for name, config in settings.CACHES.items()}
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.mark.parametrize(
    "headers", [{}, HTMX_RESULTS, HTMX_OLDER], ids=["page", "results", "older"]
)
def test_a_page_costs_the_same_queries_at_20_and_100_items(
    analyst_client, settings, django_assert_num_queries, headers
):
    settings.TIMELINE_PAGE_SIZE = 100
    w = world()
    many_items(20, speaker=w.putin)
    analyst_client.get(TIMELINE)  # warm the session and the template cache
    fresh_cache(settings)
    with CaptureQueriesContext(connection) as cold:
        assert len(shown(analyst_client.get(TIMELINE, headers=headers))) == 20
    # Session, user, two permission reads, versions; conflicts, parties, proposals;
    # statements and events (listing), then their rows and five prefetches (positions,
    # conditions, sources, event parties, event proposals); items per day of each kind.
    # The sources prefetch (corroborating outlets) is the one more than before.
    assert len(cold.captured_queries) <= 19
    with CaptureQueriesContext(connection) as warm:
        assert len(shown(analyst_client.get(TIMELINE, headers=headers))) == 20
    # Cached: the session, the user, the permissions and the versions, nothing more.
    assert len(warm.captured_queries) <= 5
    many_items(80, speaker=w.kremlin)
    fresh_cache(settings)
    with django_assert_num_queries(len(cold.captured_queries)):
        assert len(shown(analyst_client.get(TIMELINE, headers=headers))) == 100
    with django_assert_num_queries(len(warm.captured_queries)):
        assert len(shown(analyst_client.get(TIMELINE, headers=headers))) == 100


def test_a_change_is_shown_at_once_whatever_was_cached(analyst_client):
    w = world()
    said = statement(w.putin, 1, "The first words")
    assert "The first words" in analyst_client.get(TIMELINE).text
    Statement.objects.filter(pk=said.pk).update(text="Corrected words")
    assert "Corrected words" in analyst_client.get(TIMELINE).text
    w.putin.name = "President Putin"
    w.putin.save()
    assert "President Putin" in analyst_client.get(TIMELINE).text
    Statement.objects.filter(pk=said.pk).update(status=Statement.Status.REJECTED)
    page = analyst_client.get(TIMELINE).text
    assert "Corrected words" not in page and "0 items" in page


def test_another_outlets_report_and_a_correction_are_shown_at_once_whatever_was_cached(
    analyst_client,
):
    """Main's tables behind what an item shows (a statement's corroborating sources, a
    position's correction) move the content versions too: no cached page stays stale."""
    from negotiations.services.positions import position_correct

    w = world()
    said = statement(w.putin, 1, "We stop striking energy targets.")
    accepted = stance(said, w.energy, "accepts")
    api = reverse("negotiations:api_statement_detail", kwargs={"id": said.pk})
    first, etag = analyst_client.get(TIMELINE).text, analyst_client.get(api)["ETag"]
    assert "reported-by" not in first and 'stance-accepts"' in first
    with CaptureQueriesContext(connection) as again:
        assert shown(analyst_client.get(TIMELINE)) == [f"statement-{said.pk}"]
    assert len(again.captured_queries) <= 5  # served from the cache

    reported(said, "Reuters", "https://reuters.example/call")
    page = analyst_client.get(TIMELINE).text
    assert "Reported by 2 outlets." in page and 'href="https://reuters.example/call"' in page
    changed = analyst_client.get(api, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json()["outlets"] == 2

    position_correct(
        position=accepted, note="Misread the readout", recorded_by=None, stance="rejects"
    )
    page = analyst_client.get(TIMELINE).text
    assert 'stance-rejects"' in page and 'stance-accepts"' not in page
    matrix = analyst_client.get(reverse("negotiations:proposal_list")).text
    assert "stance-rejects" in matrix and "stance-accepts" not in matrix


def test_pages_carry_the_csp_and_load_htmx_from_our_own_static_files(analyst_client):
    world()
    response = analyst_client.get(TIMELINE)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "style=" not in response.text
    assert "<script>" not in response.text and "hx-on" not in response.text
    assert "/static/vendor/htmx/htmx.min.js" in response.text
    assert '"includeIndicatorStyles": false' in response.text
    assert 'hx-headers=\'{"X-CSRFToken": "' in response.text


def test_every_hx_get_has_a_matching_href(analyst_client, settings):
    settings.TIMELINE_PAGE_SIZE = 2
    many_items(5)
    page = analyst_client.get(TIMELINE).text
    links = re.findall(r'<a href="([^"]+)"\s+hx-get="([^"]+)"', page)
    assert links and all(href == hx for href, hx in links)
    assert 'method="get" action="/"' in page  # the filter form submits without htmx too


def test_a_chosen_date_is_given_back_to_the_date_input_in_iso_form(analyst_client):
    world()
    page = analyst_client.get(f"{TIMELINE}?date_from=2025-03-18").text
    assert 'type="date" name="date_from" value="2025-03-18"' in page
