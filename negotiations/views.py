"""The analysts' pages. Reads go through selectors; these only parse and render.

Exports are in exports.py, the Atom feed in feeds.py, the JSON API in api/.
"""

import dataclasses
import datetime
import functools
import itertools

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from . import caching, selectors
from .access import can_read, reader_required  # noqa: F401 - the pages' check, re-exported
from .feeds import atom_url
from .filters import EARLIEST_DATE, LATEST_DATE, TimelineFilters
from .models import Conflict, Party, Proposal
from .rendered import fragment_key, render_fragment, render_items

# -- the timeline --------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _day_label(day: datetime.date, language: str) -> str:
    # Formatting a date through the translation machinery is the costliest thing left on
    # a cached page (fifty days of results, three formats each): once per day and language.
    return date_format(day, "l j F Y")


@dataclasses.dataclass
class Day:
    date: datetime.date
    items: list
    continued: bool = False

    @property
    def label(self) -> str:
        return _day_label(self.date, translation.get_language())

    @property
    def iso(self) -> str:
        return self.date.isoformat()


def group_by_day(items, *, continues_from=None) -> list[Day]:
    """Items in days; the first day is marked as continued when an earlier page showed it."""
    days = []
    for date, group in itertools.groupby(items, key=lambda item: item.occurred_at.date()):
        days.append(Day(date, list(group)))
    if days and continues_from is not None and days[0].date == continues_from:
        days[0].continued = True
    return days


@dataclasses.dataclass
class Chip:
    """One active filter value, with the address of the same view without it."""

    label: str
    value: str
    remove_url: str


def filter_chips(filters: TimelineFilters, choices: selectors.FilterChoices, form) -> list[Chip]:
    names = {
        "conflict": {c.slug: c.name for c in choices.conflicts},
        "party": {p.slug: p.name for p in choices.parties},
        "proposal": {p.slug: p.name for p in choices.proposals},
    }
    for name in ("stance", "kind", "channel"):
        names[name] = dict(form.fields[name].choices)
    page = reverse("negotiations:timeline")

    def without(name: str, value: str = "") -> str:
        qs = filters.without(name, value).querystring()
        return f"{page}?{qs}" if qs else page

    chips = []
    for name, value in filters.params():
        if name in names:
            label = form.fields[name].label
            chips.append(Chip(label, names[name].get(value, value), without(name, value)))
        elif name == "q":
            chips.append(Chip("Text", f"“{value}”", without("q")))
        elif name == "headlines":
            chips.append(Chip("Search", "headlines too", without("headlines")))
        elif name in ("date_from", "date_to"):
            label = "From" if name == "date_from" else "To"
            day = datetime.date.fromisoformat(value)
            chips.append(Chip(label, f"{day:%-d %b %Y}", without(name)))
        elif name == "sort":
            chips.append(Chip("Order", "newest first", without("sort")))
    return chips


