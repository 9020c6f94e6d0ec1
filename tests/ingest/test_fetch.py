"""The guarded fetcher: timeouts, size caps, redirects, schemes and address checks.

All traffic goes to servers on 127.0.0.1; other addresses are simulated by replacing the
resolver, and the fetcher must refuse them before it opens a socket.
"""

import gzip
import socket
import threading
import time

import pytest

from negotiations.ingest.fetch import (
    BlockedURL,
    FetchTimeout,
    HTTPStatusError,
    TooLarge,
    address_is_public,
    fetch,
    parse_retry_after,
)

from .server import ConditionalRoute, Route

pytestmark = pytest.mark.django_db(databases=[])


class NoConnect:
    """Fail the test if any socket is connected at all."""

    def __init__(self, monkeypatch):
        self.attempts = []
        original = socket.socket.connect

        def connect(sock, address):
            self.attempts.append(address)
            return original(sock, address)

        monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "192.168.1.10", "224.0.0.1", "fec0::1"],
)
def test_a_host_resolving_to_a_non_public_address_is_refused_before_connecting(
    fake_dns, monkeypatch, address
):
    fake_dns["news.example.test"] = [address]
    spy = NoConnect(monkeypatch)
    with pytest.raises(BlockedURL, match="non-public address"):
        fetch("http://news.example.test/feed.xml", max_bytes=1000)
    assert spy.attempts == []


def test_a_literal_loopback_url_is_refused_unless_allow_listed(server, settings):
    server.routes["/feed.xml"] = Route(b"<rss/>")
    with pytest.raises(BlockedURL):
        fetch(server.url("/feed.xml"), max_bytes=1000)
    assert server.hits("/feed.xml") == 0

    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{server.port}"]
    assert fetch(server.url("/feed.xml"), max_bytes=1000).body == b"<rss/>"


def test_an_allowed_network_admits_its_addresses(server, settings, fake_dns):
    fake_dns["feeds.internal.test"] = ["127.0.0.1"]
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    server.routes["/a"] = Route(b"ok")
    url = f"http://feeds.internal.test:{server.port}/a"
    assert fetch(url, max_bytes=100).body == b"ok"


def test_one_bad_address_among_several_refuses_the_host(fake_dns, monkeypatch):
    # DNS answering with a public and a private address must not be a way in.
    fake_dns["mixed.example.test"] = ["93.184.216.34", "10.0.0.1"]
    spy = NoConnect(monkeypatch)
    with pytest.raises(BlockedURL):
        fetch("http://mixed.example.test/", max_bytes=100)
    assert spy.attempts == []


def test_the_address_actually_connected_to_is_checked(server, settings, fake_dns, monkeypatch):
    """If the socket ends up talking to a non-public peer, the fetch is refused."""
    fake_dns["public.example.test"] = ["93.184.216.34"]
    server.routes["/"] = Route(b"secret")
    # Simulate a connection that lands elsewhere than the address that was checked.
    original_connect = socket.socket.connect
    monkeypatch.setattr(
        socket.socket,
        "connect",
        lambda sock, address: original_connect(sock, ("127.0.0.1", server.port)),
    )
    with pytest.raises(BlockedURL, match="127.0.0.1"):
        fetch(f"http://public.example.test:{server.port}/", max_bytes=100)


@pytest.mark.parametrize("target", ["10.0.0.1", "169.254.169.254", "127.0.0.1", "::1"])
def test_a_redirect_to_a_non_public_address_is_refused(allow_server, fake_dns, target):
    fake_dns["internal.example.test"] = [target]
    allow_server.routes["/moved"] = Route(
        status=302, headers={"Location": "http://internal.example.test:8049/latest/meta-data/"}
    )
    with pytest.raises(BlockedURL, match="non-public"):
        fetch(allow_server.url("/moved"), max_bytes=1000)


