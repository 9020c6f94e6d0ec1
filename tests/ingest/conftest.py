from pathlib import Path

import pytest

from .server import LocalServer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.fixture
def server():
    with LocalServer() as running:
        yield running


@pytest.fixture
def allow_server(settings, server):
    """Name the local test server in the fetch allow-list, as deployments name a host."""
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{server.port}"]
    return server


@pytest.fixture
def fake_dns(monkeypatch):
    """Make host names resolve where a test says, without touching the real resolver."""
    table: dict[str, list[str]] = {}

    def resolve(host, port):
        if host in table:
            return table[host]
        if host in ("127.0.0.1", "::1"):
            return [host]
        raise OSError(f"test resolver: unknown host {host}")

    monkeypatch.setattr("negotiations.ingest.fetch.resolve", resolve)
    return table
