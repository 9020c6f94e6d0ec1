"""The timeline under load: `python -m benchmarks timeline` (part of `make bench`).

Seeds 200,000 statements (and events) with set-based SQL into the database named by
DATABASE_URL, starts gunicorn (production settings, 2 sync workers) on a loopback port,
drives it with a small closed-loop load generator on loopback, and reports median and p95
latency for the first page, a page 5,000 items deep, a text search, a filtered page and
the API's timeline, each as a ratio to a trivial view measured in the same run: once with
the cache on Redis as served, once without any cache. Then a mixed load: 50 clients for
60 s over the first page, the deep page, the search and the API. Figures go to
bench-results/timeline.json.

The rows go to a database of their own, never the development one: BENCH_DATABASE_URL, or
DATABASE_URL's database name with "_timeline_bench" appended. It is kept between runs, so
a second run skips the seeding.
"""

import http.client
import json
import os
import secrets
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
# gunicorn's sync workers, as production runs them (Dockerfile), two as in the issue.
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
MIXED_CLIENTS = int(os.environ.get("BENCH_MIXED_CLIENTS", "50"))
MIXED_SECONDS = float(os.environ.get("BENCH_MIXED_SECONDS", "60"))
MIXED_TARGET = 150
DEEP = 5000
SEARCH = "refinery grid"
TARGETS = {"first": 10.0, "deep": 1.5, "search": 3.0}

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
        "api": "/api/v1/timeline?limit=50",
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


def _start_server(port: int, database_url: str, *, cache: bool) -> subprocess.Popen:
    """gunicorn as production runs it (production settings, sync workers, WhiteNoise),
    on loopback, with a cache key prefix of its own so that every run starts cold."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CEASEFIRE_PUBLIC_READ": "true",
        "DJANGO_DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "CEASEFIRE_CACHE": "true" if cache else "false",
        "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(6)}",
    }
    return subprocess.Popen(  # noqa: S603 - a fixed argv, no shell
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )


def _collectstatic() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    subprocess.run(  # noqa: S603 - a fixed argv, no shell
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def _latencies(port: int, urls: dict[str, str]) -> dict:
    results = {}
    for name, path in urls.items():
        _drive(port, path, requests=WARMUP, concurrency=CONCURRENCY)
        latencies = _drive(port, path, requests=REQUESTS, concurrency=CONCURRENCY)
        results[name] = {
            "path": path if len(path) < 80 else path[:77] + "...",
            "requests": len(latencies),
            "median_ms": round(statistics.median(latencies) * 1000, 2),
            "p95_ms": round(_percentile(latencies, 0.95) * 1000, 2),
        }
    trivial, first = results["trivial"], results["first"]
    for figures in results.values():
        figures["median_vs_trivial"] = round(figures["median_ms"] / trivial["median_ms"], 2)
        figures["p95_vs_trivial"] = round(figures["p95_ms"] / trivial["p95_ms"], 2)
        figures["median_vs_first"] = round(figures["median_ms"] / first["median_ms"], 2)
    return results


def _mixed_load(port: int, paths: list[str], *, clients: int, seconds: float) -> dict:
    """`clients` closed-loop clients for `seconds`, each taking the next of `paths` in turn:
    throughput, latency and every error (a status other than 200, or no answer)."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    turn = [0]

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                path = paths[turn[0] % len(paths)]
                turn[0] += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    errors.append(f"{path}: {exc!r}")
                continue
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors.append(f"{path}: {status}")
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "errors": len(errors),
        "first_errors": errors[:5],
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1) if latencies else None,
    }


def _print_latencies(title: str, results: dict) -> None:
    print(title)
    print(f"{'view':<10}{'median ms':>11}{'p95 ms':>9}{'×trivial':>10}{'×first':>8}")
    for name, figures in results.items():
        print(
            f"{name:<10}{figures['median_ms']:>11.2f}{figures['p95_ms']:>9.2f}"
            f"{figures['median_vs_trivial']:>10.2f}{figures['median_vs_first']:>8.2f}"
        )


def main() -> None:
    database_url = _use_bench_database()
    urls = _prepare()
    _collectstatic()
    report: dict = {
        "statements": STATEMENTS,
        "requests_per_view": REQUESTS,
        "concurrency": CONCURRENCY,
        "gunicorn_workers": WORKERS,
    }
    for cache in (True, False):
        port = _free_port()
        server = _start_server(port, database_url, cache=cache)
        try:
            _wait_until_up(port, server)
            results = _latencies(port, urls)
            mixed = None
            if cache:
                paths = [urls["first"], urls["deep"], urls["search"], urls["api"]]
                for path in paths:  # as a reader would have, each seen once before
                    _drive(port, path, requests=2, concurrency=1)
                mixed = _mixed_load(port, paths, clients=MIXED_CLIENTS, seconds=MIXED_SECONDS)
        finally:
            server.terminate()
            server.wait(timeout=30)
        report["cached" if cache else "uncached"] = {"results": results, "mixed": mixed}

    cached = report["cached"]["results"]
    verdicts = {
        "first": (cached["first"]["median_vs_trivial"], TARGETS["first"], "× trivial"),
        "deep": (cached["deep"]["median_vs_first"], TARGETS["deep"], "× first page"),
        "search": (cached["search"]["median_vs_first"], TARGETS["search"], "× first page"),
    }
    mixed = report["cached"]["mixed"]
    report["targets"] = {
        name: {"ratio": ratio, "target": limit, "met": ratio <= limit}
        for name, (ratio, limit, _) in verdicts.items()
    }
    report["targets"]["mixed_load"] = {
        "requests_per_second": mixed["requests_per_second"],
        "errors": mixed["errors"],
        "target": MIXED_TARGET,
        "met": mixed["requests_per_second"] >= MIXED_TARGET and mixed["errors"] == 0,
    }
    _print_latencies("with the cache (Redis), as served:", cached)
    _print_latencies(
        "without any cache (every page built from scratch):", report["uncached"]["results"]
    )
    print(
        f"mixed load, {mixed['clients']} clients for {mixed['seconds']} s on {WORKERS} "
        f"gunicorn workers (first page, deep page, search, API): "
        f"{mixed['requests_per_second']} requests/s, {mixed['errors']} errors, "
        f"median {mixed['median_ms']} ms, p95 {mixed['p95_ms']} ms"
    )
    for name, (ratio, limit, unit) in verdicts.items():
        state = "met" if ratio <= limit else "MISSED"
        print(f"target {name} ≤ {limit}{unit}: {ratio}{unit} {state}")
    state = "met" if report["targets"]["mixed_load"]["met"] else "MISSED"
    print(
        f"target mixed load ≥ {MIXED_TARGET} requests/s with 0 errors: "
        f"{mixed['requests_per_second']}/s, {mixed['errors']} errors {state}"
    )
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "timeline.json").write_text(json.dumps(report, indent=2))
    print(f"written to {out / 'timeline.json'}")
