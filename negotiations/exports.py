"""Exports of exactly what the timeline's filter shows: CSV, JSON and TimelineJS.

Each item is written from the API's own shape (api.schemas.item_record), so the JSON export,
the CSV and the slides say the same as the API. Exports are read-only GETs, checked like
the pages, and answered conditionally (ETag, Last-Modified) from the content versions.

They stream, read a page of EXPORT_PAGE items at a time, hold at most EXPORT_MAX_ITEMS
(a cut one says so) and at most EXPORT_CONCURRENCY of them run at once on the whole site,
so that the pages keep the rest of the machine.
"""

import csv
import dataclasses
import datetime
import json
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import JsonResponse, StreamingHttpResponse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET

from . import selectors
from .access import reader_required
from .api.schemas import item_record
from .caching import conditional
from .citation import cite, sources_of
from .filters import TimelineFilters
from .models import Conflict, Stance

CUT_HEADER = "X-Export-Truncated"
LIMIT_HEADER = "X-Export-Limit"


@dataclasses.dataclass
class Export:
    filters: TimelineFilters
    items: Iterator  # of selectors.TimelineItem, read a page at a time
    truncated: bool
    max_items: int


def export_filters(request, *, newest_first: bool = False):
    """(filters, choices, None), or (None, None, a 400 response naming what is wrong)."""
    choices = selectors.filter_choices()
    form = choices.form(request.GET)
    if not form.is_valid():
        return None, None, JsonResponse({"errors": form.error_summary()}, status=400)
    filters = form.filters()
    if newest_first:
        filters = dataclasses.replace(filters, sort="newest")
    return filters, choices, None


def export_of(filters, choices, *, max_items: int | None = None, counted: bool = True) -> Export:
    """What an export of `filters` holds, read as it is written. `counted`: find out whether
    the filter shows more than `max_items`, with one bounded count."""
    limit = max_items or settings.EXPORT_MAX_ITEMS
    truncated = counted and selectors.timeline_exceeds(
        filters=filters, count=limit, choices=choices
    )
    items = selectors.timeline_iter(filters=filters, max_items=limit, choices=choices)
    return Export(filters, items, truncated, limit)


# Exports hold a slot while they stream, so that at most EXPORT_CONCURRENCY run at once on
# the whole site (PostgreSQL advisory locks, released when the stream ends or its
# connection closes).
EXPORT_LOCK = 0x45585054  # "EXPT"


def _export_slot() -> int | None:
    with connection.cursor() as cursor:
        for slot in range(settings.EXPORT_CONCURRENCY):
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [EXPORT_LOCK, slot])
            if cursor.fetchone()[0]:
                return slot
    return None


def _release_slot(slot: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [EXPORT_LOCK, slot])


class _SlotHeld:
    """The chunks of an export, holding its slot until the last is read or the response
    is closed (the server closes it even when the client went away before the first)."""

    def __init__(self, chunks: Iterator[str], slot: int):
        self.chunks, self.slot = chunks, slot

    def __iter__(self):
        return self

    def __next__(self) -> str:
        try:
            return next(self.chunks)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.slot is not None:
            slot, self.slot = self.slot, None
            getattr(self.chunks, "close", lambda: None)()
            _release_slot(slot)


def streamed_export(
    request,
    render: Callable[[Export], Iterable[str]],
    *,
    content_type: str,
    stem: str,
    extension: str,
):
    """Stream `render(export)` for the current filter within a free export slot: a 400 for
    an invalid filter, a 429 when every slot is taken."""
    filters, choices, error = export_filters(request)
    if error:
        return error
    slot = _export_slot()
    if slot is None:
        response = JsonResponse(
            {"detail": "Other exports are running; try again in a few seconds."}, status=429
        )
        response["Retry-After"] = "10"
        return response
    try:
        export = export_of(filters, choices)
    except BaseException:
        _release_slot(slot)
        raise

    response = StreamingHttpResponse(
        _SlotHeld(iter(render(export)), slot), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, extension, export)}"'
    # The body cannot say it in every format; these headers (and the name) always do.
    response[LIMIT_HEADER] = str(export.max_items)
    response[CUT_HEADER] = "true" if export.truncated else "false"
    return response


def _filename(stem: str, extension: str, export: Export) -> str:
    cut = f"-first-{export.max_items}" if export.truncated else ""
    return f"{stem}{cut}.{extension}"


