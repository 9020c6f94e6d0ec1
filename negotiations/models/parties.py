from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from .base import ALIAS_HELP, TimeStamped, choices_check, parent_chain_returns


class PartyKind(models.TextChoices):
    STATE = "state", "State"
    GOVERNMENT = "government", "Government or institution"
    PERSON = "person", "Person"
    ALLIANCE = "alliance", "Alliance or bloc"
    ORGANISATION = "organisation", "International organisation"
    ARMED_GROUP = "armed_group", "Armed group"
    OTHER = "other", "Other"


class Party(TimeStamped):
    """Anyone who can take a position: a state, an institution, a person, a bloc."""

    Kind = PartyKind

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text="Who this party belongs to: person → government → state, state → alliance.",
    )
    title = models.CharField(
        max_length=200, blank=True, help_text="e.g. “President of Ukraine”, for a person."
    )
    aliases = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        help_text="Other names that find this party in text, comma-separated (Zelenskyy, Kyiv, …). "
        + ALIAS_HELP,
    )
    description = models.TextField(blank=True)
    own_column = models.BooleanField(
        "own column in the position matrix",
        default=False,
        help_text="For a government or a person: show its stances in a column of its own. "
        "Unticked, they roll up into its state or bloc's column, with its name beside them.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            choices_check("party_kind_valid", "kind", PartyKind),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="party_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("negotiations:party_detail", kwargs={"slug": self.slug})

    def ancestors(self) -> list["Party"]:
        """The chain of parents, nearest first; stops at a cycle rather than looping."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def clean(self) -> None:
        super().clean()
        if parent_chain_returns(self):
            raise ValidationError({"parent": "A party cannot be its own ancestor."})
