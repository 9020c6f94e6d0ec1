"""/review/: the permission ladder, what a claim shows, and each action with its undo."""

import datetime
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from negotiations.models import Position, Statement
from negotiations.services.claims import claims_assign
from tests.factories import (
    BASE_TIME,
    ArticleFactory,
    ConflictFactory,
    ParticipationFactory,
    PartyFactory,
    ProposalFactory,
    StatementFactory,
    editor,
)
from tests.html import form_data

pytestmark = pytest.mark.django_db

REVIEW = reverse("negotiations:review")
HTMX = {"HX-Request": "true", "HX-Target": "workbench"}
ARTICLE_TEXT = (
    "Moscow. After the call, Putin refused to accept an immediate full ceasefire, the "
    "Kremlin said. Talks continue."
)
SPAN = "Putin refused to accept an immediate full ceasefire"


@pytest.fixture
def world():
    russia = PartyFactory(slug="russia", name="Russia")
    kremlin = PartyFactory(slug="kremlin", name="The Kremlin", kind="government", parent=russia)
    putin = PartyFactory(slug="putin", name="Vladimir Putin", kind="person", parent=kremlin)
    ukraine = PartyFactory(slug="ukraine", name="Ukraine")
    ParticipationFactory(party=russia, side="russia")
    ParticipationFactory(party=ukraine, side="ukraine")
    full = ProposalFactory(slug="full", name="30-day full ceasefire")
    energy = ProposalFactory(slug="energy", name="Energy truce", parent=full)
    return {"russia": russia, "putin": putin, "ukraine": ukraine, "full": full, "energy": energy}


def candidate(
    speaker, *, outlet="AFP", stances=(("full", "rejects"),), minutes=0, days=0, **kwargs
):
    article = ArticleFactory(outlet=outlet, text=ARTICLE_TEXT)
    start = ARTICLE_TEXT.index(SPAN)
    made = StatementFactory(
        speaker=speaker,
        status="candidate",
        article=article,
        source_url="",
        span_start=start,
        span_end=start + len(SPAN),
        text=SPAN,
        occurred_at=BASE_TIME + datetime.timedelta(days=days, minutes=minutes),
        confidence=kwargs.pop("confidence", 0.9),
        extraction={
            "positions": [{"proposal": p, "stance": s} for p, s in stances],
            "conditions": [],
            "rules": ["speaker:name", "stance:refused"],
            **kwargs.pop("extraction", {}),
        },
        **kwargs,
    )
    claims_assign(article=article)
    made.refresh_from_db()
    return made


@pytest.fixture
def claim(world):
    """Putin for Russia rejecting the full ceasefire, reported by AFP and Reuters."""
    afp = candidate(world["putin"], on_behalf_of=world["russia"])
    reuters = candidate(world["putin"], on_behalf_of=world["russia"], outlet="Reuters", minutes=5)
    assert afp.claim_id == reuters.claim_id
    return afp.claim


def action(name: str, claim_id: int) -> str:
    return reverse(f"negotiations:review_{name}", kwargs={"pk": claim_id})


# -- who may use it --------------------------------------------------------------------------


def test_the_permission_ladder(client, analyst_client, claim, settings):
    settings.PUBLIC_READ = True  # opening the analyst pages never opens the workbench
    posts = [action(n, claim.pk) for n in ("publish", "reject", "merge")]
    posts.append(reverse("negotiations:review_undo"))
    from django.test import Client

    anonymous = Client()
    response = anonymous.get(REVIEW)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/review/")
    assert anonymous.get(REVIEW, headers=HTMX)["HX-Redirect"].startswith(reverse("login"))
    for url in posts:
        assert anonymous.post(url).status_code == 302, url

    assert analyst_client.get(REVIEW).status_code == 403
    for url in posts:
        assert analyst_client.post(url, {"version": "x"}).status_code == 403, url
    assert set(Statement.objects.values_list("status", flat=True)) == {"candidate"}
    # Analysts see no trace of the queue: no link, no count.
    assert 'id="review-count"' not in analyst_client.get(reverse("negotiations:timeline")).text


