"""Bounded, guarded HTTP fetching for feeds and article pages.

Built on urllib3 (already installed as a dependency of our stack) rather than requests or
httpx: it streams bodies so the size cap holds while reading, it lets us replace the one
method that opens the socket — so the address check happens on the address actually
connected to, after DNS, with no window for rebinding — and it never reads proxy settings
from the environment, which would route around that check.

Every hop of a redirect chain goes through the same check. Only http and https.

The total time allowed is enforced by a watchdog that shuts the sockets of the fetch down
when it is up: a server that trickles a byte at a time keeps every single read within its
timeout, so checking the clock between reads cannot cut it off.
"""

import contextlib
import contextvars
import dataclasses
import ipaddress
import socket
import threading
import time
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError as Urllib3Error

FEED_MAX_BYTES = 5 * 1024 * 1024
PAGE_MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
TOTAL_TIMEOUT = 30.0
CHUNK = 64 * 1024
USER_AGENT = "CeasefireTracker/1.0 (+https://github.com/ceasefire-tracker)"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# Statuses worth trying again later; everything else 4xx is the source's final answer.
TRANSIENT_STATUSES = {408, 425, 429, 500, 502, 503, 504}


class FetchError(Exception):
    """A fetch that did not produce a usable response. `transient`: worth retrying."""

    transient = False

    def __init__(self, message: str, *, status: int | None = None, retry_after=None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after  # seconds, from a Retry-After header


class BlockedURL(FetchError):
    """A scheme, host or address that we refuse to connect to."""


class TooLarge(FetchError):
    """The body exceeds the size cap."""


class FetchTimeout(FetchError):
    transient = True


class ConnectionFailed(FetchError):
    transient = True


class HTTPStatusError(FetchError):
    def __init__(self, message: str, *, status: int, retry_after=None):
        super().__init__(message, status=status, retry_after=retry_after)
        self.transient = status in TRANSIENT_STATUSES


@dataclasses.dataclass(frozen=True)
class FetchResult:
    url: str  # after redirects
    status: int  # 200 or 304
    body: bytes
    content_type: str
    etag: str
    last_modified: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def resolve(host: str, port: int) -> list[str]:
    """Addresses for a host name; tests replace this to simulate DNS."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _allowed_networks() -> list:
    return [ipaddress.ip_network(n, strict=False) for n in settings.FETCH_ALLOWED_NETWORKS]


def _named_in_allow_list(host: str, port: int) -> bool:
    names = {entry.lower() for entry in settings.FETCH_ALLOWED_HOSTS}
    return host.lower() in names or f"{host.lower()}:{port}" in names


def address_is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        # fec0::/10: deprecated site-local, still routed inside some networks, and
        # `is_global` in Python because IANA no longer lists it as special.
        or (ip.version == 6 and ip.is_site_local)
    )


def check_address(address: str, *, host: str, port: int) -> None:
    """Refuse a non-public address unless the allow-list names the host or the network."""
    if address_is_public(address) or _named_in_allow_list(host, port):
        return
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if any(ip in network for network in _allowed_networks()):
        return
    raise BlockedURL(f"{host} resolves to {address}, a non-public address; refused")


class _Deadline:
    """The end of one fetch's total time: shuts its sockets down then, wherever it blocks."""

    def __init__(self, seconds: float):
        self.expires = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return max(0.001, self.expires - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self):
        self._token = _CURRENT_DEADLINE.set(self)
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        _CURRENT_DEADLINE.reset(self._token)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # a blocked recv returns at once
    except OSError:
        pass  # already closed


_CURRENT_DEADLINE: contextvars.ContextVar[_Deadline | None] = contextvars.ContextVar(
    "fetch_deadline", default=None
)


class _GuardedConnectionMixin:
    """Resolve, check, and connect to exactly the address that was checked."""

    def _new_conn(self) -> socket.socket:
        host, port = self._dns_host, self.port
        deadline = _CURRENT_DEADLINE.get()
        try:
            addresses = resolve(host, port)
        except OSError as exc:
            raise ConnectionFailed(f"cannot resolve {host}: {exc}") from exc
        if not addresses:
            raise ConnectionFailed(f"{host} has no address")
        for address in addresses:
            check_address(address, host=host, port=port)
        last_error: OSError | None = None
        for address in addresses:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            # Never blocking: without a number from urllib3, our own connect timeout.
            timeout = self.timeout if isinstance(self.timeout, (int, float)) else None
            timeout = timeout or CONNECT_TIMEOUT
            sock.settimeout(min(timeout, deadline.remaining()) if deadline else timeout)
            if deadline is not None:
                deadline.watch(sock)
            try:
                sock.connect((address, port))
                # The peer we are talking to, not the one we meant to reach.
                check_address(sock.getpeername()[0], host=host, port=port)
            except TimeoutError as exc:
                sock.close()
                raise FetchTimeout(f"connecting to {host} timed out") from exc
            except OSError as exc:
                sock.close()
                last_error = exc
                continue
            except BlockedURL:
                sock.close()
                raise
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        raise ConnectionFailed(f"cannot connect to {host}: {last_error}")


class GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL we may fetch, the host in its ASCII (IDNA) form;
    BlockedURL otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BlockedURL(f"malformed URL {url!r}") from exc
    if parts.scheme not in ("http", "https"):
        raise BlockedURL(f"only http and https URLs are fetched, not {parts.scheme or 'none'!r}")
    if not parts.hostname:
        raise BlockedURL(f"URL without a host: {url!r}")
    if parts.username or parts.password:
        raise BlockedURL("URLs carrying credentials are not fetched")
    default_port = 443 if parts.scheme == "https" else 80
    return parts.scheme, ascii_host(parts.hostname), port or default_port


def ascii_host(host: str) -> str:
    """An internationalised host name as DNS and HTTP carry it (bücher.de → xn--bcher-kva.de)."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise BlockedURL(f"the host name {host!r} is not a valid internationalised name") from exc


def request_target(url: str) -> str:
    """Path and query of a URL for the request line: non-ASCII characters percent-encoded,
    existing escapes kept."""
    target = urlsplit(url)._replace(scheme="", netloc="", fragment="").geturl() or "/"
    return quote(target, safe="/%:@!$&'()*+,;=?~-._")


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait, from either form of Retry-After (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - time.time())


@contextlib.contextmanager
def _as_fetch_errors(where: str):
    """urllib3's and the socket's exceptions, as ours (transient: worth a retry)."""
    try:
        yield
    except FetchError:
        raise
    except urllib3.exceptions.TimeoutError as exc:
        raise FetchTimeout(f"{where}: timed out") from exc
    except (Urllib3Error, OSError) as exc:
        raise ConnectionFailed(f"{where}: {exc}") from exc


def fetch(
    url: str,
    *,
    max_bytes: int,
    etag: str = "",
    last_modified: str = "",
    accept: str = "*/*",
    total_timeout: float = TOTAL_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
    connect_timeout: float = CONNECT_TIMEOUT,
) -> FetchResult:
    """GET a URL within the limits; FetchError (or a subclass) on any refusal or failure."""
    with _Deadline(total_timeout) as deadline:
        try:
            return _fetch(
                url,
                max_bytes=max_bytes,
                etag=etag,
                last_modified=last_modified,
                accept=accept,
                read_timeout=read_timeout,
                connect_timeout=connect_timeout,
                deadline=deadline,
            )
        except FetchError:
            if deadline.expired:
                raise FetchTimeout("the response took longer than the total time allowed") from None
            raise


def _fetch(
    url: str,
    *,
    max_bytes: int,
    etag: str,
    last_modified: str,
    accept: str,
    read_timeout: float,
    connect_timeout: float,
    deadline: _Deadline,
) -> FetchResult:
    headers = {"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port = check_url(url)
        pool_cls = GuardedHTTPSConnectionPool if scheme == "https" else GuardedHTTPConnectionPool
        timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        with _as_fetch_errors(host):
            pool = pool_cls(host, port, maxsize=1, timeout=timeout, retries=False)
        try:
            path = request_target(url)
            with _as_fetch_errors(host):
                response = pool.urlopen(
                    "GET",
                    path,
                    headers=headers,
                    redirect=False,
                    retries=False,
                    preload_content=False,
                    assert_same_host=False,
                )
            try:
                if response.status in REDIRECT_STATUSES:
                    location = response.headers.get("Location")
                    if not location:
                        raise HTTPStatusError(
                            f"redirect {response.status} without a Location",
                            status=response.status,
                        )
                    url = urljoin(url, location.strip())
                    continue
                return _read_response(response, url=url, max_bytes=max_bytes, deadline=deadline)
            finally:
                response.release_conn()
                response.close()
        finally:
            pool.close()
    raise BlockedURL(f"more than {MAX_REDIRECTS} redirects")


def _read_response(response, *, url: str, max_bytes: int, deadline: _Deadline) -> FetchResult:
    content_type = response.headers.get("Content-Type", "")
    etag = response.headers.get("ETag", "")[:500]
    last_modified = response.headers.get("Last-Modified", "")[:100]
    if response.status == 304:
        return FetchResult(url, 304, b"", content_type, etag, last_modified)
    if response.status != 200:
        raise HTTPStatusError(
            f"HTTP {response.status}",
            status=response.status,
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"body of {int(declared)} bytes exceeds the {max_bytes}-byte cap")
    chunks, size = [], 0
    with _as_fetch_errors(url):
        for chunk in response.stream(CHUNK, decode_content=True):
            size += len(chunk)
            # Counted after decompression, so a small gzip bomb meets the same cap.
            if size > max_bytes:
                raise TooLarge(f"body exceeds the {max_bytes}-byte cap")
            chunks.append(chunk)
    if deadline.expired:  # the watchdog's shutdown reads as the end of the body
        raise FetchTimeout("the response took longer than the total time allowed")
    return FetchResult(url, 200, b"".join(chunks), content_type, etag, last_modified)
