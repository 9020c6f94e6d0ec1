"""The workbench's forms: the queue filter, and a claim's pre-filled, editable rows."""

from django import forms
from django.core.exceptions import ValidationError

from ..models import Channel, Condition, Party, Stance, Statement
from ..pickers import PartyTree
from .selectors import ReviewFilters

CONFIDENCE_CHOICES = [("", "Any")] + [(v, f"{v} or more") for v in ("0.5", "0.7", "0.9")]


class ReviewFilterForm(forms.Form):
    """Parses the queue's GET parameters; a value that no longer exists is dropped, so that
    a stale link still shows a queue."""

    conflict = forms.ChoiceField(required=False)
    outlet = forms.ChoiceField(required=False)
    speaker = forms.ChoiceField(required=False, label="Speaker (and members)")
    proposal = forms.ChoiceField(required=False)
    confidence = forms.ChoiceField(required=False, choices=CONFIDENCE_CHOICES)

    def __init__(self, data, *, conflicts, outlets, parties, proposals):
        super().__init__(data)
        self.fields["conflict"].choices = [("", "All")] + [(c.slug, c.name) for c in conflicts]
        self.fields["outlet"].choices = [("", "All")] + [(o, o) for o in outlets]
        self.fields["speaker"].choices = [("", "Anyone")] + [(p.slug, p.name) for p in parties]
        self.fields["proposal"].choices = [("", "Any")] + [(p.slug, p.name) for p in proposals]

    def filters(self) -> ReviewFilters:
        self.is_valid()
        data = self.cleaned_data
        confidence = data.get("confidence")
        return ReviewFilters(
            conflict=data.get("conflict", ""),
            outlet=data.get("outlet", ""),
            speaker=data.get("speaker", ""),
            proposal=data.get("proposal", ""),
            confidence=float(confidence) if confidence else None,
        )


class PartySelect(forms.Select):
    """Each option says whom that party speaks for, so that the page can follow a change
    of speaker with the matching "on behalf of"."""

    speaks_for: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.speaks_for:
            option["attrs"]["data-speaks-for"] = self.speaks_for[str(value)]
        return option


def _party_choices(groups) -> list:
    return [(label, [(p.pk, p.name) for p in parties]) for label, parties in groups]


class ClaimForm(forms.Form):
    """Who said it, for whom, when and how; the rows (stances, conditions) are formsets."""

    version = forms.CharField(widget=forms.HiddenInput)
    speaker = forms.TypedChoiceField(
        coerce=int, widget=PartySelect, help_text=Statement._meta.get_field("speaker").help_text
    )
    on_behalf_of = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="On behalf of",
        help_text=Statement._meta.get_field("on_behalf_of").help_text,
    )
    occurred_at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    channel = forms.ChoiceField(choices=Channel.choices)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="What was said")
    is_verbatim = forms.BooleanField(required=False, label="Verbatim quote")

    def __init__(self, *args, party_groups, tree: PartyTree, **kwargs):
        super().__init__(*args, **kwargs)
        self.tree = tree
        choices = _party_choices(party_groups)
        speaks_for = {
            str(pk): str(target.pk) for pk in tree.parties if (target := tree.speaks_for(pk))
        }
        self.fields["speaker"].choices = choices
        self.fields["speaker"].widget.speaks_for = speaks_for
        self.fields["on_behalf_of"].choices = [("", "— the speaker itself —"), *choices]

    def party(self, pk: int | None) -> Party | None:
        return self.tree.parties.get(pk) if pk is not None else None


class StanceRowForm(forms.Form):
    proposal = forms.ChoiceField(required=False)
    stance = forms.ChoiceField(choices=[("", "—"), *Stance.choices], required=False)

    def __init__(self, *args, proposals, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = [("", "— no stance (remove the row) —"), *proposals]

    def clean(self):
        data = super().clean()
        if data.get("proposal") and not data.get("stance"):
            raise ValidationError({"stance": "Choose the stance on this proposal."})
        return data

    def item(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("proposal"):
            return None
        return {"proposal": data["proposal"], "stance": data["stance"]}


class ConditionRowForm(forms.Form):
    proposal = forms.ChoiceField(required=False)
    category = forms.ChoiceField(choices=[("", "—"), *Condition.Category.choices], required=False)
    summary = forms.CharField(max_length=300, required=False)
    demanded_of = forms.ChoiceField(required=False, label="Demanded of")

    def __init__(self, *args, proposals, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = [("", "— no condition (remove the row) —"), *proposals]
        self.fields["demanded_of"].choices = [("", "—"), *parties]

    def clean(self):
        data = super().clean()
        if data.get("proposal"):
            if not data.get("category"):
                self.add_error("category", "Choose what kind of condition it is.")
            if not data.get("summary"):
                self.add_error("summary", "Say what the condition is.")
        return data

    def item(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("proposal"):
            return None
        item = {k: data[k] for k in ("proposal", "category", "summary")}
        if data.get("demanded_of"):
            item["demanded_of"] = data["demanded_of"]
        return item


class RowFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        items = [f.item() for f in self.forms if f.is_valid()]
        items = [i for i in items if i]
        proposals = [i["proposal"] for i in items if "stance" in i]
        if len(proposals) != len(set(proposals)):
            raise ValidationError("One stance per proposal: two rows name the same proposal.")
        self.items = list({repr(sorted(i.items())): i for i in items}.values())


StanceRows = forms.formset_factory(StanceRowForm, formset=RowFormSet, extra=1)
ConditionRows = forms.formset_factory(ConditionRowForm, formset=RowFormSet, extra=1)
