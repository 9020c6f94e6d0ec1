"""The production recipe serves through idle connections and keeps tokens out of its logs.

gunicorn runs here as the Dockerfile and docker-compose.yml run it (config/gunicorn.conf.py,
production settings), behind Debian's nginx with the compose file's proxy configuration
(deploy/nginx/ceasefire.conf.template), each on a free loopback port.
"""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.own_services import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "ceasefire.conf.template"

IDLE_CONNECTIONS = 200
# The recipe answers in milliseconds; this only tells an answer from a hang (sync workers
# never answered while two idle connections were open) on a loaded machine.
PATIENCE = 10.0


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "serving-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"]
    with log.open("w") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own fixed argv
            [*command, "--access-logfile", str(log)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wait_for_port(port, proc, log)
    yield port, log
    proc.terminate()
    proc.wait(30)


def wait_for_port(port: int, proc, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise AssertionError(f"{proc.args[0]} did not start:\n{log.read_text()}") from None
            time.sleep(0.2)


@pytest.fixture
def proxy(gunicorn, tmp_path):
    """nginx with the compose file's configuration, in front of the gunicorn above."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is needed (scripts/ensure-nginx.sh installs Debian's)")
    upstream_port, _ = gunicorn
    port = free_port()
    site = TEMPLATE.read_text()
    site = site.replace("${WEB_UPSTREAM}", f"127.0.0.1:{upstream_port}")
    site = site.replace("${LISTEN_PORT}", f"127.0.0.1:{port}")
    log = tmp_path / "proxy.log"
    site = site.replace("access_log /dev/stdout ceasefire;", f"access_log {log} ceasefire;")
    (tmp_path / "site.conf").write_text(site)
    # What the official image's nginx.conf gives around the included site, minimally.
    (tmp_path / "nginx.conf").write_text(
        f"""pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    include {tmp_path}/site.conf;
}}
"""
    )
    proc = subprocess.Popen(  # noqa: S603 - our own fixed argv
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, proc, tmp_path / "error.log")
    yield port, log
    proc.terminate()
    proc.wait(30)


def get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=PATIENCE)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_the_site_answers_while_200_connections_sit_idle(proxy):
    port, _ = proxy
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(IDLE_CONNECTIONS)]
    try:
        started = time.monotonic()
        response = get(port, "/healthz")
        elapsed = time.monotonic() - started
        print(f"\n/healthz through the proxy, {IDLE_CONNECTIONS} idle: {elapsed:.3f} s")
        assert response.status in (200, 503)  # answered; what it says is not the point here
    finally:
        for sock in idle:
            sock.close()


def test_the_access_logs_keep_no_token(gunicorn, proxy):
    port, proxy_log = proxy
    _, web_log = gunicorn
    get(port, "/feed.atom?token=personal-secret-token&q=truce")
    for log in (proxy_log, web_log):
        deadline = time.monotonic() + PATIENCE
        while "/feed.atom" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)  # each writes its line once the response is sent
        assert "/feed.atom" in log.read_text()
        assert "personal-secret-token" not in log.read_text()