def test_an_editor_sees_the_claim_with_its_sources_rows_and_reasons(editor_client, claim, world):
    response = editor_client.get(REVIEW)
    assert response.status_code == 200
    page = response.text
    # Grouped by claim: one entry for two outlets' reports.
    assert page.count('<li class="current">') == 1
    assert "2 outlets" in page
    assert 'id="review-count">1<' in page  # the header says how many claims wait
    assert f'<mark id="span">{SPAN}</mark>' in page
    assert "Also reported by (1)" in page and "Reuters" in page
    assert "Open the original" in page
    # Pre-filled, editable rows: speaker, on whose behalf, the stance.
    data = form_data(page, "claim-form")
    assert data["speaker"] == str(world["putin"].pk)
    assert data["on_behalf_of"] == str(world["russia"].pk)
    assert (data["stance-0-proposal"], data["stance-0-stance"]) == ("full", "rejects")
    assert data["stance-1-proposal"] == ""  # a blank row to add one
    assert "speaker:name" in page  # no plain-word reasons yet: the rules' names
    assert "UTC" in page


def test_plain_word_reasons_are_shown_when_the_extractor_gives_them(editor_client, world):
    candidate(
        world["russia"],
        extraction={"reasons": ["stance: “refused to accept” → rejects 30-day full ceasefire"]},
    )
    page = editor_client.get(REVIEW).text
    assert "stance: “refused to accept” → rejects 30-day full ceasefire" in page
    assert "speaker:name" not in page


def test_on_behalf_of_defaults_to_the_speakers_state_when_the_extractor_gave_none(
    editor_client, world
):
    candidate(world["putin"])
    data = form_data(editor_client.get(REVIEW).text, "claim-form")
    assert data["on_behalf_of"] == str(world["russia"].pk)


def test_every_hx_get_has_an_href_and_the_page_keeps_the_csp(editor_client, claim):
    page = editor_client.get(REVIEW).text
    links = re.findall(r'<a href="([^"]+)"\s+hx-get="([^"]+)"', page)
    assert links and all(href == hx for href, hx in links)
    assert len(links) == page.count("hx-get=") - 2  # and the two GET forms have an action
    assert "style=" not in page and "<script>" not in page and "hx-on" not in page
    assert "/static/js/review.js" in page


# -- actions ----------------------------------------------------------------------------------


def test_publish_after_editing_the_stance_row_records_it_and_says_what(
    editor_client, editor_user, claim, world
):
    other = candidate(world["ukraine"], stances=[("energy", "supports")], confidence=0.5)
    page = editor_client.get(REVIEW).text
    data = form_data(page, "claim-form")
    data["stance-0-stance"] = "accepts_with_conditions"
    data["stance-1-proposal"], data["stance-1-stance"] = "energy", "accepts"

    response = editor_client.post(action("publish", claim.pk), data, headers=HTMX)

    assert response.status_code == 200
    published = Statement.objects.get(claim=claim, status="published")
    assert published.reviewed_by == editor_user
    assert sorted(
        Position.objects.filter(statement=published).values_list("proposal__slug", "stance")
    ) == [("energy", "accepts"), ("full", "accepts_with_conditions")]
    assert published.sources.get().article.outlet == "Reuters"
    assert (
        "Recorded: Russia — accepts with conditions — 30-day full ceasefire; Russia — accepts "
        "— Energy truce, 18 Mar 2025, 2 sources"
    ) in response.text
    # The next claim is shown, its address pushed, and the review is in the history.
    assert response["HX-Push-Url"] == f"{REVIEW}?claim={other.claim_id}"
    assert "<html" not in response.text and 'hx-swap-oob="innerHTML"' in response.text
    assert LogEntry.objects.filter(object_id=str(published.pk)).exists()

    undo = editor_client.post(reverse("negotiations:review_undo"), headers=HTMX)
    assert "Undone" in undo.text
    assert not Statement.objects.filter(status="published").exists()
    assert not Position.objects.exists()
    assert undo["HX-Push-Url"] == f"{REVIEW}?claim={claim.pk}"


def test_without_javascript_an_action_redirects_and_the_page_confirms(editor_client, claim):
    data = form_data(editor_client.get(REVIEW).text, "reject-form")
    response = editor_client.post(action("reject", claim.pk), data)
    assert response.status_code == 303
    assert response["Location"] == REVIEW
    page = editor_client.get(response["Location"]).text
    assert "Rejected: Russia — rejects — 30-day full ceasefire, 18 Mar 2025 (2 candidates)" in page
    assert 'class="undo-form"' in page
    assert "Nothing to review" in page
    assert set(claim.statements.values_list("status", flat=True)) == {"rejected"}


