# Owned by the analysts' timeline work (search vector, indexes for the timeline).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("negotiations", "0001_initial")]

    operations = []
