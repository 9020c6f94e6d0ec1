# Everything recorded before conflicts existed was about the war in Ukraine: it moves into a
# "Russia–Ukraine war" conflict, and every top-level party that appears in it takes part,
# each on a side of its own (which is how the extractor told sides apart until now). An
# editor or the scenario file then sets the real roles and sides.
from django.db import migrations

SLUG = "russia-ukraine"


def forwards(apps, schema_editor):
    Conflict = apps.get_model("negotiations", "Conflict")
    Participation = apps.get_model("negotiations", "Participation")
    Party = apps.get_model("negotiations", "Party")
    Proposal = apps.get_model("negotiations", "Proposal")
    Statement = apps.get_model("negotiations", "Statement")
    Event = apps.get_model("negotiations", "Event")
    if not (Proposal.objects.exists() or Statement.objects.exists() or Event.objects.exists()):
        return
    conflict, _ = Conflict.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": "Russia–Ukraine war",
            "summary": "Negotiations on a ceasefire in Russia's war against Ukraine.",
            "places": ["Ukraine", "Black Sea", "Crimea", "Donbas", "Kursk"],
        },
    )
    Proposal.objects.filter(conflict__isnull=True).update(conflict=conflict)
    Statement.objects.filter(conflict__isnull=True).update(conflict=conflict)
    Event.objects.filter(conflict__isnull=True).update(conflict=conflict)
    parent_of = dict(Party.objects.values_list("pk", "parent_id"))

    def root(pk):
        seen = set()
        while parent_of.get(pk) is not None and pk not in seen:
            seen.add(pk)
            pk = parent_of[pk]
        return pk

    for party in Party.objects.filter(pk__in={root(pk) for pk in parent_of}):
        Participation.objects.get_or_create(
            conflict=conflict,
            party=party,
            defaults={
                "role": "observer",
                "side": party.slug,
                "note": "Set when conflicts were introduced; check the role and the side.",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("negotiations", "0004_conflicts")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
