"""Signal receivers, connected in NegotiationsConfig.ready()."""

from .services.roles import roles_ensure

# Models whose deletions API clients learn about through /api/v1/ deletions.
SYNCED_MODELS = ("Party", "Proposal", "Position", "Condition", "Statement", "Event")


def create_roles(sender, **kwargs) -> None:
    roles_ensure(using=kwargs.get("using", "default"))


def record_tombstone(sender, instance, **kwargs) -> None:
    from .models import Tombstone

    Tombstone.objects.create(model=sender._meta.label_lower, object_id=str(instance.pk))
