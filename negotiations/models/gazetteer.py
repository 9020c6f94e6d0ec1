"""How the gazetteer grows: suggestions from the news, and the re-extraction they cause."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from .base import TimeStamped, choices_check
from .parties import PartyKind
from .proposals import ProposalKind


class SuggestionKind(models.TextChoices):
    PROPOSAL = "proposal", "Proposal (a named truce, deal, plan or round of talks)"
    PARTY = "party", "Party (a titled official of a tracked party)"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class Suggestion(TimeStamped):
    """Something the worker read that no tracked record covers, for an editor to decide.

    One per conflict, kind and normalised phrase: seeing it again adds evidence, and a
    dismissed suggestion stays dismissed.
    """

    Kind = SuggestionKind
    Status = SuggestionStatus

    conflict = models.ForeignKey("Conflict", on_delete=models.CASCADE, related_name="suggestions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=200, help_text="The phrase, normalised: what makes it one.")
    phrase = models.CharField(max_length=200, help_text="The phrase as first seen.")
    name = models.CharField(max_length=200, help_text="The name the record would get.")
    aliases = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    proposal_kind = models.CharField(max_length=30, choices=ProposalKind.choices, blank=True)
    party_kind = models.CharField(max_length=20, choices=PartyKind.choices, blank=True)
    title = models.CharField(max_length=200, blank=True, help_text="For a person: their title.")
    parent_party = models.ForeignKey(
        "Party",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For a party: whom the title ties them to.",
    )
    parent_proposal = models.ForeignKey(
        "Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For a proposal: the broader proposal it is part of, if any.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_party = models.ForeignKey(
        "Party", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_proposal = models.ForeignKey(
        "Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["status", "-updated_at"]
        constraints = [
            choices_check("suggestion_kind_valid", "kind", SuggestionKind),
            choices_check("suggestion_status_valid", "status", SuggestionStatus),
            models.UniqueConstraint(
                fields=["conflict", "kind", "key"], name="suggestion_once_per_conflict"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display().split(' (')[0]}: {self.name}"


class SuggestionEvidence(models.Model):
    """One sentence of one article where a suggestion's phrase occurs."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="evidence")
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="+")
    sentence = models.TextField()
    span_start = models.PositiveIntegerField()
    span_end = models.PositiveIntegerField()
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["suggestion", "article", "span_start"]
        verbose_name_plural = "suggestion evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "article", "span_start"], name="suggestion_evidence_once"
            )
        ]

    def __str__(self) -> str:
        return self.sentence[:80]


class ReextractionRun(models.Model):
    """A batch of articles to extract again, and why; its articles point at it until done."""

    reason = models.CharField(max_length=300)
    conflict = models.ForeignKey(
        "Conflict", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.PositiveIntegerField(default=0)
    created_candidates = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "re-extraction"
        verbose_name_plural = "re-extractions"

    def __str__(self) -> str:
        return f"{self.reason} ({self.started_at:%Y-%m-%d %H:%M})"
