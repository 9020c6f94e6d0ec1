"""The analysts' pages and exports. Reads go through selectors; these only parse and render."""

import csv
import dataclasses
import functools
import itertools
import json
from collections.abc import Iterator
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from . import selectors
from .api.serializers import item_json, reported_by, timelinejs_event
from .filters import TimelineFilterForm, TimelineFilters
from .models import Conflict, Party, Proposal
from .reader_tokens import Purpose, token_for, user_from_token

READ_PERMISSION = "negotiations.view_statement"


def can_read(user) -> bool:
    return settings.PUBLIC_READ or user.has_perm(READ_PERMISSION)


def page_guard(allowed):
    """A view decorator: callers that `allowed(user)` refuses go to sign in when anonymous,
    and get a 403 when signed in."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if allowed(request.user):
                return view(request, *args, **kwargs)
            if request.user.is_authenticated:
                raise PermissionDenied
            if request.htmx:
                # A fragment request must not swap the sign-in page into the list.
                login = f"{settings.LOGIN_URL}?next={request.htmx.current_url_abs_path or '/'}"
                return HttpResponseClientRedirect(login)
            return redirect_to_login(request.get_full_path())

        return wrapper

    return decorator


# Anonymous → sign in (unless PUBLIC_READ); signed in without the permission → 403.
reader_required = page_guard(can_read)


# -- the timeline --------------------------------------------------------------------------


@dataclasses.dataclass
class Day:
    date: object
    items: list
    continued: bool = False


def group_by_day(items, *, continues_from=None) -> list[Day]:
    """Items in days; the first day is marked as continued when an earlier page showed it."""
    days = []
    for date, group in itertools.groupby(items, key=lambda item: item.occurred_at.date()):
        days.append(Day(date, list(group)))
    if days and continues_from is not None and days[0].date == continues_from:
        days[0].continued = True
    return days


def parse_filters(request, choices) -> tuple[TimelineFilterForm, TimelineFilters | None]:
    form = choices.form(request.GET)
    return form, form.filters() if form.is_valid() else None


@require_GET
@reader_required
@vary_on_headers("HX-Request")
def timeline(request):
    choices = selectors.filter_choices()
    form, filters = parse_filters(request, choices)
    cursor = request.GET.get("cursor") or None
    page, status, continues_from = None, 200, None
    if filters is not None:
        try:
            page = selectors.timeline_page(
                filters=filters, cursor=cursor, limit=settings.TIMELINE_PAGE_SIZE, choices=choices
            )
            if cursor:
                continues_from = selectors.cursor_decode(
                    cursor, ranked=filters.ranked
                ).occurred_at.date()
        except selectors.InvalidCursor as exc:
            form.add_error(None, str(exc))
            status = 400
    else:
        status = 400
    context = {
        "form": form,
        "filters": filters or TimelineFilters(),
        "page": page,
        "days": group_by_day(page.items, continues_from=continues_from) if page else [],
        "cursor": cursor,
        "atom_url": atom_url(request, filters or TimelineFilters()),
    }
    template = "negotiations/timeline.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#page" if request.htmx.target == "older" else "#results"
    return render(request, template, context, status=status)


def _item_or_404(kind: str, pk: int):
    obj = selectors.statement_get(pk=pk) if kind == "statement" else selectors.event_get(pk=pk)
    if obj is None:
        raise Http404
    return selectors.TimelineItem(kind, obj)


@require_GET
@reader_required
def statement_detail(request, pk):
    item = _item_or_404("statement", pk)
    return render(request, "negotiations/item_detail.html", {"item": item, "open": True})


@require_GET
@reader_required
def event_detail(request, pk):
    item = _item_or_404("event", pk)
    return render(request, "negotiations/item_detail.html", {"item": item, "open": True})


# -- positions, proposals, parties ---------------------------------------------------------


@require_GET
@reader_required
def proposal_list(request):
    return render(
        request, "negotiations/proposal_list.html", {"matrices": selectors.position_matrices()}
    )


# -- conflicts -----------------------------------------------------------------------------


@require_GET
@reader_required
def conflict_list(request):
    return render(
        request, "negotiations/conflict_list.html", {"overviews": selectors.conflict_overviews()}
    )


@require_GET
@reader_required
def conflict_detail(request, slug):
    conflict = get_object_or_404(Conflict, slug=slug)
    [overview] = selectors.conflict_overviews(slug=slug, recent=5)
    filters = TimelineFilters(conflicts=(conflict.slug,))
    context = {
        "conflict": conflict,
        "overview": overview,
        "matrix": selectors.position_matrix(conflict=conflict),
        "proposals": list(
            conflict.proposals.select_related("proposed_by", "parent").order_by(
                "-proposed_on", "name"
            )
        ),
        "filters": filters,
        "page": selectors.timeline_page(filters=filters, limit=settings.TIMELINE_PAGE_SIZE),
    }
    return render(request, "negotiations/conflict_detail.html", context)


@require_GET
@reader_required
def proposal_detail(request, slug):
    proposal = get_object_or_404(
        Proposal.objects.select_related("proposed_by", "parent", "conflict"), slug=slug
    )
    filters = TimelineFilters(proposals=(proposal.slug,))
    context = {
        "proposal": proposal,
        "parts": list(proposal.parts.order_by("name")),
        "conditions": selectors.proposal_conditions(proposal=proposal),
        "lanes": selectors.proposal_stance_history(proposal=proposal),
        "filters": filters,
        "page": selectors.timeline_page(filters=filters, limit=settings.TIMELINE_PAGE_SIZE),
    }
    return render(request, "negotiations/proposal_detail.html", context)


@require_GET
@reader_required
def party_detail(request, slug):
    party = get_object_or_404(Party.objects.select_related("parent"), slug=slug)
    filters = TimelineFilters(parties=(party.slug,))
    context = {
        "party": party,
        "ancestors": party.ancestors(),
        "members": list(party.members.order_by("name")),
        "positions": selectors.party_current_positions(party=party),
        "filters": filters,
        "page": selectors.timeline_page(filters=filters, limit=settings.TIMELINE_PAGE_SIZE),
    }
    return render(request, "negotiations/party_detail.html", context)


# -- exports -------------------------------------------------------------------------------


def _export_filters(request, *, newest_first: bool = False):
    """The current filter and its choices, or a 400 response naming what is wrong."""
    choices = selectors.filter_choices()
    form, filters = parse_filters(request, choices)
    if filters is None:
        return None, None, JsonResponse({"errors": form.error_summary()}, status=400)
    if newest_first:
        filters = dataclasses.replace(filters, sort="newest")
    return filters, choices, None


# Exports hold a slot while they stream, so that at most EXPORT_CONCURRENCY run at once on
# the whole site (PostgreSQL advisory locks, released when the stream ends or its
# connection closes): the pages keep the rest of the machine.
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


def _streamed_export(request, render, *, content_type: str, filename: str):
    """Stream `render(filters, items, truncated)` for the current filter, within the row
    limit (EXPORT_MAX_ITEMS) and a free export slot; 429 when every slot is taken."""
    filters, choices, error = _export_filters(request)
    if error:
        return error
    slot = _export_slot()
    if slot is None:
        response = JsonResponse(
            {"detail": "Other exports are running; try again in a few seconds."}, status=429
        )
        response["Retry-After"] = "10"
        return response
    limit = settings.EXPORT_MAX_ITEMS
    try:
        truncated = selectors.timeline_exceeds(filters=filters, count=limit, choices=choices)
    except BaseException:
        _release_slot(slot)
        raise
    items = selectors.timeline_iter(filters=filters, max_items=limit, choices=choices)

    def stream():
        try:
            yield from render(filters, items, truncated)
        finally:
            _release_slot(slot)

    response = StreamingHttpResponse(stream(), content_type=content_type)
    response["X-Export-Limit"] = str(limit)
    response["X-Export-Truncated"] = "true" if truncated else "false"
    return _attachment(response, filename)


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


CSV_COLUMNS = [
    "kind",
    "id",
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
    "permalink",
    "outlets",
    "sources",
]


def _csv_row(record: dict) -> list:
    """One CSV row from the JSON form of an item, so that both exports say the same."""
    flat = {
        **record,
        "speaker": (record.get("speaker") or {}).get("slug"),
        "on_behalf_of": (record.get("on_behalf_of") or {}).get("slug"),
        "parties": "; ".join(p["slug"] for p in record.get("parties", [])),
        "positions": "; ".join(f"{p['proposal']}: {p['stance']}" for p in record["positions"]),
        "conditions": "; ".join(c["summary"] for c in record["conditions"]),
        "proposals": "; ".join(p["slug"] for p in record.get("proposals", [])),
        "source_outlet": record["source"]["outlet"],
        "source_title": record["source"]["title"],
        "source_url": record["source"]["url"],
        "outlets": record.get("outlets"),
        "sources": " ".join(s["url"] for s in record.get("sources", [])),
    }
    if record["kind"] == "event":
        flat["text"] = f"{record['title']}. {record['description']}".strip()
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
def export_csv(request):
    def render(filters, items, truncated):
        writer = csv.writer(_Line())
        yield writer.writerow(CSV_COLUMNS)
        for item in items:
            yield writer.writerow(_csv_row(item_json(item, request=request)))

    return _streamed_export(
        request, render, content_type="text/csv; charset=utf-8", filename="ceasefire-timeline.csv"
    )


def _json_list(records) -> Iterator[str]:
    """The elements of a JSON array, streamed; the caller writes the brackets."""
    for index, record in enumerate(records):
        yield ("," if index else "") + json.dumps(record)


@require_GET
@reader_required
def export_json(request):
    def render(filters, items, truncated):
        count = 0

        def records():
            nonlocal count
            for item in items:
                count += 1
                yield item_json(item, request=request)

        head = {"filter": dict_of_params(filters), "limit": settings.EXPORT_MAX_ITEMS}
        yield json.dumps({**head, "truncated": truncated})[:-1] + ', "items": ['
        yield from _json_list(records())
        yield f'], "count": {count}}}'

    return _streamed_export(
        request, render, content_type="application/json", filename="ceasefire-timeline.json"
    )


@require_GET
@reader_required
def export_timelinejs(request):
    def render(filters, items, truncated):
        title = {"text": {"headline": "Ceasefire Tracker", "text": describe(filters)}}
        yield json.dumps({"title": title, "truncated": truncated})[:-1] + ', "events": ['
        yield from _json_list(timelinejs_event(item, request=request) for item in items)
        yield "]}"

    return _streamed_export(
        request, render, content_type="application/json", filename="ceasefire-timelinejs.json"
    )


def feed_token_accepted(view):
    """Let a feed reader in with the personal token of the link it was given."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.GET.get("token")
        if token and not request.user.is_authenticated:
            user = user_from_token(token, purpose=Purpose.ATOM)
            if user is not None:
                request.user = user
        return view(request, *args, **kwargs)

    return wrapper