@require_GET
@reader_required
@vary_on_headers("HX-Request")
def timeline(request):
    versions = caching.versions_for(request)
    token = versions.token if versions else None
    cursor = request.GET.get("cursor") or None
    through = request.GET.get("through") or None
    fragment = None
    if request.htmx and not request.htmx.history_restore_request:
        fragment = "page" if request.htmx.target == "older" else "results"
    limit = settings.TIMELINE_RESTORE_MAX if through and not cursor else settings.TIMELINE_PAGE_SIZE
    # Every piece of the page is keyed by what was asked and the versions: all of them are
    # read from the cache in one round trip, and what was missing is kept in one.
    asked = sorted((k, v) for k, v in request.GET.lists() if k not in ("cursor", "through"))
    keys = {
        "choices": caching.key("choices", versions.catalog) if versions else None,
        "listing": caching.key("listing", token, asked, cursor, through, limit) if token else None,
        "density": caching.key("density", token, asked) if token else None,
        "filter_form": fragment_key("filter_form", versions, asked),
        "density_strip": fragment_key("density", versions, asked),
        "page": fragment_key("page", versions, asked, cursor, through, limit),
    }
    batch = caching.Batch(keys.values())
    choices = batch.get(keys["choices"], selectors.filter_choices)
    # A stale or mistyped value in a shared link is dropped (and said so), never fatal.
    form = choices.form(request.GET, lenient=True)
    filters = form.filters() if form.is_valid() else None
    context = {
        "form": form,
        "dropped": form.dropped,
        "filters": filters or TimelineFilters(),
        "invalid": filters is None,
        "cursor": cursor,
        "listing": None,
    }
    status = 200
    if filters is not None:
        try:
            listing = batch.get(
                keys["listing"],
                lambda: selectors.timeline_listing(
                    filters=filters,
                    cursor=cursor,
                    through=None if cursor else through,
                    limit=limit,
                    choices=choices,
                ),
            )
        except selectors.InvalidCursor as exc:
            form.add_error(None, str(exc))
            context["invalid"], status = True, 400
        else:
            context["listing"] = listing
            context["first_item"] = listing.refs[0].dom_id if listing.refs else None

            def page_html() -> str:
                continues_from = None
                if cursor:
                    continues_from = selectors.cursor_decode(
                        cursor, ranked=filters.ranked
                    ).occurred_at.date()
                items = render_items(listing.refs, filters=filters, versions=versions)
                days = group_by_day(items, continues_from=continues_from)
                return render_to_string(
                    "negotiations/timeline.html#page", {**context, "days": days}
                )

            # The days and their items, as rendered for this listing at these versions.
            context["page_html"] = mark_safe(batch.get(keys["page"], page_html))  # noqa: S308
            if fragment != "page":
                density = batch.get(
                    keys["density"],
                    lambda: selectors.timeline_density(filters=filters, choices=choices),
                )
                context["density"], context["count"] = density, density.total
                context["chips"] = filter_chips(filters, choices, form)
                context["export_cut"] = context["count"] > settings.EXPORT_MAX_ITEMS
                context["export_max"] = settings.EXPORT_MAX_ITEMS
    else:
        status = 400
    context["atom_url"] = atom_url(request, filters or TimelineFilters())
    if fragment != "page":
        # The two costliest pieces to render; each depends only on what was asked and
        # the versions (the form's values come from the query, never from the user).
        context["filter_form"] = render_fragment(
            "filter_form", context, cache_key=keys["filter_form"], batch=batch
        )
        density = context.get("density")
        context["density_strip"] = (
            render_fragment("density", context, cache_key=keys["density_strip"], batch=batch)
            if density and density.bars
            else ""
        )
    batch.save()
    if fragment == "page" and status == 200:
        return HttpResponse(context["page_html"])
    template = "negotiations/timeline.html"
    if fragment:
        template += f"#{fragment}"
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


DEFAULT_CHANGE_DAYS = 7


def _period(request, *, default_days: int = DEFAULT_CHANGE_DAYS):
    """The period asked for (date_from, date_to), the last `default_days` by default;
    and the errors, if any, of what was asked."""
    today = timezone.localdate()
    errors = []
    values = {}
    for name in ("date_from", "date_to"):
        raw = request.GET.get(name) or ""
        try:
            values[name] = datetime.date.fromisoformat(raw) if raw else None
        except ValueError:
            values[name] = None
        if raw and not (values[name] and EARLIEST_DATE <= values[name] <= LATEST_DATE):
            errors.append(f"“{raw}” is not a day this page can show (YYYY-MM-DD).")
            values[name] = None
    end = values["date_to"] or today
    start = values["date_from"] or end - datetime.timedelta(days=default_days - 1)
    if start > end:
        errors.append("The end date is before the start date; showing the default period.")
        end = today
        start = end - datetime.timedelta(days=default_days - 1)
    return selectors.Period(start, end), errors


def _marked_matrix(conflict, period):
    matrix = selectors.position_matrix(conflict=conflict)
    marks = selectors.matrix_marks(matrix=matrix, conflict=conflict, period=period)
    return matrix, marks


@require_GET
@reader_required
def conflict_detail(request, slug):
    conflict = get_object_or_404(Conflict, slug=slug)
    [overview] = selectors.conflict_overviews(slug=slug, recent=5)
    filters = TimelineFilters(conflicts=(conflict.slug,))
    period, _ = _period(request)
    matrix, marks = _marked_matrix(conflict, period)
    context = {
        "conflict": conflict,
        "overview": overview,
        "matrix": matrix,
        "marks": marks,
        "period": period,
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
def conflict_changes(request, slug):
    conflict = get_object_or_404(Conflict, slug=slug)
    period, errors = _period(request)
    changes = selectors.conflict_changes(conflict=conflict, period=period)
    matrix, marks = _marked_matrix(conflict, period)
    latest_week = None
    if changes.latest and not period.holds(changes.latest):
        last = timezone.localtime(changes.latest).date()
        latest_week = selectors.Period(last - datetime.timedelta(days=6), last)
    today = timezone.localdate()
    context = {
        "conflict": conflict,
        "period": period,
        "errors": errors,
        "changes": changes,
        "matrix": matrix,
        "marks": marks,
        "latest_week": latest_week,
        "presets": [
            ("The last 7 days", selectors.Period(today - datetime.timedelta(days=6), today)),
            ("The last 30 days", selectors.Period(today - datetime.timedelta(days=29), today)),
        ],
        "timeline_filters": TimelineFilters(
            conflicts=(conflict.slug,), date_from=period.start, date_to=period.end
        ),
    }
    return render(request, "negotiations/conflict_changes.html", context)


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