def test_a_redirect_to_another_local_port_is_checked_again(allow_server):
    # The allow-list names the test server's port only.
    allow_server.routes["/moved"] = Route(
        status=301, headers={"Location": "http://127.0.0.1:1/elsewhere"}
    )
    with pytest.raises(BlockedURL):
        fetch(allow_server.url("/moved"), max_bytes=1000)


def test_redirects_are_followed_up_to_five(allow_server):
    for hop in range(6):
        allow_server.routes[f"/r{hop}"] = Route(status=302, headers={"Location": f"/r{hop + 1}"})
    allow_server.routes["/r5"] = Route(b"arrived")
    allow_server.routes["/r6"] = Route(b"too far")
    assert fetch(allow_server.url("/r0"), max_bytes=100).body == b"arrived"
    assert fetch(allow_server.url("/r0"), max_bytes=100).url == allow_server.url("/r5")
    allow_server.routes["/r5"] = Route(status=302, headers={"Location": "/r6"})
    with pytest.raises(BlockedURL, match="more than 5 redirects"):
        fetch(allow_server.url("/r0"), max_bytes=100)
    assert allow_server.hits("/r6") == 0


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/feed", "gopher://x/", "javascript:alert(1)"]
)
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(BlockedURL, match="only http and https"):
        fetch(url, max_bytes=100)


def test_a_redirect_to_a_file_url_is_refused(allow_server):
    allow_server.routes["/moved"] = Route(status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(BlockedURL, match="only http and https"):
        fetch(allow_server.url("/moved"), max_bytes=100)


class Endless(Route):
    """Headers, then a body that never ends (chunk after chunk)."""

    def __init__(self, *, pause: float = 0.0):
        super().__init__()
        self.pause = pause
        self.sent = 0

    def handle(self, handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.end_headers()
        try:
            while True:
                handler.wfile.write(b"<item>never ending</item>" * 40)
                handler.wfile.flush()
                self.sent += 1
                time.sleep(self.pause)
        except (BrokenPipeError, ConnectionResetError):
            pass


def test_a_response_that_never_ends_is_cut_off_by_the_total_timeout(allow_server):
    allow_server.routes["/slow"] = Endless(pause=0.05)
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetch(allow_server.url("/slow"), max_bytes=10**9, total_timeout=1.0, read_timeout=5)
    assert time.monotonic() - started < 10


def test_a_server_that_stops_sending_hits_the_read_timeout(allow_server):
    class Silent(Route):
        def handle(self, handler):
            handler.send_response(200)
            handler.send_header("Content-Length", "100")
            handler.end_headers()
            time.sleep(3)

    allow_server.routes["/silent"] = Silent()
    with pytest.raises(FetchTimeout):
        fetch(allow_server.url("/silent"), max_bytes=1000, read_timeout=0.5)


def test_an_endless_fast_body_meets_the_size_cap(allow_server):
    endless = Endless()
    allow_server.routes["/huge"] = endless
    with pytest.raises(TooLarge):
        fetch(allow_server.url("/huge"), max_bytes=5 * 1024 * 1024)


class FiftyMegabytes(Route):
    def __init__(self, *, declare_length: bool):
        super().__init__()
        self.declare_length = declare_length
        self.sent = 0

    def handle(self, handler):
        handler.send_response(200)
        if self.declare_length:
            handler.send_header("Content-Length", str(50 * 1024 * 1024))
        handler.end_headers()
        block = b"x" * (1024 * 1024)
        try:
            for _ in range(50):
                handler.wfile.write(block)
                self.sent += len(block)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.mark.parametrize("declare_length", [True, False])
def test_a_fifty_megabyte_body_is_refused_without_reading_it_all(allow_server, declare_length):
    big = FiftyMegabytes(declare_length=declare_length)
    allow_server.routes["/big"] = big
    with pytest.raises(TooLarge):
        fetch(allow_server.url("/big"), max_bytes=10 * 1024 * 1024)


def test_the_cap_counts_decompressed_bytes(allow_server):
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))
    allow_server.routes["/bomb"] = Route(bomb, headers={"Content-Encoding": "gzip"})
    assert len(bomb) < 100 * 1024
    with pytest.raises(TooLarge):
        fetch(allow_server.url("/bomb"), max_bytes=5 * 1024 * 1024)


