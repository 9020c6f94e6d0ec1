"""Django's cache on Redis, keyed by what readers see, and HTTP validators from the same.

Every key carries the content versions (negotiations.models.ContentVersion, moved by
database triggers), so a change anywhere makes what it touches stale at once and nothing
has to be deleted. A rendered item is keyed by its own updated_at and the catalog version
only: publishing one statement leaves every other rendered item cached.

The cache is a help, never a need: when Redis cannot be reached, pages are built as if
nothing were cached (and the failure is logged once per request).
"""

import dataclasses
import datetime
import functools
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

logger = logging.getLogger(__name__)

# Cached entries expire anyway after a day: versions change, old keys are simply unused.
TIMEOUT = 24 * 3600


@dataclasses.dataclass(frozen=True)
class Versions:
    content: str
    catalog: str
    changed_at: datetime.datetime

    @property
    def token(self) -> str:
        return f"{self.content}.{self.catalog}"


def _token(counter: int, moment: datetime.datetime) -> str:
    # The moment too: a counter alone would repeat after a rolled-back transaction.
    return f"{counter}-{moment.timestamp():.6f}"


def current_versions() -> Versions | None:
    """The versions now, or None when they are unknown (then nothing is cached)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, counter, changed_at FROM negotiations_contentversion")
        rows = {name: (counter, moment) for name, counter, moment in cursor.fetchall()}
    if "content" not in rows or "catalog" not in rows:
        return None
    return Versions(
        content=_token(*rows["content"]),
        catalog=_token(*rows["catalog"]),
        changed_at=max(rows["content"][1], rows["catalog"][1]),
    )


def versions_for(request) -> Versions | None:
    """The versions, read once per request."""
    if not hasattr(request, "_content_versions"):
        request._content_versions = current_versions()
    return request._content_versions


def key(*parts) -> str:
    """A short cache key from any parts (filters, cursors and versions included)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts[1:])).encode(), digest_size=16)
    return f"{parts[0]}:{digest.hexdigest()}"


def get_many(keys: list[str]) -> dict:
    if not keys:
        return {}
    try:
        return cache.get_many(keys)
    except Exception:  # noqa: BLE001 - any failure of the cache means "not cached"
        logger.warning("cache unavailable; building without it", exc_info=True)
        return {}


def set_many(values: dict) -> None:
    if not values:
        return
    try:
        cache.set_many(values, timeout=TIMEOUT)
    except Exception:  # noqa: BLE001
        logger.warning("cache unavailable; not storing", exc_info=True)


def cached(cache_key: str | None, build):
    """The cached value under `cache_key`, or `build()` stored there (None: no caching)."""
    if cache_key is None:
        return build()
    found = get_many([cache_key])
    if cache_key in found:
        return found[cache_key]
    value = build()
    set_many({cache_key: value})
    return value


class Batch:
    """Several cached values read in one round trip and the missing ones written in one:
    a page asks for all its pieces at once. A key of None is never cached."""

    def __init__(self, keys):
        self.found = get_many([k for k in keys if k])
        self.fresh: dict = {}

    def get(self, cache_key: str | None, build):
        if cache_key is not None and cache_key in self.found:
            return self.found[cache_key]
        value = build()
        if cache_key is not None:
            self.found[cache_key] = self.fresh[cache_key] = value
        return value

    def save(self) -> None:
        set_many(self.fresh)


# -- conditional GET -----------------------------------------------------------------------


def validators(request) -> tuple[str, datetime.datetime] | None:
    """The ETag and Last-Modified of this request's response: the same URL (scheme, host,
    path and query) at the same versions gives the same body."""
    versions = versions_for(request)
    if versions is None:
        return None
    limits = (settings.EXPORT_MAX_ITEMS, settings.ATOM_MAX_ITEMS)  # they shape the bodies
    tag = key("etag", versions.token, request.build_absolute_uri(), limits).split(":")[1]
    return f'"{tag}"', versions.changed_at


def _not_modified_or_cached(request):
    found = validators(request)
    if found is None:
        return None
    etag, last_modified = found
    request._validators = found
    response = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp())
    )
    if response is not None:
        return response
    body = get_many([f"response:{etag}"]).get(f"response:{etag}")
    if body is not None:
        content, headers = body
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        return response
    return None


# A streamed body is kept for the next caller only up to this size; a larger export is
# streamed again (its validators still answer 304 to a client that has it).
KEEP_STREAMED_MAX_BYTES = 4 * 1024 * 1024
KEPT_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "X-Export-Limit",
    "X-Export-Truncated",
)


def with_validators(response, request):
    """Give a 200 its ETag and Last-Modified, and keep its body for the next caller. The
    validators come from the versions read before the body was built, so a streamed body
    gets them too, before its first byte."""
    found = getattr(request, "_validators", None)
    if found is None or response.status_code != 200:
        return response
    etag, last_modified = found
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    # Private: a body may be for readers only; shared caches must not keep it.
    response["Cache-Control"] = "private, no-cache"
    kept = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    if response.streaming:
        response.streaming_content = _kept_once_streamed(
            response.streaming_content, f"response:{etag}", kept
        )
    else:
        set_many({f"response:{etag}": (response.content, kept)})
    return response


def _kept_once_streamed(chunks, cache_key: str, headers: dict):
    """The chunks as they come; the whole body kept once the last one is sent, when small
    enough. A stream that ends early (the client went away) keeps nothing."""
    body, size = [], 0
    for chunk in chunks:
        if body is not None:
            size += len(chunk)
            if size <= KEEP_STREAMED_MAX_BYTES:
                body.append(chunk)
            else:
                body = None
        yield chunk
    if body is not None:
        set_many({cache_key: (b"".join(body), headers)})


def conditional(view):
    """Conditional GET for a view whose body depends only on its URL and the versions
    (exports, the Atom feed): 304 when the client has it, the cached body when another
    reader fetched it, the view otherwise. Put it after the access check."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        early = _not_modified_or_cached(request)
        if early is not None:
            return early
        return with_validators(view(request, *args, **kwargs), request)

    return wrapper


def conditional_operation(operation):
    """The same for an API operation: django-ninja runs it after authentication, and the
    URL wrapper `add_validators` finishes the response that ninja builds from its result."""

    @functools.wraps(operation)
    def wrapper(request, *args, **kwargs):
        early = _not_modified_or_cached(request)
        if early is not None:
            return early
        return operation(request, *args, **kwargs)

    return wrapper


def add_validators(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return with_validators(view(request, *args, **kwargs), request)

    return wrapper
