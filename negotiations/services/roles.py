from django.contrib.auth.models import Group, Permission

ANALYSTS = "Analysts"
EDITORS = "Editors"

# What analysts may read; editors may also add, change and delete these and the sources.
READ_MODELS = [
    "conflict",
    "participation",
    "party",
    "proposal",
    "position",
    "condition",
    "statement",
    "event",
]
EDIT_MODELS = READ_MODELS + [
    "article",
    "feed",
    "candidatestatement",
    "suggestion",
    "suggestionevidence",
    "reextractionrun",
]


def roles_ensure(*, using: str = "default") -> None:
    """Create the Analysts and Editors groups with their permissions; safe to repeat."""
    perms = Permission.objects.using(using).filter(content_type__app_label="negotiations")
    analysts, _ = Group.objects.using(using).get_or_create(name=ANALYSTS)
    analysts.permissions.set(perms.filter(codename__in=[f"view_{m}" for m in READ_MODELS]))
    editors, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    editors.permissions.set(
        perms.filter(
            codename__in=[
                f"{action}_{m}"
                for m in EDIT_MODELS
                for action in ("view", "add", "change", "delete")
            ]
            # Tombstones are the sync record API clients rely on: editors only read them.
            + ["view_tombstone"]
        )
    )
