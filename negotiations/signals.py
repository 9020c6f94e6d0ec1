"""Signal receivers, connected in NegotiationsConfig.ready()."""

import contextlib
import contextvars
import functools

from .services.roles import roles_ensure

# Models whose deletions API clients learn about through /api/v1/ deletions.
SYNCED_MODELS = (
    "Conflict",
    "Participation",
    "Party",
    "Proposal",
    "Position",
    "Condition",
    "Statement",
    "Event",
)


def create_roles(sender, **kwargs) -> None:
    roles_ensure(using=kwargs.get("using", "default"))


def record_tombstone(sender, instance, **kwargs) -> None:
    from .models import Statement, Tombstone

    if (
        isinstance(instance, Statement)
        and instance.status != Statement.Status.PUBLISHED
        and instance.first_published_at is None
    ):
        return  # a candidate no API client ever saw: nothing to tell them
    Tombstone.objects.create(model=sender._meta.label_lower, object_id=str(instance.pk))


# -- the gazetteer changed: extract the affected articles again -----------------------------

# What, of each record, the extractor reads.
GAZETTEER_FIELDS = {
    "Party": ("name", "aliases", "parent_id", "kind"),
    "Proposal": ("name", "aliases", "parent_id", "conflict_id"),
    "Conflict": ("places",),
    "Participation": ("side", "party_id", "conflict_id"),
}


def _gazetteer_state(instance) -> dict:
    return {f: getattr(instance, f) for f in GAZETTEER_FIELDS[type(instance).__name__]}


def remember_gazetteer_state(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        instance._gazetteer_before = None
        return
    before = type(instance).objects.filter(pk=instance.pk).first()
    instance._gazetteer_before = _gazetteer_state(before) if before is not None else None


def _phrases(instance, state: dict | None) -> tuple[set[str], int | None]:
    """The words in text that this record (as it is or was) makes the extractor see."""
    from .models import Party

    name = type(instance).__name__
    if name == "Conflict":
        return set(instance.places) | set((state or {}).get("places") or ()), instance.pk
    if name == "Participation":
        party_ids = {instance.party_id, (state or {}).get("party_id")} - {None}
        phrases = set()
        # The party and everyone below it now count for the conflict (or stop counting).
        frontier = set(party_ids)
        while frontier:
            rows = list(Party.objects.filter(pk__in=frontier).values("pk", "name", "aliases"))
            for row in rows:
                phrases |= {row["name"], *row["aliases"]}
            frontier = (
                set(Party.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
                - party_ids
            )
            party_ids |= frontier
        return phrases, instance.conflict_id
    phrases = {instance.name, *instance.aliases}
    if state:
        phrases |= {state["name"], *(state["aliases"] or ())}
    return phrases, getattr(instance, "conflict_id", None)


def gazetteer_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_gazetteer_before", None)
    if not created and before is not None and before == _gazetteer_state(instance):
        return  # nothing the extractor reads has changed
    _schedule(instance, before, "added" if created else "changed")


def gazetteer_deleted(sender, instance, **kwargs) -> None:
    _schedule(instance, None, "deleted")


# Set while a service schedules the re-extraction itself (accepting a suggestion).
_muted = contextvars.ContextVar("gazetteer_signals_muted", default=False)


@contextlib.contextmanager
def gazetteer_signals_muted():
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def _schedule(instance, before, what: str) -> None:
    from django.db import transaction

    if _muted.get():
        return

    from .services.gazetteer import reextraction_schedule_safely

    phrases, conflict_id = _phrases(instance, before)
    label = type(instance)._meta.verbose_name
    transaction.on_commit(
        functools.partial(
            reextraction_schedule_safely,
            reason=f"{label.capitalize()} {what}: {instance}"[:300],
            phrases=sorted(p for p in phrases if p),
            conflict_id=conflict_id if type(instance).__name__ != "Party" else None,
        )
    )
