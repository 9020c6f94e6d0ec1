"""The timeline under load: `python -m benchmarks timeline` (part of `make bench`).

Seeds 200,000 statements (and events) with set-based SQL into the database named by
DATABASE_URL, starts gunicorn on a loopback port, drives it with a small closed-loop load
generator on loopback, and reports median and p95 latency for the first page, a page
5,000 items deep, a text search and a filtered page, each as a ratio to a trivial view
measured in the same run. Figures go to bench-results/timeline.json.

The rows go to a database of their own, never the development one: BENCH_DATABASE_URL, or
DATABASE_URL's database name with "_timeline_bench" appended. It is kept between runs, so
a second run skips the seeding.
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
STATEMENTS = int(os.environ.get("BENCH_STATEMENTS", "200000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
WARMUP = 20
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", str(os.cpu_count() or 2)))
DEEP = 5000
SEARCH = "refinery grid"
TARGETS = {"deep": 1.5, "search": 3.0}

# Words that statements are made of. Early words are drawn far more often than late ones,
# so that the benchmark search (two late words) matches about one row in a hundred.
VOCABULARY = (
    "ceasefire talks truce the of and a to in said would on energy infrastructure strikes "
    "front line proposal accept reject conditions military aid intelligence sharing "
    "monitoring mobilisation troops region negotiations delegation call statement "
    "president minister spokesperson agreement violation shelling drone attack port "
    "grain corridor prisoners exchange humanitarian pause sanctions guarantees refinery "
    "substation grid pipeline nuclear plant inspectors observers withdrawal"
).split()


def seed_timeline(
    cursor,
    *,
    statements: int,
    party_ids: list[int],
    proposal_ids: list[int],
    conflict_ids: list[int],
):
    """Add `statements` statements (nine in ten published), an event per twenty, and a
    position per ten published statements, with set-based SQL: seconds, not minutes.

    The search-vector trigger fills search_vector as rows arrive, as it does in production.
    """
    cursor.execute(
        """
        INSERT INTO negotiations_statement (
            created_at, updated_at, source_url, source_outlet, source_title, occurred_at,
            channel, text, is_verbatim, status, confidence, extractor, extraction,
            speaker_id, on_behalf_of_id, conflict_id)
        SELECT now(), now(), 'https://bench.example.org/' || i, 'Bench Wire',
               'Bench report ' || i,
               timestamptz '2025-03-18 12:00Z' - i * interval '7 minutes',
               (ARRAY['call_readout','social_media','press_conference','interview',
                      'official_statement'])[1 + i %% 5],
               (SELECT string_agg((%(words)s::text[])[1 + floor(
                    %(n_words)s * power((abs(hashtext(i || '-' || k)) %% 1000) / 1000.0, 2)
                )::int], ' ')
                FROM generate_series(1, 14) AS k),
               i %% 3 = 0,
               CASE WHEN i %% 10 = 0 THEN 'candidate' ELSE 'published' END,
               1.0, 'bench', '{}'::jsonb,
               (%(parties)s::bigint[])[1 + i %% array_length(%(parties)s::bigint[], 1)],
               NULL,
               (%(conflicts)s::bigint[])[1 + i %% array_length(%(conflicts)s::bigint[], 1)]
        FROM generate_series(1, %(n)s) AS i
        """,
        {
            "n": statements,
            "words": VOCABULARY,
            "n_words": len(VOCABULARY),
            "parties": party_ids,
            "conflicts": conflict_ids,
        },
    )
    cursor.execute(
        """
        INSERT INTO negotiations_event (created_at, updated_at, source_url, source_outlet,
            source_title, kind, title, description, occurred_at, conflict_id)
        SELECT now(), now(), 'https://bench.example.org/event/' || i, 'Bench Wire', '',
               (ARRAY['call','meeting','talks','strike','violation_claim'])[1 + i %% 5],
               'Bench event ' || i, 'Something happened near the front line',
               timestamptz '2025-03-18 12:00Z' - i * interval '140 minutes' + interval '1 minute',
               (%(conflicts)s::bigint[])[1 + i %% array_length(%(conflicts)s::bigint[], 1)]
        FROM generate_series(1, %(n)s) AS i
        """,
        {"n": statements // 20, "conflicts": conflict_ids},
    )
    cursor.execute(
        """
        INSERT INTO negotiations_position (proposal_id, party_id, stance, as_of, statement_id,
            note, created_at, updated_at)
        SELECT (%(proposals)s::bigint[])[1 + s.id %% array_length(%(proposals)s::bigint[], 1)],
               s.speaker_id,
               (ARRAY['supports','accepts','rejects','noncommittal'])[1 + s.id %% 4],
               s.occurred_at, s.id, '', now(), now()
        FROM negotiations_statement s
        WHERE s.extractor = 'bench' AND s.status = 'published' AND s.id %% 10 = 1
        ON CONFLICT DO NOTHING
        """,
        {"proposals": proposal_ids},
    )
    cursor.execute("ANALYZE negotiations_statement")
    cursor.execute("ANALYZE negotiations_event")
    cursor.execute("ANALYZE negotiations_position")


def _use_bench_database() -> str:
    """Point Django (and, through the returned URL, gunicorn) at the benchmark database."""
    import environ
    from django.db import connections

    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        current = connections["default"].settings_dict
        url = (
            f"postgres://{current['USER'] or ''}@{current['HOST'] or '127.0.0.1'}:"
            f"{current['PORT'] or 5432}/{current['NAME']}_timeline_bench"
        )
    connections["default"].close()
    connections["default"].settings_dict.update(environ.Env.db_url_config(url))
    return url


def _prepare() -> dict[str, str]:
    """Migrate, load the scenario, seed once; return the URLs to measure."""
    from django.core.management import call_command
    from django.db import connection

    from negotiations import selectors
    from negotiations.filters import TimelineFilters
    from negotiations.models import Conflict, Party, Proposal, Statement
    from negotiations.services.scenario import scenario_load

    call_command("ensure_database", verbosity=0)
    call_command("migrate", verbosity=0, interactive=False)
    scenario_load()
    seeded = Statement.objects.filter(extractor="bench").count()
    if seeded < STATEMENTS:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            seed_timeline(
                cursor,
                statements=STATEMENTS - seeded,
                party_ids=list(Party.objects.values_list("pk", flat=True)),
                proposal_ids=list(Proposal.objects.values_list("pk", flat=True)),
                conflict_ids=list(Conflict.objects.values_list("pk", flat=True)),
            )
        print(f"seeded {STATEMENTS - seeded} statements in {time.perf_counter() - started:.1f}s")
    deep = selectors.timeline_page(filters=TimelineFilters(), limit=DEEP)
    filtered = TimelineFilters(parties=("russia",), kinds=("statement",))
    return {
        "trivial": "/api/v1/",
        "first": "/",
        "deep": "/?" + urlencode({"cursor": deep.next_cursor}),
        "search": "/?" + urlencode({"q": SEARCH}),
        "filtered": "/?" + filtered.querystring(),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited before it was ready")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start within 30 seconds")


def _drive(port: int, path: str, *, requests: int, concurrency: int) -> list[float]:
    """A closed-loop load generator: `concurrency` keep-alive clients share `requests`."""
    latencies: list[float] = []
    lock = threading.Lock()
    remaining = [requests]
    failures: list[str] = []

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if remaining[0] == 0:
                    break
                remaining[0] -= 1
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                failures.append(f"{path} answered {response.status}")
                break
            with lock:
                latencies.append(elapsed)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(failures[0])
    return latencies


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    database_url = _use_bench_database()
    urls = _prepare()
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CEASEFIRE_PUBLIC_READ": "true",
        "DJANGO_DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local"),
    }
    server = subprocess.Popen(  # noqa: S603 - a fixed argv, no shell
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(CONCURRENCY),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    results = {}
    try:
        _wait_until_up(port, server)
        for name, path in urls.items():
            _drive(port, path, requests=WARMUP, concurrency=CONCURRENCY)
            latencies = _drive(port, path, requests=REQUESTS, concurrency=CONCURRENCY)
            results[name] = {
                "path": path if len(path) < 80 else path[:77] + "...",
                "requests": len(latencies),
                "median_ms": round(statistics.median(latencies) * 1000, 2),
                "p95_ms": round(_percentile(latencies, 0.95) * 1000, 2),
            }
    finally:
        server.terminate()
        server.wait(timeout=30)

    trivial, first = results["trivial"], results["first"]
    for figures in results.values():
        figures["median_vs_trivial"] = round(figures["median_ms"] / trivial["median_ms"], 2)
        figures["p95_vs_trivial"] = round(figures["p95_ms"] / trivial["p95_ms"], 2)
        figures["median_vs_first"] = round(figures["median_ms"] / first["median_ms"], 2)
    verdicts = {
        name: {
            "median_vs_first": results[name]["median_vs_first"],
            "target": limit,
            "met": results[name]["median_vs_first"] <= limit,
        }
        for name, limit in TARGETS.items()
    }
    print(f"{'view':<10}{'median ms':>11}{'p95 ms':>9}{'×trivial':>10}{'×first':>8}")
    for name, figures in results.items():
        print(
            f"{name:<10}{figures['median_ms']:>11.2f}{figures['p95_ms']:>9.2f}"
            f"{figures['median_vs_trivial']:>10.2f}{figures['median_vs_first']:>8.2f}"
        )
    for name, verdict in verdicts.items():
        state = "met" if verdict["met"] else "MISSED"
        ratio = verdict["median_vs_first"]
        print(f"target {name} ≤ {verdict['target']}× first page: {ratio}× {state}")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "timeline.json").write_text(
        json.dumps(
            {
                "statements": STATEMENTS,
                "requests_per_view": REQUESTS,
                "concurrency": CONCURRENCY,
                "results": results,
                "targets": verdicts,
            },
            indent=2,
        )
    )
    print(f"written to {out / 'timeline.json'}")
