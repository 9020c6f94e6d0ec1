"""The timeline filter: one parser for the page, the exports, the Atom feed and the API."""

import dataclasses
import datetime
from urllib.parse import urlencode

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.dateparse import parse_datetime

from .models import Channel, Conflict, Party, Proposal, Stance

# A date input's value must be ISO, whatever the site's locale renders dates as.
ISO_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KIND_CHOICES = [("statement", "Statements"), ("event", "Events")]
MAX_QUERY_LENGTH = 200
# Dates outside these are typos, and the ends of Python's calendar overflow in arithmetic.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)
DATE_RANGE_MESSAGE = f"Give a date between {EARLIEST_DATE} and {LATEST_DATE}."
DATE_VALIDATORS = [
    MinValueValidator(EARLIEST_DATE, message=DATE_RANGE_MESSAGE),
    MaxValueValidator(LATEST_DATE, message=DATE_RANGE_MESSAGE),
]


@dataclasses.dataclass(frozen=True)
class TimelineFilters:
    """What an analyst asked to see. Slugs and choice values, as they appear in URLs."""

    conflicts: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    proposals: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    q: str = ""
    headlines: bool = False
    sort: str = ""

    @property
    def ranked(self) -> bool:
        """Ordered by relevance when there is a text query, unless newest first is asked for."""
        return bool(self.q) and self.sort != "newest"

    @property
    def is_empty(self) -> bool:
        return self == TimelineFilters()

    def params(self) -> list[tuple[str, str]]:
        """The query-string pairs that reproduce this filter."""
        pairs = [("conflict", v) for v in self.conflicts]
        pairs += [("party", v) for v in self.parties]
        pairs += [("proposal", v) for v in self.proposals]
        pairs += [("stance", v) for v in self.stances]
        pairs += [("kind", v) for v in self.kinds]
        pairs += [("channel", v) for v in self.channels]
        if self.date_from:
            pairs.append(("date_from", self.date_from.isoformat()))
        if self.date_to:
            pairs.append(("date_to", self.date_to.isoformat()))
        if self.q:
            pairs.append(("q", self.q))
        if self.headlines:
            pairs.append(("headlines", "1"))
        if self.sort:
            pairs.append(("sort", self.sort))
        return pairs

    def querystring(self, **extra: str) -> str:
        return urlencode(self.params() + [(k, v) for k, v in extra.items() if v])

    def without(self, name: str, value: str = "") -> "TimelineFilters":
        """This filter less one value of one parameter (or the whole parameter)."""
        if name in ("date_from", "date_to"):
            return dataclasses.replace(self, **{name: None})
        if name == "q":
            return dataclasses.replace(self, q="", headlines=False, sort="")
        if name in ("headlines", "sort"):
            return dataclasses.replace(self, **{name: type(getattr(self, name))()})
        field = PLURAL[name]
        kept = tuple(v for v in getattr(self, field) if value and v != value)
        return dataclasses.replace(self, **{field: kept})


# Query parameter → TimelineFilters field, for the parameters that may repeat.
PLURAL = {
    "conflict": "conflicts",
    "party": "parties",
    "proposal": "proposals",
    "stance": "stances",
    "kind": "kinds",
    "channel": "channels",
}


