from django.db import models


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


def choices_check(name: str, field: str, choices) -> models.CheckConstraint:
    """A database check that `field` holds one of `choices` (a TextChoices class)."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name)


def parent_chain_returns(obj: models.Model) -> bool:
    """Whether following `parent` up from `obj` leads back to `obj` (it would be its own
    ancestor); stops at any other cycle instead of looping."""
    node, seen = obj.parent, set()
    while node is not None and node.pk not in seen:
        if obj.pk is not None and node.pk == obj.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


# How the extractor matches an alias (negotiations.ingest.extract.Gazetteer), for editors.
ALIAS_HELP = (
    "Matching: whole words only; an alias with a capital letter matches with exactly that "
    "case (“US” is not “us”), one in lower case matches in any case; hyphens, spaces and "
    "apostrophes match any of their kind; at one place the longest alias wins. A proposal's "
    "aliases are its conflict's: a mention qualified by another conflict's place (“a "
    "ceasefire in Gaza”) moves to that conflict, by an untracked place to none. Preview "
    "which sentences of recent articles an alias finds before saving."
)
