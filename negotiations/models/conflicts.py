from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from .base import TimeStamped, choices_check


class Conflict(TimeStamped):
    """One peace process: the scope of its proposals, events, conditions and statements."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    places = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        help_text="Names that place a mention in this conflict (Kashmir, Black Sea, Gaza…), "
        "comma-separated. A ceasefire named with one of another conflict's places belongs to "
        "that conflict; with a place no conflict lists, to none.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="conflict_dates_ordered",
                violation_error_message="A conflict cannot end before it starts.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("negotiations:conflict_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "A conflict cannot end before it starts."})


class ParticipationRole(models.TextChoices):
    BELLIGERENT = "belligerent", "Belligerent"
    MEDIATOR = "mediator", "Mediator"
    GUARANTOR = "guarantor", "Guarantor"
    SUPPORTER = "supporter", "Supporter"
    OBSERVER = "observer", "Observer"


class Participation(TimeStamped):
    """How a party takes part in a conflict: its role and its side there.

    Parties are global (the United States mediates in several conflicts); a party counts
    for a conflict only through a participation of its own or of one of its ancestors
    (Putin through the Kremlin through Russia), and takes that participation's side.
    """

    Role = ParticipationRole

    conflict = models.ForeignKey(Conflict, on_delete=models.CASCADE, related_name="participations")
    party = models.ForeignKey("Party", on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=20, choices=Role.choices)
    side = models.SlugField(
        max_length=80,
        help_text="Which side of this conflict the party is on, as a short name shared by "
        "the parties on that side (e.g. “ukraine”, “mediators”).",
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["conflict", "side", "party__name"]
        constraints = [
            choices_check("participation_role_valid", "role", ParticipationRole),
            models.UniqueConstraint(
                fields=["conflict", "party"],
                name="participation_once_per_conflict",
                violation_error_message="This party already takes part in this conflict.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} in {self.conflict}: {self.get_role_display().lower()} ({self.side})"
