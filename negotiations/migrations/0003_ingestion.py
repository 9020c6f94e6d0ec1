# Owned by the ingestion work (feeds, articles, candidate statements).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("negotiations", "0002_timeline")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="extractor",
            field=models.CharField(
                blank=True,
                help_text="The extractor version its candidates came from.",
                max_length=50,
            ),
        ),
        migrations.AddField(
            model_name="feed",
            name="last_status_code",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Of the last poll that got a response.",
                null=True,
                verbose_name="last HTTP status",
            ),
        ),
    ]
