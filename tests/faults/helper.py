"""Run by the fault suite in a process of its own, against the suite's own database:
`python -m tests.faults.helper create URL…`, `reset`, `report`."""

import json
import os
import sys

import django


def main(command: str, args: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.faults.settings")
    django.setup()
    from django.db import transaction

    from negotiations.models import Article
    from negotiations.services.ingestion import articles_enqueue

    if command == "create":
        with transaction.atomic():
            ids = [Article.objects.create(url=url, canonical_url=url).pk for url in args]
            articles_enqueue(article_ids=ids)
        print(json.dumps(ids))
    elif command == "reset":
        Article.objects.update(duplicate_of=None)
        Article.objects.all().delete()
    elif command == "report":
        rows = Article.objects.values_list(
            "pk", "url", "fetch_status", "duplicate_of_id", "extracted_at", "fetch_error"
        )
        print(json.dumps([[*row[:4], row[4] is not None, row[5]] for row in rows]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
