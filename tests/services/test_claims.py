"""One claim, many sources: grouping candidates across outlets, publishing them as one
statement with every source, merging, and undoing a review."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from negotiations.models import Article, Claim, Condition, Position, Statement
from negotiations.services.claims import (
    ClaimChanged,
    claim_merge,
    claim_publish,
    claim_reject,
    claim_version,
    claims_assign,
    review_undo,
)
from negotiations.services.statements import statement_candidates_create, statement_merge
from tests.factories import (
    BASE_TIME,
    ArticleFactory,
    PartyFactory,
    ProposalFactory,
    StatementFactory,
    editor,
)

pytestmark = pytest.mark.django_db

REPORTS = Path(settings.BASE_DIR) / "tests" / "data" / "reports" / "dev"
# Four outlets' reports of the 18 March 2025 call (the same claims, told differently), a
# report of the Black Sea talks a week later, and one of Zelensky's answer.
CALL = [
    "ru-ua-call-cna-2025-03-18",
    "ru-ua-call-nysun-2025-03-18",
    "ru-ua-call-turkiyetoday-2025-03-18",
]
ZELENSKY = "ru-ua-call-samaa-2025-03-18"
BLACK_SEA = "ru-ua-blacksea-upday-2025-03-25"


def report_article(name: str, *, shift_days: int = 0, url_suffix: str = "") -> Article:
    """A report from the corpus stored as an ingested article, with its outlet and date."""
    meta = json.loads((REPORTS / f"{name}.meta.json").read_text(encoding="utf-8"))
    published = datetime.datetime.fromisoformat(meta["published"]).replace(
        hour=12, tzinfo=datetime.UTC
    ) + datetime.timedelta(days=shift_days)
    return ArticleFactory(
        url=meta["url"] + url_suffix,
        canonical_url=meta["url"] + url_suffix,
        outlet=meta["outlet"],
        title=meta["title"],
        published_at=published,
        text=(REPORTS / f"{name}.txt").read_text(encoding="utf-8"),
    )


def russia_accepts_energy_truce(articles) -> list[Statement]:
    return [
        s
        for s in Statement.objects.filter(article__in=articles, status="candidate")
        if (s.on_behalf_of or s.speaker).slug == "russia"
        and s.extraction.get("positions")
        == [{"proposal": "energy-infrastructure-truce", "stance": "accepts"}]
    ]


@pytest.fixture
def reports(scenario):
    from negotiations.services.scenario import scenarios_load

    scenarios_load()
    articles = [report_article(name) for name in CALL]
    for article in articles:
        statement_candidates_create(article=article)
    return articles


def test_reports_of_one_claim_from_different_outlets_form_one_claim(reports):
    same = russia_accepts_energy_truce(reports)
    # The extractor finds "Putin agreed to halt strikes on energy targets" in each report.
    assert len({s.article_id for s in same}) == len(CALL)
    assert len({s.claim_id for s in same}) == 1
    claim = same[0].claim
    # The claim holds nothing that says something else.
    for statement in claim.statements.all():
        assert statement in same


def test_publishing_the_claim_publishes_one_statement_with_every_source(reports, editor_user):
    [claim_id] = {s.claim_id for s in russia_accepts_energy_truce(reports)}
    claim = Claim.objects.get(pk=claim_id)

    review = claim_publish(claim=claim, reviewer=editor_user)

    published = Statement.objects.get(claim=claim, status="published")
    assert review.statement_id == published.pk
    sources = [published.article, *(s.article for s in published.sources.all())]
    assert sorted(a.outlet for a in sources) == sorted({a.outlet for a in reports})
    # Each corroborating source keeps its own span, which is the candidate's words there.
    for source in published.sources.all():
        assert source.article.text[source.span_start : source.span_end] == source.candidate.text
    others = Statement.objects.filter(claim=claim).exclude(pk=published.pk)
    assert {s.status for s in others} == {"rejected"}
    assert {s.merged_into_id for s in others} == {published.pk}
    assert Position.objects.filter(
        statement=published,
        party__slug="russia",
        proposal__slug="energy-infrastructure-truce",
        stance="accepts",
    ).exists()
    assert review.summary.startswith("Recorded: Russia — accepts — 30-day halt to strikes")
    assert review.summary.endswith(f", {len(CALL)} sources")


def test_different_claims_stay_apart(reports):
    weeks_later = report_article(CALL[0], shift_days=21, url_suffix="?weeks-later")
    black_sea = report_article(BLACK_SEA)
    zelensky = report_article(ZELENSKY)
    for article in (weeks_later, black_sea, zelensky):
        statement_candidates_create(article=article)
    call_claim = {s.claim_id for s in russia_accepts_energy_truce(reports)}

    # Weeks apart: the same words are a new claim.
    repeats = russia_accepts_energy_truce([weeks_later])
    assert repeats and not {r.claim_id for r in repeats} & call_claim
    # A different proposal: Russia agreeing to the Black Sea ceasefire.
    sea = Statement.objects.filter(
        article=black_sea, extraction__positions__0__proposal="black-sea-maritime-ceasefire"
    )
    assert sea.exists() and not {s.claim_id for s in sea} & call_claim
    # A different stance party: Zelensky (for Ukraine) supporting the energy truce.
    supports = Statement.objects.filter(
        article=zelensky, extraction__positions__0__stance="supports"
    )
    assert supports.exists() and not {s.claim_id for s in supports} & call_claim


def grouped(*candidates) -> list[int]:
    for candidate in candidates:
        claims_assign(article=candidate.article)
    return [Statement.objects.get(pk=c.pk).claim_id for c in candidates]


def candidate(speaker, minutes=0, *, stances=(), text=None, verbatim=False, **kwargs):
    return StatementFactory(
        speaker=speaker,
        status="candidate",
        article=ArticleFactory(),
        source_url="",
        occurred_at=BASE_TIME + datetime.timedelta(minutes=minutes),
        is_verbatim=verbatim,
        extraction={"positions": [{"proposal": p, "stance": s} for p, s in stances]},
        **({"text": text} if text else {}),
        **kwargs,
    )


def test_grouping_rules():
    russia = PartyFactory(slug="russia", name="Russia")
    putin = PartyFactory(slug="putin", name="Putin", parent=russia, kind="person")
    ukraine = PartyFactory(slug="ukraine", name="Ukraine")
    ProposalFactory(slug="full"), ProposalFactory(slug="energy")
    day = 24 * 60

    # Same stance party (Putin for Russia, and Russia), same proposals and stances, a day apart.
    a, b = grouped(
        candidate(russia, 0, stances=[("full", "rejects")]),
        candidate(putin, day, stances=[("full", "rejects")], on_behalf_of=russia),
    )
    assert a == b
    # A different stance, a different proposal, another party, three weeks later: apart.
    base = candidate(russia, 0, stances=[("energy", "accepts")])
    others = [
        candidate(russia, 60, stances=[("energy", "rejects")]),
        candidate(russia, 60, stances=[("full", "accepts")]),
        candidate(ukraine, 60, stances=[("energy", "accepts")]),
        candidate(russia, 21 * day, stances=[("energy", "accepts")]),
    ]
    ids = grouped(base, *others)
    assert len(set(ids)) == 5
    # The same quote, with no stance found, joins; a shorter part of it too.
    quote = "We will not accept a ceasefire that lets them rearm, said the minister today"
    one, two, part, short = grouped(
        candidate(russia, 0, text=quote, verbatim=True),
        candidate(putin, 90, text=quote.upper() + "!", verbatim=True),
        candidate(putin, 90, text="a ceasefire that lets them rearm", verbatim=True),
        candidate(putin, 90, text="a ceasefire", verbatim=True),
    )
    assert one == two == part != short


def test_grouping_is_idempotent_and_ingest_json_prints_the_claim(scenario, tmp_path, capsys):
    first = tmp_path / "first.txt"
    second = tmp_path / "second.txt"
    text = (Path(settings.BASE_DIR) / "negotiations/scenarios/afp-trump-putin-call.txt").read_text()
    first.write_text(text)
    # Another outlet's wording of the lead (not a wire copy: the text differs).
    second.write_text(
        "Moscow, March 18. Russian President Vladimir Putin agreed on Tuesday to halt attacks "
        "on Ukrainian energy infrastructure for 30 days, the Kremlin said after a call.\n"
    )
    call_command("ingest", "--sync", "--json", str(first), str(second))
    reports = json.loads(capsys.readouterr().out)
    candidates = [c for r in reports for c in r["candidates"]]
    assert all(isinstance(c["claim"], int) for c in candidates)
    by_claim: dict[int, list] = {}
    for c in candidates:
        by_claim.setdefault(c["claim"], []).append(c)
    # Candidates sharing a claim state the same stances for the same party.
    for members in by_claim.values():
        assert len({json.dumps(c["proposals"], sort_keys=True) for c in members}) == 1 or any(
            c["is_direct_quote"] for c in members
        )
    assert any(len(members) > 1 for members in by_claim.values())
    before = dict(Statement.objects.values_list("pk", "claim_id"))
    for article in Article.objects.all():
        claims_assign(article=article)
    assert dict(Statement.objects.values_list("pk", "claim_id")) == before


# -- sources -------------------------------------------------------------------------------


def test_merging_attaches_the_candidates_source_to_the_target(editor_user):
    russia = PartyFactory(slug="russia", name="Russia")
    target = StatementFactory(speaker=russia, article=ArticleFactory(outlet="AFP"))
    repeat = candidate(russia, 5)
    statement_merge(statement=repeat, into=target, reviewer=editor_user)
    [source] = target.sources.all()
    assert (source.article, source.span_start, source.candidate) == (
        repeat.article,
        repeat.span_start,
        repeat,
    )
    # Merging another candidate from the same article adds no second copy of it.
    again = candidate(russia, 6)
    again.article = repeat.article
    again.save()
    statement_merge(statement=again, into=target, reviewer=editor_user)
    assert target.sources.count() == 1


def test_a_wire_copy_that_dedupe_linked_stays_one_source(editor_user):
    russia = PartyFactory(slug="russia", name="Russia")
    original = ArticleFactory(outlet="AFP")
    copy = ArticleFactory(outlet="Regional Daily", duplicate_of=original)
    target = StatementFactory(speaker=russia, article=original, source_url="")
    repeat = candidate(russia, 5)
    repeat.article = copy
    repeat.save()
    statement_merge(statement=repeat, into=target, reviewer=editor_user)
    assert target.sources.count() == 0


# -- review and undo -----------------------------------------------------------------------


@pytest.fixture
def claim_of_three():
    russia = PartyFactory(slug="russia", name="Russia")
    ProposalFactory(slug="full", name="30-day full ceasefire")
    made = [candidate(russia, n, stances=[("full", "rejects")]) for n in range(3)]
    grouped(*made)
    return Claim.objects.get(pk=Statement.objects.get(pk=made[0].pk).claim_id)


def test_publish_with_edits_then_undo_leaves_the_claim_as_it_was(claim_of_three, editor_user):
    statements = list(claim_of_three.statements.order_by("pk"))
    version = claim_version(statements)
    texts = {s.pk: s.text for s in statements}
    review = claim_publish(
        claim=claim_of_three,
        reviewer=editor_user,
        version=version,
        changes={
            "text": "Russia refuses the full ceasefire.",
            "extraction": {
                "positions": [{"proposal": "full", "stance": "accepts_with_conditions"}],
                "conditions": [
                    {"proposal": "full", "category": "monitoring", "summary": "Monitoring"}
                ],
            },
        },
    )
    assert review.summary == (
        "Recorded: Russia — accepts with conditions — 30-day full ceasefire; 1 condition, "
        "18 Mar 2025, 3 sources"
    )
    assert Position.objects.get().stance == "accepts_with_conditions"
    assert Condition.objects.count() == 1

    undone = review_undo(record=review.undo, reviewer=editor_user)

    assert undone.action == "undone"
    for statement in claim_of_three.statements.all():
        assert statement.status == "candidate" and statement.merged_into is None
        assert statement.reviewed_by is None and statement.text == texts[statement.pk]
        assert statement.sources.count() == 0
    assert not Position.objects.exists() and not Condition.objects.exists()


def test_reject_and_merge_can_be_undone(claim_of_three, editor_user):
    review = claim_reject(claim=claim_of_three, reviewer=editor_user)
    assert review.summary.startswith("Rejected: Russia — rejects — 30-day full ceasefire")
    assert review.summary.endswith("(3 candidates)")
    assert set(claim_of_three.statements.values_list("status", flat=True)) == {"rejected"}
    review_undo(record=review.undo, reviewer=editor_user)
    assert set(claim_of_three.statements.values_list("status", flat=True)) == {"candidate"}

    target = StatementFactory(speaker=PartyFactory(slug="russia"), extraction={})
    review = claim_merge(claim=claim_of_three, into=target, reviewer=editor_user)
    target.refresh_from_db()
    assert target.sources.count() == 3 and target.extraction["positions"]
    assert Position.objects.filter(statement=target).count() == 1
    review_undo(record=review.undo, reviewer=editor_user)
    target.refresh_from_db()
    assert target.sources.count() == 0 and target.extraction == {}
    assert not Position.objects.filter(statement=target).exists()
    assert set(claim_of_three.statements.values_list("status", flat=True)) == {"candidate"}


def test_undo_is_refused_to_another_editor_too_late_or_after_a_change(claim_of_three, editor_user):
    review = claim_reject(claim=claim_of_three, reviewer=editor_user)
    with pytest.raises(ValidationError, match="Only the editor"):
        review_undo(record=review.undo, reviewer=editor(username="other"))
    stale = {**review.undo, "at": (BASE_TIME).isoformat()}
    with pytest.raises(ValidationError, match="Too late"):
        review_undo(record=stale, reviewer=editor_user)
    Statement.objects.filter(claim=claim_of_three).first().save()
    with pytest.raises(ValidationError, match="changed since"):
        review_undo(record=review.undo, reviewer=editor_user)


def test_a_second_editor_with_a_stale_page_gets_a_conflict_not_an_overwrite(
    claim_of_three, editor_user
):
    seen = claim_version(claim_of_three.statements.all())
    claim_publish(claim=claim_of_three, reviewer=editor_user, version=seen)
    with pytest.raises(ClaimChanged):
        claim_reject(claim=claim_of_three, reviewer=editor(username="second"), version=seen)
    assert claim_of_three.statements.filter(status="published").count() == 1
