"""Exports of exactly what the timeline's filter shows: CSV, JSON and TimelineJS.

Each item is written from the API's own shape (api.schemas.item_record), so the JSON export,
the CSV and the slides say the same as the API. Exports are read-only GETs, checked like
the pages, and answered conditionally (ETag, Last-Modified) from the content versions.
"""

import csv
import dataclasses
import datetime

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET

from . import selectors
from .access import reader_required
from .api.schemas import item_record
from .caching import conditional
from .citation import cite
from .filters import TimelineFilters
from .models import Stance

CUT_HEADER = "X-Export-Truncated"


@dataclasses.dataclass
class Export:
    filters: TimelineFilters
    items: list
    truncated: bool
    max_items: int


def export_items(request, *, newest_first: bool = False, max_items: int | None = None):
    """(Export, None), or (None, a 400 response naming what is wrong with the filter)."""
    choices = selectors.filter_choices()
    form = choices.form(request.GET)
    if not form.is_valid():
        return None, JsonResponse({"errors": form.error_summary()}, status=400)
    filters = form.filters()
    if newest_first:
        filters = dataclasses.replace(filters, sort="newest")
    limit = max_items or settings.EXPORT_MAX_ITEMS
    items, truncated = selectors.timeline_all(filters=filters, max_items=limit, choices=choices)
    return Export(filters, items, truncated, limit), None


def _attachment(response, filename: str, export: Export):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if export.truncated:
        # The body cannot say it in every format; this header and the name always do.
        response[CUT_HEADER] = f"first {export.max_items} items"
    return response


def _filename(stem: str, extension: str, export: Export) -> str:
    cut = f"-first-{export.max_items}" if export.truncated else ""
    return f"{stem}{cut}.{extension}"


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
    sources = [citation]  # one today; corroborating outlets are added here when recorded
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


@require_GET
@reader_required
@conditional
def export_csv(request):
    export, error = export_items(request)
    if error:
        return error
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for item in export.items:
        writer.writerow(_csv_row(item, item_record(item, request=request)))
    return _attachment(response, _filename("ceasefire-timeline", "csv", export), export)


# -- JSON ----------------------------------------------------------------------------------


@require_GET
@reader_required
@conditional
def export_json(request):
    export, error = export_items(request)
    if error:
        return error
    body = {
        "filter": params_dict(export.filters),
        "count": len(export.items),
        "truncated": export.truncated,
        "max_items": export.max_items,
        "items": [item_record(item, request=request) for item in export.items],
    }
    return _attachment(JsonResponse(body), _filename("ceasefire-timeline", "json", export), export)


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


def _source_html(citation) -> str:
    if citation.web_url:
        return format_html(
            '<p class="tl-source">Source: <a href="{}" target="_blank" rel="noopener">{}</a></p>',
            citation.web_url,
            citation.line(),
        )
    return format_html('<p class="tl-source">Source: {}</p>', citation.line())


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
            _source_html(citation),
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
    export, error = export_items(request)
    if error:
        return error
    conflict_ids = {item.obj.conflict_id for item in export.items}
    sides = selectors.sides_by_party(conflict_ids=conflict_ids)
    slides = [timelinejs_slide(item, request=request, sides=sides) for item in export.items]
    title = describe(export.filters).capitalize()
    if export.truncated:
        title += f" (the first {export.max_items} items only)"
    body = {
        "title": {"text": {"headline": "Ceasefire Tracker", "text": str(format_html("{}", title))}},
        "events": slides,
    }
    if export.items:
        moments = [item.occurred_at for item in export.items]
        truces = selectors.truces_in_force(
            conflict_ids=conflict_ids, until=max(moments), since=min(moments)
        )
        if truces:
            body["eras"] = [_era(truce) for truce in truces]
    return _attachment(
        JsonResponse(body), _filename("ceasefire-timelinejs", "json", export), export
    )
