"""Near-duplicate lookup as the library grows: `python -m benchmarks dedupe`.

The lookup an article makes before it is saved (`services.ingestion._near_duplicate`:
three indexed bands of the SimHash, then the Hamming distance on the few rows they find)
is timed with 1,000 and then 100,000 stored signatures, in the same run; the figure to
keep is the ratio, at most 2. For comparison, the full scan it replaced (the distance
computed on every stored signature) is timed at 100,000 as well.

Signatures are random 64-bit numbers, inserted with set-based SQL into a database of its
own (`<DATABASE_URL's name>_bench`, created and dropped here). Figures go to
bench-results/dedupe.json.
"""

import json
import random
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from benchmarks import in_bench_database

RESULTS = Path(settings.BASE_DIR) / "bench-results" / "dedupe.json"
SIZES = (1_000, 100_000)
PROBES = 300
ROUNDS = 2
TARGET_RATIO = 2.0


def store(count: int, *, start: int) -> None:
    """Add `count` originals with random signatures, as ingestion leaves them (two 32-bit
    halves: a double's 53 bits would leave the low bits, the first band, at zero)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO negotiations_article (
                created_at, updated_at, leased_by, url, canonical_url, feed_entry_id, outlet,
                title, author, text, content_hash, fetch_status, fetch_error, fetch_attempts,
                extractor, near_duplicate_signature, fetched_at, extracted_at)
            SELECT now(), now(), '', 'https://bench.example.org/' || i,
                   'https://bench.example.org/' || i, '', 'Bench', 'Story ' || i, '', '',
                   md5(i::text), 'fetched', '', 1, 'bench',
                   ((random() * 4294967296)::bigint << 32)
                       | (random() * 4294967296)::bigint, now(), now()
            FROM generate_series(%s, %s) AS i
            """,
            [start, start + count - 1],
        )
        # As autovacuum leaves a table between bursts of writes: statistics, visibility map.
        cursor.execute("VACUUM ANALYZE negotiations_article")


def time_lookups(lookup, probes: list[int]) -> float:
    """Median seconds of one lookup, over the probes (after a few to warm up)."""
    from negotiations.models import Article

    for signature in probes[:10]:
        lookup(Article(pk=0, near_duplicate_signature=signature))
    seconds = []
    for signature in probes:
        started = time.perf_counter()
        lookup(Article(pk=0, near_duplicate_signature=signature))
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def banded(article):
    from negotiations.services.ingestion import _near_duplicate

    return _near_duplicate(article)


def full_scan(article):
    """The lookup before the bands: the distance to every stored signature."""
    from django.db.models.expressions import RawSQL

    from negotiations.ingest.dedupe import NEAR_DUPLICATE_DISTANCE
    from negotiations.models import Article
    from negotiations.models.sources import ORIGINAL

    return (
        Article.objects.filter(ORIGINAL, near_duplicate_signature__isnull=False)
        .annotate(
            distance=RawSQL(
                "bit_count((near_duplicate_signature # %s)::bit(64))",
                (article.near_duplicate_signature,),
            )
        )
        .filter(distance__lte=NEAR_DUPLICATE_DISTANCE)
        .order_by("distance", "pk")
        .first()
    )


def measure() -> dict:
    """Small, large, small, large: a change in the machine's load during the run weighs on
    both sizes alike (each small round starts from an empty table, so its index is as
    shallow as a small library's)."""
    rng = random.Random(20261127)
    probes = [rng.getrandbits(64) - (1 << 63) for _ in range(PROBES)]
    timings: dict[int, list[float]] = {size: [] for size in SIZES}
    for _ in range(ROUNDS):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE negotiations_article CASCADE")
        stored = 0
        for size in SIZES:
            store(size - stored, start=stored + 1)
            stored = size
            timings[size].append(time_lookups(banded, probes))
    figures: dict = {
        "probes": PROBES,
        "rounds": ROUNDS,
        "median_ms": {size: round(statistics.mean(t) * 1000, 3) for size, t in timings.items()},
        "full_scan_ms_at_largest": round(time_lookups(full_scan, probes[:50]) * 1000, 3),
    }
    small, large = (figures["median_ms"][size] for size in SIZES)
    figures["ratio"] = round(large / small, 3)
    figures["target_ratio"] = TARGET_RATIO
    return figures


def main() -> None:
    figures = in_bench_database(measure)
    small, large = SIZES
    print(
        f"near-duplicate lookup, median of {PROBES} (mean of {ROUNDS} rounds): "
        f"{figures['median_ms'][small]} ms with {small:,} signatures, "
        f"{figures['median_ms'][large]} ms with {large:,}"
    )
    verdict = "ok" if figures["ratio"] <= TARGET_RATIO else "ABOVE TARGET"
    print(f"{large:,} / {small:,}: {figures['ratio']:.2f}× (target ≤ {TARGET_RATIO}×) {verdict}")
    print(f"the full scan it replaced, with {large:,}: {figures['full_scan_ms_at_largest']} ms")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2))
    print(f"saved to {RESULTS.relative_to(settings.BASE_DIR)}")
