import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from negotiations.ingest.evaluation import SPLITS, CorpusError, evaluate_split
from negotiations.ingest.extract import EXTRACTOR_VERSION, Gazetteers
from negotiations.services.scenario import shipped_scenarios

COLUMNS = [
    ("candidates", "cands", "{:>5}"),
    ("precision", "prec", "{:>5}"),
    ("statement_recall", "stmt", "{:>5}"),
    ("stance_recall", "stnc", "{:>5}"),
    ("stance_accuracy", "acc", "{:>5}"),
    ("condition_recall", "cond", "{:>5}"),
    ("verbatim_exactness", "verb", "{:>5}"),
    ("repeats", "rep", "{:>4}"),
]


def _cell(value) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


class Command(BaseCommand):
    # Reads files only: no database, so no system checks (some of which query it).
    requires_system_checks = []
    help = (
        "Measure statement extraction on the corpus of real reports (tests/data/reports/) "
        "against its gold, with the gazetteer of the shipped scenario files: per report and "
        "micro-averaged per split. Writes the same figures as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--split", action="append", choices=SPLITS, help="A split (default: both)."
        )
        parser.add_argument(
            "--json",
            type=Path,
            default=Path("eval-results/extraction.json"),
            help="Where to write the figures (default: %(default)s).",
        )
        parser.add_argument(
            "--misses",
            type=int,
            default=0,
            metavar="N",
            help="Also print up to N misses of each kind (use on the dev split only: the "
            "frozen split's sentences are not read while rules change).",
        )

    def handle(self, *args, split, json: Path, misses: int, **options):
        gazetteers = Gazetteers.from_scenarios(shipped_scenarios())
        results = {"extractor": EXTRACTOR_VERSION, "splits": {}}
        for name in split or SPLITS:
            try:
                result = evaluate_split(name, gazetteers)
            except CorpusError as exc:
                raise CommandError(str(exc)) from exc
            results["splits"][name] = result
            self._table(result)
            if misses:
                self._misses(result, misses)
        json.parent.mkdir(parents=True, exist_ok=True)
        json.write_text(_dumps(results) + "\n", encoding="utf-8")
        self.stdout.write(f"Figures written to {json}.")

    def _table(self, result: dict) -> None:
        head = "".join(f"{label:>6}" for _, label, _ in COLUMNS)
        self.stdout.write(
            f"\n{result['split']} split, {result['reports']} reports ({EXTRACTOR_VERSION})"
        )
        self.stdout.write(f"{'report':<52}{head}")
        rows = result["per_report"] + [{"report": "ALL (micro-averaged)", **result["total"]}]
        for row in rows:
            cells = "".join(f"{_cell(row[key]):>6}" for key, _, _ in COLUMNS)
            self.stdout.write(f"{row['report'][:51]:<52}{cells}")

    def _misses(self, result: dict, limit: int) -> None:
        by_kind: dict[str, list[dict]] = {}
        for miss in result["misses"]:
            by_kind.setdefault(miss["kind"], []).append(miss)
        for kind, found in sorted(by_kind.items()):
            self.stdout.write(f"\n{kind}: {len(found)}")
            for miss in found[:limit]:
                self.stdout.write(f"  [{miss['report']}] {miss['detail']}")


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False, indent=2)
