from django.contrib.auth.models import Group, Permission

ANALYSTS = "Analysts"
EDITORS = "Editors"
LEAD_EDITORS = "Lead editors"
# Whom a lead editor may create or change: never a superuser, nor another lead editor.
GRANTED_BY_LEAD_EDITORS = (ANALYSTS, EDITORS)
# People management, on top of everything an editor may do.
LEAD_EDITOR_AUTH = ["view_user", "add_user", "change_user"]

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
    """Create the Analysts, Editors and Lead editors groups with their permissions; safe to
    repeat."""
    perms = Permission.objects.using(using).filter(content_type__app_label="negotiations")
    analysts, _ = Group.objects.using(using).get_or_create(name=ANALYSTS)
    analysts.permissions.set(perms.filter(codename__in=[f"view_{m}" for m in READ_MODELS]))
    editing = perms.filter(
        codename__in=[
            f"{action}_{m}" for m in EDIT_MODELS for action in ("view", "add", "change", "delete")
        ]
        # Tombstones are the sync record API clients rely on: editors only read them.
        + ["view_tombstone"]
    )
    editors, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    editors.permissions.set(editing)
    leads, _ = Group.objects.using(using).get_or_create(name=LEAD_EDITORS)
    people = Permission.objects.using(using).filter(
        content_type__app_label="auth", codename__in=LEAD_EDITOR_AUTH
    )
    leads.permissions.set([*editing, *people])
