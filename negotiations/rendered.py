"""Timeline items as HTML, rendered once per version of each item and kept in the cache.

A page of the timeline is its listing (which items, cached per filter) and these pieces:
when every piece is cached, no item row is read at all, so a cached page costs what its
items cost, not what the table costs.
"""

import dataclasses

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from . import caching, selectors
from .filters import TimelineFilters

ITEM_TEMPLATE = "negotiations/_item.html"


@dataclasses.dataclass
class RenderedItem:
    ref: selectors.ItemRef
    html: SafeString
    through: str  # the cursor down to this item, for coming Back to it

    @property
    def occurred_at(self):
        return self.ref.occurred_at


def _key(ref: selectors.ItemRef, filters: TimelineFilters, versions) -> str | None:
    if versions is None:
        return None
    # Matches are marked in the text, so a search renders its own copy of an item.
    search = f"{filters.q}|{filters.headlines}" if filters.q else ""
    return caching.key(
        "item", ref.kind, ref.pk, ref.updated_at.isoformat(), versions.catalog, search
    )


def render_items(
    refs: list[selectors.ItemRef], *, filters: TimelineFilters, versions
) -> list[RenderedItem]:
    """Each item's HTML, from the cache where it is, rendered (and kept) where it is not."""
    keys = {ref: _key(ref, filters, versions) for ref in refs}
    found = caching.get_many([k for k in keys.values() if k])
    missing = [ref for ref in refs if keys[ref] not in found]
    if missing:
        fresh = {}
        for item in selectors.timeline_load(missing, filters=filters):
            html = render_to_string(ITEM_TEMPLATE, {"item": item, "searched": bool(filters.q)})
            fresh[item.ref] = html
        found.update({keys[ref]: html for ref, html in fresh.items() if keys[ref]})
        caching.set_many({keys[ref]: html for ref, html in fresh.items() if keys[ref]})
        found.update({("fresh", ref): html for ref, html in fresh.items()})
    items = []
    for ref in refs:
        html = found.get(keys[ref]) if keys[ref] else found.get(("fresh", ref))
        if html is None:
            continue  # withdrawn between the listing and now
        items.append(
            RenderedItem(ref, mark_safe(html), selectors.cursor_encode(ref.key))  # noqa: S308
        )
    return items


def fragment_key(name: str, versions, *parts) -> str | None:
    return caching.key(f"fragment-{name}", versions.token, *parts) if versions else None


def render_fragment(name: str, context: dict, *, cache_key: str | None, batch) -> SafeString:
    """One of timeline.html's fragments (the filter form, the density strip), from the
    cache when the same parts at the same versions were rendered before."""
    html = batch.get(
        cache_key, lambda: render_to_string(f"negotiations/timeline.html#{name}", context)
    )
    return mark_safe(html)  # noqa: S308 - rendered by our template, escaped there