class TimelineFilterForm(forms.Form):
    """Parses GET parameters into TimelineFilters.

    The parties and proposals are passed in (see selectors.filter_choices) so that one query
    each serves validation, the rendered checkboxes and the party tree.
    """

    q = forms.CharField(
        label="Search text", required=False, max_length=MAX_QUERY_LENGTH, strip=True
    )
    conflict = forms.MultipleChoiceField(
        label="Conflict", required=False, widget=forms.CheckboxSelectMultiple
    )
    party = forms.MultipleChoiceField(
        label="Party", required=False, widget=forms.CheckboxSelectMultiple
    )
    proposal = forms.MultipleChoiceField(
        label="Proposal", required=False, widget=forms.CheckboxSelectMultiple
    )
    stance = forms.MultipleChoiceField(
        label="Stance", required=False, choices=Stance.choices, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.MultipleChoiceField(
        label="Kind", required=False, choices=KIND_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    channel = forms.MultipleChoiceField(
        label="Channel",
        required=False,
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    date_from = forms.DateField(
        label="From", required=False, widget=ISO_DATE, validators=DATE_VALIDATORS
    )
    date_to = forms.DateField(
        label="To", required=False, widget=ISO_DATE, validators=DATE_VALIDATORS
    )
    headlines = forms.BooleanField(label="Also search sources’ headlines", required=False)
    sort = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[("", "Most relevant first when searching"), ("newest", "Newest first")],
    )

    def __init__(
        self,
        data,
        *,
        parties: list[Party],
        proposals: list[Proposal],
        conflicts: list[Conflict] = (),
        lenient: bool = False,
        **kwargs,
    ):
        """With `lenient`, values that name no choice (a party since deleted, a mistyped
        stance in a shared link) are dropped and listed in `dropped` instead of failing
        the whole filter: the page says so and shows the rest. The API and the exports
        stay strict, so that a tool learns of its mistake."""
        self.named_choices = {
            "conflict": [(c.slug, c.name) for c in conflicts],
            "party": [(p.slug, p.name) for p in parties],
            "proposal": [(p.slug, p.name) for p in proposals],
        }
        self.dropped: list[tuple[str, str]] = []
        if lenient and data is not None:
            data = self._without_unknown_values(data)
        super().__init__(data, **kwargs)
        for name, choices in self.named_choices.items():
            self.fields[name].choices = choices

    def _without_unknown_values(self, data):
        data = data.copy()
        for name in PLURAL:
            if name in self.named_choices:
                known = {value for value, _ in self.named_choices[name]}
            else:
                known = {str(value) for value, _ in self.base_fields[name].choices}
            values = data.getlist(name)
            kept = [v for v in values if v in known]
            if len(kept) != len(values):
                self.dropped += [(name, v) for v in values if v not in known]
                data.setlist(name, kept)
        return data

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    def filters(self) -> TimelineFilters:
        """The parsed filter; call after is_valid()."""
        data = self.cleaned_data
        return TimelineFilters(
            conflicts=tuple(data["conflict"]),
            parties=tuple(data["party"]),
            proposals=tuple(data["proposal"]),
            stances=tuple(data["stance"]),
            kinds=tuple(data["kind"]),
            channels=tuple(data["channel"]),
            date_from=data["date_from"],
            date_to=data["date_to"],
            q=data["q"],
            headlines=bool(data["headlines"]) and bool(data["q"]),
            sort=data["sort"],
        )

    def error_summary(self) -> dict[str, list[str]]:
        return {field: [str(e) for e in errors] for field, errors in self.errors.items()}


# -- single parameters of the API ---------------------------------------------------------


def parse_limit(raw: str | None, *, default: int, maximum: int) -> int:
    """A page size from a query string; ValueError with a message for the caller."""
    raw = (raw or "").strip() or str(default)
    # str.isdigit() admits "²" and other digits int() refuses: ASCII digits only.
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:
        raise ValueError(f"A whole number from 1 to {maximum}.")
    return int(raw)


def parse_moment(raw: str | None) -> datetime.datetime | None:
    """An ISO 8601 date-time with a zone from a query string (a "+" may have arrived as a
    space); None if absent; ValueError with a message for an impossible one."""
    if not raw:
        return None
    message = "An ISO 8601 date-time with a zone, e.g. 2025-03-18T00:00:00Z."
    try:
        moment = parse_datetime(raw.strip().replace(" ", "+"))
    except (ValueError, OverflowError):  # well-formed but impossible: 2025-02-30
        raise ValueError(message) from None
    if moment is None or moment.tzinfo is None:
        raise ValueError(message)
    if not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
        raise ValueError(DATE_RANGE_MESSAGE)
    return moment
