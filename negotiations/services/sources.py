"""A hand-entered statement's source: an editor gives the URL, the worker fills in the rest."""

import logging

from ..ingest.articles import ArticleParseError, extract_article
from ..ingest.fetch import PAGE_MAX_BYTES, FetchError, fetch
from ..models import Statement
from .ingestion import PAGE_ACCEPT

logger = logging.getLogger(__name__)


def statement_source_fill(*, statement_id: int) -> bool:
    """Fill a statement's blank source outlet and title from its source page.

    The page is fetched outside any transaction, with the ingestion fetcher's limits; only
    fields still blank are written, so an editor's own words always win. Returns whether
    anything was filled; a page that cannot be read leaves the statement as it is.
    """
    statement = (
        Statement.objects.filter(pk=statement_id, article__isnull=True)
        .exclude(source_url="")
        .only("source_url", "source_outlet", "source_title")
        .first()
    )
    if statement is None or (statement.source_outlet and statement.source_title):
        return False
    try:
        response = fetch(statement.source_url, max_bytes=PAGE_MAX_BYTES, accept=PAGE_ACCEPT)
        page = extract_article(response.body, url=response.url)
    except (FetchError, ArticleParseError) as exc:
        logger.info("source of statement %s not read: %s", statement_id, exc)
        return False
    filled = 0
    for field, value in (("source_outlet", page.outlet), ("source_title", page.title)):
        if value:
            filled += Statement.objects.filter(pk=statement_id, **{field: ""}).update(
                **{field: value[: Statement._meta.get_field(field).max_length]}
            )
    return filled > 0