class PlainTextAtom1Feed(Atom1Feed):
    """Summaries marked type="text": what was said is plain text, and a feed reader renders
    a type="html" summary as markup (Django's Atom1Feed always marks it html)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def atom_url(request, filters: TimelineFilters) -> str:
    """The Atom address of this filter, personal for a signed-in reader."""
    params = filters.querystring()
    if request.user.is_authenticated:
        token = urlencode({"token": token_for(request.user, purpose=Purpose.ATOM)})
        params = f"{params}&{token}" if params else token
    url = reverse("negotiations:export_atom")
    return f"{url}?{params}" if params else url


@require_GET
@feed_token_accepted
@reader_required
def export_atom(request):
    filters, choices, error = _export_filters(request, newest_first=True)
    if error:
        return error
    items = selectors.timeline_iter(
        filters=filters, max_items=settings.ATOM_MAX_ITEMS, choices=choices
    )
    page_url = request.build_absolute_uri(reverse("negotiations:timeline"))
    qs = filters.querystring()
    feed = PlainTextAtom1Feed(
        title=f"Ceasefire Tracker: {describe(filters)}",
        link=f"{page_url}?{qs}" if qs else page_url,
        description=describe(filters),
        feed_url=request.build_absolute_uri(),
        language="en",
    )
    for item in items:
        record = item_json(item, request=request)
        if item.is_statement:
            title = f"{record['speaker']['name']}: {_shorten(record['text'])}"
            text = f"{record['text']}\n\n{reported_by(record)}".strip()
        else:
            title, text = record["title"], record["description"] or record["title"]
        feed.add_item(
            title=title,
            link=record["permalink"],
            description=text,
            unique_id=record["permalink"],
            pubdate=item.obj.occurred_at,
            updateddate=item.obj.updated_at,
            categories=[p["stance"] for p in record["positions"]],
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml")


def _shorten(text: str, words: int = 14) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def dict_of_params(filters: TimelineFilters) -> dict:
    found: dict[str, list[str]] = {}
    for key, value in filters.params():
        found.setdefault(key, []).append(value)
    return found


def describe(filters: TimelineFilters) -> str:
    """The filter in words, for feed titles and headings."""
    if filters.is_empty:
        return "all statements and events"
    parts = [f"{key} {', '.join(values)}" for key, values in dict_of_params(filters).items()]
    return "; ".join(parts)
