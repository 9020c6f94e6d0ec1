"""Well-formed but impossible input is a 400 with a message, never a 500.

The values are those a fuzzer found (dates past the calendar's end or that do not exist,
digits int() refuses, cursors with ids past bigint or ranks that are not numbers), sent to
every reader endpoint that takes them.
"""

import base64
import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.selectors.data import many_items, world

pytestmark = pytest.mark.django_db


def cursor(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


BAD_DATES = ["9999-12-31", "0001-01-01", "2025-02-30", "2025-13-01"]
BAD_MOMENTS = [
    "2025-02-30T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00+14:00",
    "2025-03-18T25:00:00Z",
    "2025-03-18T00:00:00+99:00",
]
BAD_LIMITS = ["²", "٣", "0", "-1", "1e3", "99999999999999999999999", "1.5"]
BAD_CURSORS = [
    cursor(["2025-03-18T12:00:00+00:00", "statement", 2**70, None]),
    cursor(["2025-03-18T12:00:00+00:00", "statement", True, None]),
    cursor(["9999-12-31T23:59:59+00:00", "event", 1, None]),
    cursor(["2025-02-30T12:00:00+00:00", "event", 1, None]),
    "W1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tb" * 200,
    "%%%",
]
BAD_SYNC_CURSORS = [
    cursor(["2025-03-18T12:00:00+00:00", 2**64]),
    cursor(["0001-01-01T00:00:00+00:00", 1]),
]
RANKED_CURSOR = cursor(["2025-03-18T12:00:00+00:00", "statement", 1, float("nan")])


def requests() -> list[str]:
    pages = [
        reverse("negotiations:timeline"),
        reverse("negotiations:export_csv"),
        reverse("negotiations:export_json"),
        reverse("negotiations:export_timelinejs"),
        reverse("negotiations:export_atom"),
        reverse("negotiations:api_timeline"),
    ]
    urls = [
        f"{page}?{name}={value}"
        for page in pages
        for value in BAD_DATES
        for name in ("date_from", "date_to")
    ]
    urls += [f"{reverse('negotiations:timeline')}?cursor={c}" for c in BAD_CURSORS]
    urls += [f"{reverse('negotiations:api_timeline')}?cursor={c}" for c in BAD_CURSORS]
    urls += [f"{reverse('negotiations:api_timeline')}?q=truce&cursor={RANKED_CURSOR}"]
    urls += [f"{reverse('negotiations:api_statements')}?cursor={c}" for c in BAD_SYNC_CURSORS]
    for name, values in (("limit", BAD_LIMITS), ("updated_since", BAD_MOMENTS)):
        urls += [f"{reverse('negotiations:api_statements')}?{name}={v}" for v in values]
    urls += [f"{reverse('negotiations:api_timeline')}?limit={v}" for v in BAD_LIMITS]
    urls += [f"{reverse('negotiations:api_parties')}?updated_since={v}" for v in BAD_MOMENTS]
    urls += [f"{reverse('negotiations:api_proposals')}?updated_since={v}" for v in BAD_MOMENTS]
    urls += [f"{reverse('negotiations:api_deletions')}?since={v}" for v in BAD_MOMENTS]
    return urls


def test_impossible_input_is_a_clear_400_everywhere(analyst_user):
    w = world()
    many_items(3, speaker=w.putin)
    client = Client(raise_request_exception=False)
    client.force_login(analyst_user)
    answered = {}
    for url in requests():
        response = client.get(url)
        answered[url] = response.status_code
    wrong = {url: status for url, status in answered.items() if status != 400}
    assert not wrong, wrong


def test_the_400_says_what_is_wrong(analyst_client):
    body = analyst_client.get(f"{reverse('negotiations:api_statements')}?limit=²").json()
    assert body["errors"] == {"limit": ["A whole number from 1 to 200."]}
    body = analyst_client.get(
        f"{reverse('negotiations:api_statements')}?updated_since=2025-02-30T00:00:00Z"
    ).json()
    assert "updated_since" in body["errors"]
    body = analyst_client.get(f"{reverse('negotiations:export_json')}?date_to=9999-12-31").json()
    assert body["errors"]["date_to"] == ["Give a date between 1900-01-01 and 2999-12-31."]
