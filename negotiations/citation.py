"""How a statement or an event cites its source: one home for the outlet, the title and
the link, used by the pages, the API, the exports and the feed alike."""

import dataclasses
from urllib.parse import urlsplit

from .ingest.dedupe import canonicalise_url


@dataclasses.dataclass(frozen=True)
class Citation:
    outlet: str
    title: str
    # As recorded: a web address, or an identifier such as the seed report's urn:.
    url: str

    @property
    def web_url(self) -> str:
        """The address a reader can open, without tracking parameters; "" when the source
        is not on the web (a seed report, a local file)."""
        if not self.url.startswith(("https://", "http://")):
            return ""
        return canonicalise_url(self.url)

    @property
    def outlet_key(self) -> str:
        """Who published it, for counting outlets: two stories of one outlet count once."""
        return (self.outlet or urlsplit(self.url).netloc or self.url).casefold()

    def line(self) -> str:
        """Outlet and title in one line of plain text."""
        title = self.title or "untitled"
        return f"{self.outlet}, {title}" if self.outlet else title


def cite(obj) -> Citation:
    """The citation of a statement or an event (its stored article, or the URL entered)."""
    article = obj.article if obj.article_id else None
    return Citation(
        outlet=(article.outlet if article else "") or obj.source_outlet,
        title=(article.title if article else "") or obj.source_title,
        url=obj.source_link or "",
    )


def sources_of(statement) -> list[Citation]:
    """Every source of a statement, its primary one first, then each corroborating outlet's
    report (`statement.sources`, prefetched by the selectors)."""
    return [cite(statement), *(cite(source) for source in statement.sources.all())]


def outlet_count(citations: list[Citation]) -> int:
    """How many outlets reported it: two stories of one outlet count once."""
    return len({citation.outlet_key for citation in citations})
