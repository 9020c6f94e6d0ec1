"""One claim, many sources: what several outlets report as the same statement."""

from django.db import models

from .base import TimeStamped
from .statements import SourceFields, has_source, span_ordered


class Claim(TimeStamped):
    """The review unit: candidates from one or several articles that state the same thing.

    Candidates join a claim as they are extracted (services.claims); publishing the claim
    publishes one of them as the statement, with the others' articles as its sources.
    """

    conflict = models.ForeignKey("Conflict", on_delete=models.CASCADE, related_name="claims")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Claim {self.pk}"


class StatementSource(SourceFields, TimeStamped):
    """A corroborating source of a published statement: another outlet's report of it.

    The statement's own article (or URL) is its primary source; these are the others.
    """

    statement = models.ForeignKey("Statement", on_delete=models.CASCADE, related_name="sources")
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    candidate = models.ForeignKey(
        "Statement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The candidate this source came from, if any.",
    )

    class Meta:
        ordering = ["statement", "id"]
        constraints = [
            has_source("statementsource"),
            models.UniqueConstraint(
                fields=["statement", "article"],
                condition=models.Q(article__isnull=False),
                name="statementsource_article_once",
            ),
            models.UniqueConstraint(
                fields=["statement", "source_url"],
                condition=~models.Q(source_url=""),
                name="statementsource_url_once",
            ),
            span_ordered("statementsource"),
        ]

    def __str__(self) -> str:
        outlet = self.article.outlet if self.article_id else self.source_outlet
        return f"{outlet or self.source_link} for statement {self.statement_id}"
