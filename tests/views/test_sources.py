"""'Reported by N outlets' with the links, wherever a published statement is shown."""

import csv
import io
import re

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory
from tests.selectors.data import reported, stance, statement, world
from tests.views.exports import as_json, body

pytestmark = pytest.mark.django_db


@pytest.fixture
def corroborated():
    w = world()
    said = statement(
        w.putin,
        1,
        "Putin agreed to halt strikes on energy targets.",
        article=ArticleFactory(outlet="AFP", url="https://afp.example/call"),
        source_url="",
    )
    for outlet, url in [
        ("Reuters", "https://reuters.example/call"),
        ("CNA", "https://cna.example/call"),
        ("Reuters", "https://reuters.example/call-update"),  # one outlet counts once
    ]:
        reported(said, outlet, url)
    stance(said, w.energy, "accepts")
    return said


def test_the_timeline_and_the_permalink_say_reported_by_n_outlets_with_links(
    analyst_client, corroborated
):
    for url in [
        reverse("negotiations:timeline"),
        reverse("negotiations:statement_detail", kwargs={"pk": corroborated.pk}),
    ]:
        page = analyst_client.get(url).text
        assert "Reported by 3 outlets." in page, url
        for link in ["reuters.example/call", "cna.example/call", "reuters.example/call-update"]:
            assert f'href="https://{link}"' in page, (url, link)


def test_the_matrix_cell_counts_the_reports_of_its_evidence(analyst_client, corroborated):
    page = analyst_client.get(reverse("negotiations:proposal_list")).text
    assert "18 Mar 2025</a> · 4 reports" in page


def test_a_single_source_says_nothing_more(analyst_client):
    w = world()
    statement(w.putin, 1, "Alone.")
    assert "reported-by" not in analyst_client.get(reverse("negotiations:timeline")).text


def test_the_api_and_the_exports_give_every_source(analyst_client, corroborated):
    item = analyst_client.get(reverse("negotiations:api_timeline")).json()["items"][0]
    assert item["outlets"] == 3
    assert [(s["outlet"], s["primary"]) for s in item["sources"]] == [
        ("AFP", True),
        ("Reuters", False),
        ("CNA", False),
        ("Reuters", False),
    ]
    exported = as_json(analyst_client.get(reverse("negotiations:export_json")))["items"][0]
    assert exported["sources"] == item["sources"]

    rows = list(
        csv.DictReader(io.StringIO(body(analyst_client.get(reverse("negotiations:export_csv")))))
    )
    assert rows[0]["outlets"] == "3"
    # Each source's line with its link: "AFP, title <https://…> | Reuters, title <…> | …"
    assert re.findall(r"<([^>]+)>", rows[0]["sources"]) == [s["url"] for s in item["sources"]]

    atom = body(analyst_client.get(reverse("negotiations:export_atom")))
    assert "Reported by 3 outlets: AFP (https://afp.example/call); Reuters" in atom
