"""Template helpers for the analyst pages: links that keep the filter, sources, the chart."""

import dataclasses
import datetime

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from ..citation import cite, outlet_count, sources_of
from ..filters import TimelineFilters
from ..models import Stance
from ..selectors import MATCH_END, MATCH_START

register = template.Library()

# Each stance has a symbol and a marker shape as well as a colour, so that badges and the
# chart read the same in greyscale, in print and to people who do not see colour.
STANCE_SYMBOLS = {
    Stance.PROPOSED: "◆",
    Stance.SUPPORTS: "▲",
    Stance.ACCEPTS: "●",
    Stance.ACCEPTS_WITH_CONDITIONS: "◐",
    Stance.REJECTS: "✕",
    Stance.NONCOMMITTAL: "○",
    Stance.WITHDRAWS: "▼",
}


@register.filter
def stance_symbol(stance: str) -> str:
    return STANCE_SYMBOLS.get(stance, "?")


@register.filter
def with_cursor(filters: TimelineFilters, cursor: str) -> str:
    return filters.querystring(cursor=cursor)


@register.filter
def without(filters: TimelineFilters, what: str) -> str:
    """The filter's query string less the text query ("q") or the date range ("dates")."""
    if what == "q":
        return filters.without("q").querystring()
    if what == "dates":
        return dataclasses.replace(filters, date_from=None, date_to=None).querystring()
    raise template.TemplateSyntaxError(f"without: unknown part {what!r}")


@register.simple_tag
def source_line(obj) -> str:
    """Outlet, title, and a link when the source is on the web (seed reports are not)."""
    citation = cite(obj)
    outlet, title = citation.outlet, citation.title or "untitled"
    if citation.web_url:
        return format_html(
            '{}{}<a href="{}" rel="noopener noreferrer">{}</a>',
            outlet,
            ", " if outlet else "",
            citation.web_url,
            title,
        )
    return format_html("{}{}<cite>{}</cite>", outlet, ", " if outlet else "", title)


@register.simple_tag
def reported_by(statement) -> str:
    """ "Reported by 3 outlets" with each other source's line, when more than one outlet did."""
    count = outlet_count(sources_of(statement))
    if count < 2:
        return ""
    lines = format_html_join("; ", "{}", ((source_line(s),) for s in statement.sources.all()))
    return format_html(
        '<p class="source reported-by">Reported by {} outlets. Also: {}</p>', count, lines
    )


@register.filter
def matches(highlighted: str) -> str:
    """Text with the words a search matched marked: escaped first, then the marks placed."""
    escaped = conditional_escape(highlighted)
    return mark_safe(  # noqa: S308 - escaped above; only our own tags are added
        escaped.replace(MATCH_START, '<mark class="match">').replace(MATCH_END, "</mark>")
    )


# -- the stance history chart --------------------------------------------------------------

LANE_HEIGHT = 56
LABEL_WIDTH = 170
PLOT_WIDTH = 520
RIGHT_PAD = 110
TOP_PAD = 34


def _marker_path(stance: str, x: float, y: float, r: float = 7) -> str:
    """An SVG path for the stance's marker shape, centred on (x, y)."""
    if stance == Stance.PROPOSED:
        return f"M{x},{y - r} L{x + r},{y} L{x},{y + r} L{x - r},{y} Z"
    if stance == Stance.SUPPORTS:
        return f"M{x},{y - r} L{x + r},{y + r * 0.8} L{x - r},{y + r * 0.8} Z"
    if stance == Stance.WITHDRAWS:
        return f"M{x},{y + r} L{x + r},{y - r * 0.8} L{x - r},{y - r * 0.8} Z"
    if stance == Stance.REJECTS:
        return f"M{x - r},{y - r} L{x + r},{y + r} M{x + r},{y - r} L{x - r},{y + r}"
    if stance == Stance.NONCOMMITTAL:
        return f"M{x - r},{y - r} H{x + r} V{y + r} H{x - r} Z"
    # accepts (a disc) and accepts with conditions (a disc with a ring drawn by CSS class)
    return f"M{x - r},{y} a{r},{r} 0 1,0 {2 * r},0 a{r},{r} 0 1,0 {-2 * r},0"


@register.inclusion_tag("negotiations/_stance_chart.html")
def stance_chart(lanes, title: str = "Stance history") -> dict:
    moments = [p.as_of for lane in lanes for p in lane.history]
    if not moments:
        return {"lanes": [], "title": title}
    start, end = min(moments), max(moments)
    if end - start < datetime.timedelta(hours=1):
        start -= datetime.timedelta(hours=12)
        end += datetime.timedelta(hours=12)
    span = (end - start).total_seconds()

    def x_of(moment):
        return round(LABEL_WIDTH + (moment - start).total_seconds() / span * PLOT_WIDTH, 1)

    drawn = []
    for index, lane in enumerate(lanes):
        y = TOP_PAD + index * LANE_HEIGHT + LANE_HEIGHT / 2
        points = []
        for n, position in enumerate(lane.history):
            x = x_of(position.as_of)
            points.append(
                {
                    "x": x,
                    "y": y,
                    "path": _marker_path(position.stance, x, y),
                    "position": position,
                    # Alternate labels above and below so that close stances stay legible.
                    "label_y": y + (20 if n % 2 == 0 else -12),
                    "x_end": x_of(lane.history[n + 1].as_of)
                    if n + 1 < len(lane.history)
                    else LABEL_WIDTH + PLOT_WIDTH,
                }
            )
        drawn.append({"party": lane.party, "y": y, "points": points})
    height = TOP_PAD + len(lanes) * LANE_HEIGHT + 10
    middle = start + (end - start) / 2
    ticks = [
        {"x": x_of(moment), "moment": moment, "anchor": anchor}
        for moment, anchor in ((start, "start"), (middle, "middle"), (end, "end"))
    ]
    return {
        "lanes": drawn,
        "title": title,
        "width": LABEL_WIDTH + PLOT_WIDTH + RIGHT_PAD,
        "height": height,
        "plot_left": LABEL_WIDTH,
        "plot_right": LABEL_WIDTH + PLOT_WIDTH,
        "ticks": ticks,
        "same_day": start.date() == end.date(),
        "symbols": [(value, label, STANCE_SYMBOLS[value]) for value, label in Stance.choices],
    }


# -- the timeline's notices and density strip ----------------------------------------------


@register.filter
def field_label(form, name: str) -> str:
    field = form.fields.get(name)
    return field.label if field is not None and field.label else name


@register.filter
def zoomed_to(filters: TimelineFilters, bar) -> str:
    """The filter's query string narrowed to one bar's days."""
    return dataclasses.replace(filters, date_from=bar.start, date_to=bar.end).querystring()


@register.filter
def last_end(bars):
    return bars[-1].end if bars else None


DENSITY_HEIGHT = 20


def _bar_height(bar, peak: int) -> float:
    if not bar.count or not peak:
        return 0
    # Never thinner than a line: one item in a busy period must still show.
    return max(1.5, round(bar.count / peak * DENSITY_HEIGHT, 2))


@register.filter
def bar_height(bar, peak: int) -> float:
    return _bar_height(bar, peak)


@register.filter
def bar_top(bar, peak: int) -> float:
    return round(DENSITY_HEIGHT - _bar_height(bar, peak), 2)


@register.simple_tag
def cell_marks(marks, proposal, party):
    """The period's marks of one matrix cell (selectors.matrix_marks), or None."""
    return (marks or {}).get((proposal.pk, party.pk))


@register.filter
def index(sequence, position: int):
    return sequence[position]