def _json_object(head: dict, name: str, records: Iterable, tail: Callable[[], dict]):
    """A JSON object, streamed: `head`'s members, then the array `name` written as its
    `records` come, then the members `tail()` gives once the array is written."""

    def dumps(value) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder)

    yield dumps(head)[:-1] + f", {dumps(name)}: ["
    for index, record in enumerate(records):
        yield ("," if index else "") + dumps(record)
    yield "]" + "".join(f", {dumps(key)}: {dumps(value)}" for key, value in tail().items()) + "}"


def params_dict(filters: TimelineFilters) -> dict:
    found: dict[str, list[str]] = {}
    for name, value in filters.params():
        found.setdefault(name, []).append(value)
    return found


def describe(filters: TimelineFilters) -> str:
    """The filter in words, for feed titles and export headings."""
    if filters.is_empty:
        return "all statements and events"
    return "; ".join(f"{name} {', '.join(values)}" for name, values in params_dict(filters).items())


# -- CSV -----------------------------------------------------------------------------------

CSV_COLUMNS = [
    "kind",
    "id",
    "conflict",
    "occurred_at",
    "speaker",
    "on_behalf_of",
    "parties",
    "channel",
    "verbatim",
    "text",
    "positions",
    "conditions",
    "proposals",
    "source_outlet",
    "source_title",
    "source_url",
    "outlets",
    "sources",
    "permalink",
]


def _unique(values) -> list:
    return list(dict.fromkeys(v for v in values if v))


def _csv_row(item, record: dict) -> list:
    """One row from the item's API shape, with the columns a spreadsheet needs flat."""
    citation = cite(item.obj)
    if item.is_statement:
        parties = _unique(
            [
                record["speaker"]["slug"],
                (record["on_behalf_of"] or {}).get("slug"),
                *(c.demanded_of.slug for c in item.obj.conditions.all() if c.demanded_of_id),
            ]
        )
        proposals = _unique(
            [f"{p['proposal']}: {p['stance']}" for p in record["positions"]]
            + [
                c["proposal"]
                for c in record["conditions"]
                if c["proposal"] not in {p["proposal"] for p in record["positions"]}
            ]
        )
        text = record["text"]
    else:
        parties = [p["slug"] for p in record["parties"]]
        proposals = [p["slug"] for p in record["proposals"]]
        text = f"{record['title']}. {record['description']}".strip()
    sources = sources_of(item.obj) if item.is_statement else [citation]
    flat = {
        **record,
        "conflict": record["conflict"]["slug"],
        "speaker": (record.get("speaker") or {}).get("slug"),
        "on_behalf_of": (record.get("on_behalf_of") or {}).get("slug"),
        "parties": "; ".join(parties),
        "text": text,
        "positions": "; ".join(f"{p['proposal']}: {p['stance']}" for p in record["positions"]),
        "conditions": "; ".join(c["summary"] for c in record["conditions"]),
        "proposals": "; ".join(proposals),
        "source_outlet": citation.outlet,
        "source_title": citation.title,
        "source_url": citation.web_url,
        "outlets": record.get("outlets", 1),
        "sources": " | ".join(
            f"{s.line()} <{s.web_url}>" if s.web_url else s.line() for s in sources
        ),
    }
    return [_spreadsheet_safe(flat.get(column)) for column in CSV_COLUMNS]


def _spreadsheet_safe(value):
    """Keep quoted text from running as a formula when the CSV is opened in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Line:
    """A file-like object csv.writer writes one row into, for streaming."""

    def write(self, value: str) -> str:
        return value


@require_GET
@reader_required
@conditional
def export_csv(request):
    def render(export: Export) -> Iterator[str]:
        writer = csv.writer(_Line())
        yield writer.writerow(CSV_COLUMNS)
        for item in export.items:
            yield writer.writerow(_csv_row(item, item_record(item, request=request)))

    return streamed_export(
        request,
        render,
        content_type="text/csv; charset=utf-8",
        stem="ceasefire-timeline",
        extension="csv",
    )


# -- JSON ----------------------------------------------------------------------------------


@require_GET
@reader_required
@conditional
def export_json(request):
    def render(export: Export) -> Iterator[str]:
        count = 0

        def records():
            nonlocal count
            for item in export.items:
                count += 1
                yield item_record(item, request=request)

        head = {
            "filter": params_dict(export.filters),
            "truncated": export.truncated,
            "max_items": export.max_items,
        }
        yield from _json_object(head, "items", records(), lambda: {"count": count})

    return streamed_export(
        request,
        render,
        content_type="application/json",
        stem="ceasefire-timeline",
        extension="json",
    )


# -- TimelineJS ----------------------------------------------------------------------------

STANCE_WORDS = dict(Stance.choices)


def _date_parts(moment: datetime.datetime) -> dict:
    return {
        "year": moment.year,
        "month": moment.month,
        "day": moment.day,
        "hour": moment.hour,
        "minute": moment.minute,
    }


def _cited_html(citation) -> str:
    if citation.web_url:
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', citation.web_url, citation.line()
        )
    return format_html("{}", citation.line())


def _source_html(citation, others=()) -> str:
    """The source, and the other outlets' reports of the same statement."""
    also = format_html_join("; ", "{}", ((_cited_html(c),) for c in others))
    return format_html(
        '<p class="tl-source">Source: {}</p>{}',
        _cited_html(citation),
        format_html('<p class="tl-source">Also reported by: {}</p>', also) if others else "",
    )


