"""The timeline filter: one parser for the page, the exports, the Atom feed and the API."""

import dataclasses
import datetime
from urllib.parse import urlencode

from django import forms

from .models import Channel, Conflict, Party, Proposal, Stance

# A date input's value must be ISO, whatever the site's locale renders dates as.
ISO_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KIND_CHOICES = [("statement", "Statements"), ("event", "Events")]
MAX_QUERY_LENGTH = 200


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
# Dates the timeline can hold: far enough apart for any record, near enough that a day
# more or less never leaves what the database and Python can represent.
EARLIEST_DATE, LATEST_DATE = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)


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
    date_from = forms.DateField(label="From", required=False, widget=ISO_DATE)
    date_to = forms.DateField(label="To", required=False, widget=ISO_DATE)
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

    def _clean_date(self, name):
        day = self.cleaned_data.get(name)
        if day and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise forms.ValidationError(
                f"Choose a day between {EARLIEST_DATE:%Y} and {LATEST_DATE:%Y}."
            )
        return day

    def clean_date_from(self):
        return self._clean_date("date_from")

    def clean_date_to(self):
        return self._clean_date("date_to")

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
