import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from negotiations.models import Article
from negotiations.services.ingestion import SourceError, ingest_source


def article_report(article: Article, *, read_before: bool = False) -> dict:
    """What `--json` prints for one article (the contract in DESIGN.md)."""
    statements = (
        article.statements.exclude(extractor__in=("manual", "scenario"))
        .select_related("speaker", "on_behalf_of", "conflict")
        .order_by("span_start", "pk")
    )
    return {
        "id": article.pk,
        "url": article.url,
        "title": article.title,
        "duplicate_of": article.duplicate_of_id,
        "status": article.fetch_status,
        "error": article.fetch_error,
        "read_before": read_before,
        "extracted_at": article.extracted_at.isoformat() if article.extracted_at else None,
        "extractor": article.extractor,
        "candidates": [
            {
                "id": s.pk,
                "status": s.status,
                "conflict": s.conflict.slug,
                # Candidates of one claim (other outlets' reports of it) share this id.
                "claim": s.claim_id,
                "speaker": s.speaker.slug,
                "on_behalf_of": s.on_behalf_of.slug if s.on_behalf_of_id else None,
                "text": s.text,
                "is_direct_quote": s.is_verbatim,
                "span": [s.span_start, s.span_end],
                "confidence": round(s.confidence, 3),
                "channel": s.channel,
                "proposals": [
                    {"slug": p.get("proposal"), "stance": p.get("stance")}
                    for p in (s.extraction or {}).get("positions", [])
                ],
                "conditions": (s.extraction or {}).get("conditions", []),
                "reasons": (s.extraction or {}).get("reasons", []),
                "supporting_spans": (s.extraction or {}).get("supporting_spans", []),
            }
            for s in statements
        ],
    }


class Command(BaseCommand):
    help = (
        "Ingest feeds and articles: SOURCE is a feed or article URL, or a local feed or "
        "article file. A feed URL is registered as a feed (as add_feed does). Without "
        "--sync the work goes to the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="SOURCE")
        parser.add_argument("--sync", action="store_true", help="Run the pipeline here.")
        parser.add_argument("--json", action="store_true", help="Print each article as JSON.")
        parser.add_argument(
            "--again",
            action="store_true",
            help="Extract an article read before again (its unreviewed candidates are "
            "replaced; reviewed statements are kept).",
        )

    def handle(self, *args, sources: list[str], sync: bool, json: bool, again: bool, **options):
        as_json = json
        started = timezone.now()
        on_terminal = sys.stderr.isatty()
        failures, reports = [], []
        for number, source in enumerate(sources, 1):

            def progress(done: int, total: int, number=number, source=source) -> None:
                sys.stderr.write(
                    f"\r[source {number}/{len(sources)}] {source[-50:]}: "
                    f"article {done}/{total}\x1b[K"
                )
                sys.stderr.flush()

            try:
                article_ids = ingest_source(
                    source=source,
                    sync=sync,
                    again=again,
                    progress=progress if on_terminal else None,
                )
            except SourceError as exc:
                failures.append(str(exc))
                self.stderr.write(f"error: {exc}")
                continue
            articles = Article.objects.filter(pk__in=article_ids).order_by("pk")
            if as_json:
                reports.extend(
                    article_report(a, read_before=self._read_before(a, started)) for a in articles
                )
            elif sync:
                for article in articles:
                    self.stdout.write(self._summary(article, started))
            else:
                self.stdout.write(f"{source}: queued ({len(article_ids)} article(s) so far).")
        if on_terminal:
            sys.stderr.write("\n")
        if as_json:
            self.stdout.write(_dumps(reports))
        if failures:
            raise CommandError(f"{len(failures)} of {len(sources)} source(s) failed.")

    @staticmethod
    def _read_before(article: Article, started) -> bool:
        return article.extracted_at is not None and article.extracted_at < started

    def _summary(self, article: Article, started) -> str:
        if article.duplicate_of_id:
            return f"article {article.pk}: duplicate of {article.duplicate_of_id} ({article.url})"
        if article.fetch_status == Article.FetchStatus.FAILED:
            return f"article {article.pk}: failed: {article.fetch_error} ({article.url})"
        count = article.statements.filter(status="candidate").count()
        summary = f"article {article.pk}: {count} candidate(s) ({article.title or article.url})"
        if self._read_before(article, started):
            summary += (
                f" — read before, on {article.extracted_at:%Y-%m-%d %H:%M} UTC; these are its "
                "current candidates (--again extracts it again)"
            )
        return summary


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