def test_merge_into_a_statement_found_with_the_picker(editor_client, claim, world):
    target = StatementFactory(
        speaker=world["putin"],
        on_behalf_of=world["russia"],
        text="Putin rejects a full truce, the Kremlin's readout says.",
        conflict=ConflictFactory(),
    )
    StatementFactory(speaker=world["ukraine"], text="Unrelated words from Kyiv.")
    # The search picker: a fragment with one button per published statement found.
    found = editor_client.get(
        REVIEW,
        {"claim": claim.pk, "merge_q": "truce readout"},
        headers={"HX-Request": "true", "HX-Target": "merge-results"},
    ).text
    assert found.lstrip().startswith('<div id="merge-results"')
    assert f'name="into" value="{target.pk}"' in found and "Unrelated" not in found
    # Without words, the same stance party's statements are suggested.
    suggested = editor_client.get(REVIEW, {"claim": claim.pk}).text
    assert f'name="into" value="{target.pk}"' in suggested

    data = form_data(found, "merge-form")
    response = editor_client.post(
        action("merge", claim.pk), {**data, "into": target.pk}, headers=HTMX
    )
    assert "Merged into: Russia — rejects — 30-day full ceasefire" in response.text
    assert target.sources.count() == 2
    assert set(claim.statements.values_list("merged_into", flat=True)) == {target.pk}


def test_a_merge_target_must_be_a_published_statement(editor_client, claim, world):
    waiting = candidate(world["ukraine"])
    version = form_data(editor_client.get(REVIEW).text, "reject-form")["version"]
    response = editor_client.post(
        action("merge", claim.pk), {"version": version, "into": waiting.pk}
    )
    assert response.status_code == 400
    assert "Choose the published statement" in response.text
    assert set(claim.statements.values_list("status", flat=True)) == {"candidate"}


def test_two_editors_saving_the_same_claim_get_a_conflict_not_an_overwrite(
    client, editor_client, claim
):
    client.force_login(editor(username="second"))
    first = form_data(editor_client.get(REVIEW).text, "claim-form")
    second = form_data(client.get(REVIEW).text, "claim-form")
    first["text"] = "The first editor's words."
    assert editor_client.post(action("publish", claim.pk), first).status_code == 303

    second["text"] = "The second editor's words."
    response = client.post(action("publish", claim.pk), second)
    assert response.status_code == 409
    assert "reviewed while you were reading it" in response.text
    stale_reject = client.post(action("reject", claim.pk), {"version": second["version"]})
    assert stale_reject.status_code == 409
    assert "Another editor changed this claim" in stale_reject.text
    published = Statement.objects.get(claim=claim, status="published")
    assert published.text == "The first editor's words."


def test_an_invalid_row_records_nothing_and_says_why(editor_client, claim):
    data = form_data(editor_client.get(REVIEW).text, "claim-form")
    data["stance-1-proposal"] = "energy"  # no stance chosen
    response = editor_client.post(action("publish", claim.pk), data)
    assert response.status_code == 400
    assert "Choose the stance on this proposal." in response.text
    data["stance-1-proposal"], data["stance-1-stance"] = "full", "accepts"
    response = editor_client.post(action("publish", claim.pk), data)
    assert "two rows name the same proposal" in response.text
    assert not Statement.objects.filter(status="published").exists()


# -- the queue --------------------------------------------------------------------------------


def test_the_queue_filters(editor_client, claim, world):
    candidate(
        world["ukraine"],
        outlet="Kyiv Independent",
        stances=[("energy", "supports")],
        confidence=0.4,
    )

    def claims(**params) -> int:
        page = editor_client.get(REVIEW, params).text
        return int(re.search(r"(\d+) claims? waiting</span></h2>", page).group(1))

    assert claims() == 2
    assert claims(outlet="Kyiv Independent") == 1
    assert claims(speaker="russia") == 1  # Russia takes in Putin, who spoke
    assert claims(proposal="energy") == 1
    assert claims(confidence="0.5") == 1
    assert claims(conflict=claim.conflict.slug) == 2
    assert claims(speaker="narnia") == 2  # a stale value is dropped, not an empty queue


def test_the_workbench_costs_the_same_queries_at_5_and_20_claims(
    editor_client, world, django_assert_num_queries
):
    # Days apart, each report is a claim of its own.
    for n in range(5):
        candidate(world["ukraine"], outlet=f"Outlet {n}", days=5 * n)
    editor_client.get(REVIEW)
    with CaptureQueriesContext(connection) as small:
        assert "5 claims waiting" in editor_client.get(REVIEW).text
    for n in range(5, 20):
        candidate(world["putin"], outlet=f"Outlet {n}", days=5 * n, stances=[("energy", "rejects")])
    with django_assert_num_queries(len(small.captured_queries)):
        assert "20 claims waiting" in editor_client.get(REVIEW).text
