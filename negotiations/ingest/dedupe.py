"""Duplicate detection in layers: canonical URL, exact text hash, near-duplicate SimHash."""

import hashlib
import itertools
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that track a click, never select content.
TRACKING_PARAMS = {
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "ocid",
    "cmpid",
    "ref",
    "ref_src",
    "smid",
    "sr_share",
    "_ga",
    "_gl",
    "spm",
    "at_medium",
    "at_campaign",
    "taid",
    # Deutsche Welle tags every feed link with its campaign (maca=en-rss-…).
    "maca",
}
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")

SIGNATURE_BITS = 64
SHINGLE_WORDS = 3
# Hamming distance at or below which two texts are one story; tests/ingest/test_dedupe.py
# measures both sides of it (wire copies edited by outlets, and unrelated pages).
NEAR_DUPLICATE_DISTANCE = 10
# Too short a text gives a signature dominated by chance; such texts only match exactly.
NEAR_DUPLICATE_MIN_WORDS = 80

# The signature's 64 bits in three bands (offset, width), each indexed in PostgreSQL. Two
# signatures within NEAR_DUPLICATE_DISTANCE (10) differ in at most 3 bits of one band
# (pigeonhole), so looking up each band's values within 3 bits finds every near-duplicate
# from the indexes alone (multi-index hashing). Three bands rather than four keep the
# candidates few as the table grows: benchmarks/bench_dedupe.py measures the lookup.
SIGNATURE_BANDS = ((0, 22), (22, 21), (43, 21))
BAND_RADIUS = NEAR_DUPLICATE_DISTANCE // len(SIGNATURE_BANDS)

_WORD = re.compile(r"\w+", re.UNICODE)


def canonicalise_url(url: str, *, base: str = "") -> str:
    """A URL in the form we compare: tracking parameters, fragment and default port gone."""
    url = urljoin(base, url.strip()) if base else url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return url
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    if port and not (
        (parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)
    ):
        host = f"{host}:{port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((parts.scheme, host, parts.path or "/", urlencode(sorted(query)), ""))


def text_words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def content_hash(text: str) -> str:
    """Equal for texts that differ only in case, punctuation or whitespace."""
    return hashlib.sha256(" ".join(text_words(text)).encode()).hexdigest()


# Each byte value spread over eight 32-bit lanes, one per bit: summing these counts the
# set bits of every position at once, which keeps SimHash fast in pure Python.
_LANE = 32
_SPREAD = [sum(((b >> i) & 1) << (_LANE * i) for i in range(8)) for b in range(256)]


def simhash(text: str) -> int | None:
    """A 64-bit SimHash over word 3-shingles, as a signed integer (a PostgreSQL bigint).

    None for texts too short to compare by similarity.
    """
    words = text_words(text)
    if len(words) < NEAR_DUPLICATE_MIN_WORDS:
        return None
    digests = b"".join(
        hashlib.blake2b(" ".join(words[i : i + SHINGLE_WORDS]).encode(), digest_size=8).digest()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    )
    shingles = len(digests) // 8
    unsigned = 0
    for byte_index in range(8):
        packed = sum(map(_SPREAD.__getitem__, digests[byte_index::8]))
        for bit in range(8):
            ones = (packed >> (_LANE * bit)) & ((1 << _LANE) - 1)
            if 2 * ones > shingles:
                unsigned |= 1 << (8 * (7 - byte_index) + bit)
    return unsigned - (1 << 64) if unsigned >= 1 << 63 else unsigned


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def signature_band(signature: int, band: int) -> int:
    """One band of a signature as an unsigned number (as the database's generated column)."""
    offset, width = SIGNATURE_BANDS[band]
    return (signature >> offset) & ((1 << width) - 1)


def _masks(width: int, radius: int) -> list[int]:
    return [
        sum(1 << bit for bit in bits)
        for flips in range(radius + 1)
        for bits in itertools.combinations(range(width), flips)
    ]


_BAND_MASKS = [_masks(width, BAND_RADIUS) for _, width in SIGNATURE_BANDS]


def band_probes(signature: int) -> list[list[int]]:
    """For each band, the values within BAND_RADIUS bits of the signature's own."""
    return [
        [signature_band(signature, band) ^ mask for mask in masks]
        for band, masks in enumerate(_BAND_MASKS)
    ]


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on one registrable domain (news.bbc.co.uk and www.bbc.co.uk),
    by the Public Suffix List; hosts outside it (addresses, test names) must be equal."""
    from tld import get_fld

    def site(value: str) -> str:
        host = (urlsplit(value).hostname or "").rstrip(".")
        return get_fld(host, fix_protocol=True, fail_silently=True) or host

    try:
        return bool(site(url)) and site(url) == site(other)
    except ValueError:
        return False
