# Owned by the ingestion work (feeds, articles, candidate statements).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("negotiations", "0002_timeline")]

    operations = []