def test_conditional_get_sends_validators_and_reports_304(allow_server):
    allow_server.routes["/feed"] = ConditionalRoute(b"<rss/>", headers={"ETag": '"v1"'})
    first = fetch(allow_server.url("/feed"), max_bytes=100)
    assert (first.status, first.etag, first.body) == (200, '"v1"', b"<rss/>")
    second = fetch(allow_server.url("/feed"), max_bytes=100, etag=first.etag)
    assert second.not_modified and second.body == b""


@pytest.mark.parametrize(
    ("status", "transient"), [(404, False), (410, False), (429, True), (500, True), (503, True)]
)
def test_http_errors_say_whether_they_are_worth_retrying(allow_server, status, transient):
    allow_server.routes["/x"] = Route(b"", status=status, headers={"Retry-After": "120"})
    with pytest.raises(HTTPStatusError) as caught:
        fetch(allow_server.url("/x"), max_bytes=100)
    assert caught.value.status == status
    assert caught.value.transient is transient
    assert caught.value.retry_after == 120


def test_retry_after_accepts_an_http_date():
    in_a_minute = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 60))
    assert 50 <= parse_retry_after(in_a_minute) <= 61
    assert parse_retry_after("soon") is None


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("fec0::1", False),
        ("::ffff:127.0.0.1", False),
        ("0.0.0.0", False),
        ("240.0.0.1", False),
        ("100.64.0.1", False),
    ],
)
def test_public_addresses_are_told_from_the_rest(address, public):
    assert address_is_public(address) is public


class Trickle(Route):
    """A byte at a time, each well within the read timeout: headers, or the body. Gives up
    after `seconds`; `cut_off` tells whether the client hung up first."""

    def __init__(self, *, in_headers: bool, seconds: float = 6.0, pause: float = 0.05):
        super().__init__()
        self.in_headers = in_headers
        self.seconds = seconds
        self.pause = pause
        self.cut_off = False
        self.finished = threading.Event()

    def handle(self, handler):
        stop = time.monotonic() + self.seconds
        try:
            if self.in_headers:
                handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            else:
                handler.send_response(200)
                handler.end_headers()
            while time.monotonic() < stop:
                handler.wfile.write(b"a")
                handler.wfile.flush()
                time.sleep(self.pause)
            if self.in_headers:
                handler.wfile.write(b"\r\nContent-Length: 2\r\n\r\nok")
            handler.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            self.cut_off = True
        finally:
            self.finished.set()


@pytest.mark.parametrize("in_headers", [True, False])
def test_a_trickling_server_is_cut_at_the_total_deadline(allow_server, in_headers):
    """Every byte arrives within the read timeout; only a real total deadline hangs up
    before the server is done (checking the clock between reads waits for it)."""
    trickle = Trickle(in_headers=in_headers)
    allow_server.routes["/trickle"] = trickle
    with pytest.raises(FetchTimeout, match="total time"):
        fetch(allow_server.url("/trickle"), max_bytes=10**6, total_timeout=0.5, read_timeout=2)
    assert trickle.finished.wait(30)
    assert trickle.cut_off


def test_an_internationalised_host_is_fetched_by_its_ascii_name(allow_server, settings, fake_dns):
    fake_dns["xn--bcher-kva.example.test"] = ["127.0.0.1"]
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    allow_server.routes["/neu/%C3%BCber.xml"] = Route(b"<rss/>")
    url = f"http://bücher.example.test:{allow_server.port}/neu/über.xml"
    assert fetch(url, max_bytes=100).body == b"<rss/>"
    host = allow_server.requests[-1][1]["Host"]
    assert host == f"xn--bcher-kva.example.test:{allow_server.port}"


def test_an_impossible_host_name_is_refused_with_a_reason():
    with pytest.raises(BlockedURL, match="internationalised"):
        fetch("http://" + "ü" * 70 + ".example/", max_bytes=100)
