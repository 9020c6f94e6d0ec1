"""Benchmarks: `make bench` runs every benchmarks/bench_*.py module's main()."""


def in_bench_database(measure):
    """`measure()` in a database of its own (`<DATABASE_URL's name>_bench`), created with
    the migrations and dropped afterwards: never the development one, never the suite's."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    database = connection.settings_dict
    database.setdefault("TEST", {})["NAME"] = f"{database['NAME']}_bench"
    state = setup_databases(verbosity=0, interactive=False)
    try:
        return measure()
    finally:
        connection.close()
        teardown_databases(state, verbosity=0)