def timelinejs_slide(item, *, request, sides: dict) -> dict:
    """One slide in TimelineJS's JSON format: who and their stance as the headline, the
    words as text with the source linked, the source as media, grouped by side."""
    record = item_record(item, request=request)
    citation = cite(item.obj)
    permalink = format_html('<p><a href="{}">Permalink</a></p>', record["permalink"])
    if item.is_statement:
        who = record["speaker"]["name"]
        if record["on_behalf_of"] and record["on_behalf_of"]["slug"] != record["speaker"]["slug"]:
            who = f"{who} (for {record['on_behalf_of']['name']})"
        stances = [
            f"{STANCE_WORDS[p['stance']].lower()}: {p['proposal_name']}"
            for p in record["positions"]
        ]
        headline = f"{who} — {'; '.join(stances)}" if stances else who
        words = f"“{record['text']}”" if record["verbatim"] else record["text"]
        conditions = format_html_join(
            "", "<li>{}</li>", ((c["summary"],) for c in record["conditions"])
        )
        text = format_html(
            "<p>{}</p>{}{}{}",
            words,
            format_html("<p>Conditions:</p><ul>{}</ul>", conditions) if conditions else "",
            _source_html(citation, sources_of(item.obj)[1:]),
            permalink,
        )
        party = item.obj.on_behalf_of or item.obj.speaker
        side = sides.get((item.obj.conflict_id, party.pk))
        group = side.replace("-", " ").capitalize() if side else party.name
    else:
        headline = record["title"]
        text = format_html(
            "{}{}{}",
            format_html("<p>{}</p>", record["description"]) if record["description"] else "",
            _source_html(citation),
            permalink,
        )
        group = "Events"
    slide = {
        "unique_id": f"{item.kind}-{item.obj.pk}",
        "start_date": _date_parts(item.obj.occurred_at),
        "text": {"headline": str(format_html("{}", headline)), "text": str(text)},
        "group": group,
    }
    if citation.web_url:
        slide["media"] = {
            "url": citation.web_url,
            "link": citation.web_url,
            "caption": str(format_html("{}", citation.line())),
            "credit": str(format_html("{}", citation.outlet)),
        }
    return slide


def _era(truce) -> dict:
    return {
        "start_date": _date_parts(truce.start),
        "end_date": _date_parts(truce.end),
        "text": {"headline": str(format_html("{} in force", truce.proposal.name))},
    }


@require_GET
@reader_required
@conditional
def export_timelinejs(request):
    def render(export: Export) -> Iterator[str]:
        # Every conflict's sides, read once: the slides stream before their conflicts are known.
        sides = selectors.sides_by_party(conflict_ids=Conflict.objects.values("pk"))
        conflict_ids, moments = set(), []

        def slides():
            for item in export.items:
                conflict_ids.add(item.obj.conflict_id)
                moments.append(item.occurred_at)
                yield timelinejs_slide(item, request=request, sides=sides)

        def eras() -> dict:
            if not moments:
                return {}
            truces = selectors.truces_in_force(
                conflict_ids=conflict_ids, until=max(moments), since=min(moments)
            )
            return {"eras": [_era(truce) for truce in truces]} if truces else {}

        title = describe(export.filters).capitalize()
        if export.truncated:
            title += f" (the first {export.max_items} items only)"
        head = {
            "title": {
                "text": {"headline": "Ceasefire Tracker", "text": str(format_html("{}", title))}
            },
            "truncated": export.truncated,
        }
        yield from _json_object(head, "events", slides(), eras)

    return streamed_export(
        request,
        render,
        content_type="application/json",
        stem="ceasefire-timelinejs",
        extension="json",
    )
