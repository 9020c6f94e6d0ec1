"""The Atom feed of a timeline filter, on django.contrib.syndication.

A feed reader cannot sign in, so the timeline links a personal address that carries a
signed token (negotiations.reader_tokens); the feed opens as that reader and grants no more.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from .access import feed_token_accepted, reader_required
from .api.schemas import item_record
from .caching import conditional
from .exports import describe, export_filters, export_of
from .filters import TimelineFilters
from .reader_tokens import Purpose, token_for


def atom_url(request, filters: TimelineFilters) -> str:
    """The Atom address of this filter, personal for a signed-in reader."""
    params = filters.querystring()
    if request.user.is_authenticated:
        token = urlencode({"token": token_for(request.user, purpose=Purpose.ATOM)})
        params = f"{params}&{token}" if params else token
    url = reverse("negotiations:export_atom")
    return f"{url}?{params}" if params else url


class PlainTextAtom1Feed(Atom1Feed):
    """Summaries marked type="text": what was said is plain text, and a feed reader renders
    a type="html" summary as markup (Django's Atom1Feed always marks it html)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def reported_by(record: dict) -> str:
    """ "Reported by 3 outlets: AFP (url); …" for a statement's record; empty for one."""
    if record.get("outlets", 0) < 2:
        return ""
    listed = "; ".join(f"{s['outlet'] or s['title']} ({s['url']})" for s in record["sources"])
    return f"Reported by {record['outlets']} outlets: {listed}."


def _shorten(text: str, words: int = 14) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


class TimelineFeed(Feed):
    """The newest items of a filter (ATOM_MAX_ITEMS of them), newest first."""

    feed_type = PlainTextAtom1Feed
    language = "en"

    def __call__(self, request, *args, **kwargs):
        filters, choices, error = export_filters(request, newest_first=True)
        if error:
            return error
        request.timeline_export = export_of(
            filters, choices, max_items=settings.ATOM_MAX_ITEMS, counted=False
        )
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return request.timeline_export

    def title(self, export) -> str:
        return f"Ceasefire Tracker: {describe(export.filters)}"

    def subtitle(self, export) -> str:
        return f"The latest {export.max_items} items at most: {describe(export.filters)}."

    def link(self, export) -> str:
        qs = export.filters.querystring()
        page = reverse("negotiations:timeline")
        return f"{page}?{qs}" if qs else page

    def feed_url(self, export) -> str:
        return self.request.get_full_path()

    def items(self, export) -> list:
        return [(item, item_record(item, request=self.request)) for item in export.items]

    def item_title(self, entry) -> str:
        item, record = entry
        if item.is_statement:
            return f"{record['speaker']['name']}: {_shorten(record['text'])}"
        return record["title"]

    def item_description(self, entry) -> str:
        # Plain text (PlainTextAtom1Feed): markup in a statement's text reaches a feed
        # reader as the words it is, never as HTML.
        item, record = entry
        if item.is_statement:
            return f"{record['text']}\n\n{reported_by(record)}".strip()
        return record["description"] or record["title"]

    def item_link(self, entry) -> str:
        return entry[1]["permalink"]

    def item_guid(self, entry) -> str:
        return entry[1]["permalink"]

    item_guid_is_permalink = True

    def item_pubdate(self, entry):
        return entry[0].obj.occurred_at

    def item_updateddate(self, entry):
        return entry[0].obj.updated_at

    def item_categories(self, entry) -> list[str]:
        return [p["stance"] for p in entry[1]["positions"]]


export_atom = require_GET(feed_token_accepted(reader_required(conditional(TimelineFeed()))))
