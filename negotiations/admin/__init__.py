"""The editors' admin: domain records, sources, and the review queue for candidates."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from ..models import (
    Article,
    Condition,
    Event,
    Feed,
    Heartbeat,
    Party,
    Position,
    Proposal,
    Statement,
    StatementSource,
    Tombstone,
)
from ..models.review import CandidateStatement
from ..pickers import PartyTree, ranked
from ..services.claims import review_summary
from ..services.positions import position_correct
from ..services.statements import (
    statement_candidates_replace,
    statement_merge,
    statement_publish,
    statement_reject,
)
from . import people  # noqa: F401 (registers the user admin)
from .fields import AliasesField, UTCSplitDateTime
from .gazetteer import AliasPreviewMixin

EXCERPT_CONTEXT = 240
QUEUE_EXCERPT_CONTEXT = 90


def source_excerpt(statement: Statement, context: int = EXCERPT_CONTEXT) -> str:
    """The article text around a statement's span, the span itself marked; escaped."""
    article = statement.article
    if article is None or statement.span_start is None or not article.text:
        return format_html("<q>{}</q>", statement.text)
    text, start, end = article.text, statement.span_start, statement.span_end
    before = text[max(0, start - context) : start]
    after = text[end : end + context]
    return format_html(
        '<span class="excerpt">{}{}<mark>{}</mark>{}{}</span>',
        "…" if start > context else "",
        before,
        text[start:end],
        after,
        "…" if end + context < len(text) else "",
    )


class RankedSearch:
    """Autocomplete pickers list exact and top-level matches first (see negotiations.pickers);
    the change list keeps its own order."""

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return ranked(queryset, search_term), may_have_duplicates


class PartyForm(forms.ModelForm):
    aliases = AliasesField(help_text=Party._meta.get_field("aliases").help_text)

    class Meta:
        model = Party
        fields = "__all__"


@admin.register(Party)
class PartyAdmin(RankedSearch, AliasPreviewMixin, admin.ModelAdmin):
    form = PartyForm
    preview_kind = "party"
    readonly_fields = ["alias_preview"]
    list_display = ["name", "slug", "kind", "parent", "title", "alias_list", "updated_at"]
    list_filter = ["kind", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "title", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]

    @admin.display(description="aliases")
    def alias_list(self, obj):
        return ", ".join(obj.aliases)


class ProposalForm(forms.ModelForm):
    aliases = AliasesField(help_text=Proposal._meta.get_field("aliases").help_text)

    class Meta:
        model = Proposal
        fields = "__all__"


class ConditionInline(admin.TabularInline):
    model = Condition
    fields = ["set_by", "demanded_of", "category", "summary", "status"]
    autocomplete_fields = ["set_by", "demanded_of"]
    extra = 0
    show_change_link = True


@admin.register(Proposal)
class ProposalAdmin(RankedSearch, AliasPreviewMixin, admin.ModelAdmin):
    form = ProposalForm
    preview_kind = "proposal"
    readonly_fields = ["alias_preview"]
    list_display = [
        "name",
        "conflict",
        "slug",
        "kind",
        "scope",
        "duration_days",
        "proposed_by",
        "proposed_on",
        "parent",
    ]
    list_filter = ["conflict", "kind", ("proposed_by", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "scope", "aliases", "description"]
    date_hierarchy = "proposed_on"
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["proposed_by", "parent"]
    list_select_related = ["proposed_by", "parent", "conflict"]
    inlines = [ConditionInline]


# What a correction may change; anything else of a position is only ever added to.
CORRECTED_FIELDS = ("proposal", "stance", "party", "as_of")


class PositionInlineForm(forms.ModelForm):
    """Party and moment default to the statement's: who it speaks for, and when."""

    class Meta:
        model = Position
        fields = ["proposal", "stance", "party", "as_of", "note"]

    def __init__(self, *args, parent: Statement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        if self.instance.pk:
            # Append-only: a recorded stance is corrected from its own page, as a new one.
            for name in CORRECTED_FIELDS:
                self.fields[name].disabled = True
        self.fields["party"].required = False
        self.fields["party"].help_text = "Blank: the party the statement speaks for."
        self.fields["as_of"].required = False
        self.fields["as_of"].help_text = "Blank: when the statement was made."

    def clean(self):
        cleaned = super().clean()
        statement = self.parent
        if statement is not None:
            if not cleaned.get("party") and statement.speaker_id:
                cleaned["party"] = statement.stance_party
            if not cleaned.get("as_of") and statement.occurred_at:
                cleaned["as_of"] = statement.occurred_at
        if cleaned.get("proposal") and not cleaned.get("as_of"):
            raise ValidationError({"as_of": "Give the statement's date, or this stance's."})
        return cleaned


class PositionInlineFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        # The statement being edited, with the values just entered, even before it is saved.
        return {**super().get_form_kwargs(index), "parent": self.instance}

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            data = form.cleaned_data
            key = (data.get("proposal"), data.get("party"), data.get("as_of"))
            if None in key:
                continue
            if key in seen:
                raise ValidationError(
                    "Two stances of one party on one proposal at the same moment: "
                    f"{key[1]} on {key[0]}."
                )
            seen.add(key)


class PositionInline(admin.TabularInline):
    model = Position
    form = PositionInlineForm
    formset = PositionInlineFormSet
    fields = ["proposal", "stance", "party", "as_of", "note"]
    autocomplete_fields = ["proposal", "party"]
    formfield_overrides = {models.DateTimeField: {"widget": UTCSplitDateTime}}
    extra = 1
    can_delete = False
    show_change_link = True
    verbose_name = "position it evidences"
    verbose_name_plural = "positions it evidences"


class StatementConditionInline(admin.TabularInline):
    model = Statement.conditions.through
    autocomplete_fields = ["condition"]
    extra = 0
    verbose_name = "condition it states"
    verbose_name_plural = "conditions it states"


class StatementSourceInline(admin.TabularInline):
    model = StatementSource
    fk_name = "statement"
    fields = ["article", "source_url", "source_outlet", "source_title", "span_start", "span_end"]
    autocomplete_fields = ["article"]
    extra = 0
    verbose_name = "corroborating source (another outlet's report)"
    verbose_name_plural = "corroborating sources (other outlets' reports)"


STALE_FORM = (
    "Another editor saved this statement after you opened it, so nothing was saved: "
    "open it again to see their changes, then make yours."
)


class StatementForm(forms.ModelForm):
    """Saving a form opened before someone else saved the statement is refused: two editors
    never overwrite each other, and a stale form cannot change a statement's status back."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Statement
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Locked until the admin's transaction ends: a second save waits, then sees this one.
            saved = (
                Statement.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if saved is None or saved.isoformat() != cleaned.get("version"):
                raise ValidationError(STALE_FORM, code="stale")
        elif cleaned.get("speaker") and not cleaned.get("on_behalf_of"):
            # Blank: the speaker's state or bloc, so its stance lands in that column.
            cleaned["on_behalf_of"] = PartyTree.load().speaks_for(cleaned["speaker"].pk)
        return cleaned


WHO_FIELDS = ["version", "conflict", "speaker", "on_behalf_of", "occurred_at", "channel"]
MANUAL_HELP = "Blank: the speaker's state or bloc (Zelensky → Ukraine); a state speaks for itself."


class StatementFields:
    form = StatementForm
    formfield_overrides = {models.DateTimeField: {"widget": UTCSplitDateTime}}
    # A statement entered by hand: who, what, and the page it is on; nothing of the extractor.
    manual_fieldsets = [
        (None, {"fields": WHO_FIELDS}),
        ("What was said", {"fields": ["text", "is_verbatim"]}),
        (
            "Source",
            {
                "fields": ["source_url", "source_outlet", "source_title"],
                "description": "The address of the page it was said on. Left blank, the outlet "
                "and the title are filled in from the page in the background.",
            },
        ),
    ]
    fieldsets = [
        (None, {"fields": WHO_FIELDS}),
        ("What was said", {"fields": ["text", "is_verbatim"]}),
        (
            "Source",
            {
                "fields": [
                    "article",
                    "original",
                    "source_url",
                    "source_outlet",
                    "source_title",
                    ("span_start", "span_end"),
                    "excerpt",
                ],
                "description": "An article from the library, or a URL with outlet and title.",
            },
        ),
        (
            "Review",
            {
                "fields": [
                    "status",
                    "workbench",
                    "proposed",
                    "confidence",
                    "extractor",
                    "merged_into",
                    "reviewed_by",
                    "reviewed_at",
                ]
            },
        ),
    ]
    readonly_fields = [
        "excerpt",
        "original",
        "workbench",
        "proposed",
        "confidence",
        "span_start",
        "span_end",
        "reviewed_by",
        "reviewed_at",
        "extractor",
        "merged_into",
    ]
    autocomplete_fields = ["speaker", "on_behalf_of", "article"]
    list_select_related = ["speaker", "on_behalf_of", "article", "conflict"]
    search_fields = ["text", "speaker__name", "speaker__aliases", "article__title", "source_title"]

    def get_fieldsets(self, request, obj=None):
        if obj is None or obj.extractor == "manual":
            return self.manual_fieldsets
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "on_behalf_of" in form.base_fields:
            form.base_fields["on_behalf_of"].help_text = MANUAL_HELP
        return form

    def view_on_site(self, obj):
        """A published statement's permalink; a candidate's claim in the workbench."""
        if obj.status == Statement.Status.PUBLISHED:
            return obj.get_absolute_url()
        if obj.status == Statement.Status.CANDIDATE and obj.claim_id and not obj.merged_into_id:
            return f"{reverse('negotiations:review')}?claim={obj.claim_id}"
        return None

    @admin.display(description="source excerpt")
    def excerpt(self, obj):
        return source_excerpt(obj) if obj.pk else "—"

    @admin.display(description="the original")
    def original(self, obj):
        url = obj.source_link if obj.pk else ""
        if not url.startswith(("http://", "https://")):
            return "—"
        return format_html(
            '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', url, url
        )

    @admin.display(description="review it")
    def workbench(self, obj):
        url = self.view_on_site(obj) if obj.status == Statement.Status.CANDIDATE else None
        if not url:
            return "—"
        return format_html('<a href="{}">Open its claim in the review workbench</a>', url)

    @admin.display(description="what the extractor proposed")
    def proposed(self, obj):
        extraction = obj.extraction or {}
        stances = [f"{p['proposal']}: {p['stance']}" for p in extraction.get("positions", [])]
        conditions = [c.get("summary", "") for c in extraction.get("conditions", [])]
        reasons = extraction.get("reasons") or extraction.get("rules") or []
        return format_html(
            "<p>Stances: {}</p><p>Conditions: {}</p><p>Why: {}</p>",
            "; ".join(stances) or "none",
            "; ".join(conditions) or "none",
            "; ".join(reasons) or "—",
        )

    @admin.display(description="text", ordering="text")
    def short_text(self, obj):
        return Truncator(obj.text).chars(120)

    @admin.display(description="source")
    def source(self, obj):
        if obj.article_id:
            return obj.article.outlet or obj.article.title or obj.article.url
        return obj.source_outlet or obj.source_url

    def save_model(self, request, obj, form, change):
        # A review made in a form goes through the services, as the list actions do: they
        # record the reviewer and what the statement evidences. The edits are saved first,
        # with the status the statement had.
        if not change:
            obj.reviewed_by, obj.reviewed_at = request.user, timezone.now()
        status = obj.status if "status" in form.changed_data else None
        into = obj.merged_into if "merged_into" in form.changed_data else None
        if status in (Statement.Status.PUBLISHED, Statement.Status.REJECTED) or into:
            obj.status = form.get_initial_for_field(form.fields["status"], "status")
            obj.merged_into = None
        super().save_model(request, obj, form, change)
        if obj.source_url and not (obj.source_outlet and obj.source_title):
            from ..tasks import fill_statement_source

            fill_statement_source.delay_on_commit(obj.pk)
        try:
            if into is not None:
                statement_merge(statement=obj, into=into, reviewer=request.user)
                self.message_user(request, f"Merged into statement #{into.pk}.")
            elif status == Statement.Status.PUBLISHED:
                statement_publish(statement=obj, reviewer=request.user)
            elif status == Statement.Status.REJECTED:
                statement_reject(statement=obj, reviewer=request.user)
        except ValidationError as exc:
            self.message_user(request, exc.messages[0], messages.ERROR)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        statement = Statement.objects.get(pk=form.instance.pk)
        if statement.status == Statement.Status.PUBLISHED:
            # Said in words, so that a stance saved on the wrong proposal is seen at once.
            summary = review_summary(statement)
            self.message_user(request, f"Recorded: {summary}", messages.SUCCESS)


@admin.register(Statement)
class StatementAdmin(StatementFields, admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "speaker",
        "on_behalf_of",
        "channel",
        "short_text",
        "is_verbatim",
        "status",
        "source",
    ]
    list_filter = [
        "status",
        "conflict",
        "channel",
        "is_verbatim",
        ("speaker", admin.RelatedOnlyFieldListFilter),
        "extractor",
    ]
    date_hierarchy = "occurred_at"
    inlines = [PositionInline, StatementConditionInline, StatementSourceInline]
    actions = ["publish_selected", "reject_selected"]

    @admin.action(description="Publish the selected statements", permissions=["change"])
    def publish_selected(self, request, queryset):
        published = 0
        for statement in queryset.exclude(status=Statement.Status.PUBLISHED):
            try:
                statement_publish(statement=statement, reviewer=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{statement}: {exc.messages[0]}", messages.ERROR)
                continue
            self.log_change(request, statement, "Published.")
            published += 1
        self.message_user(request, f"Published {published} statement(s).", messages.SUCCESS)

    @admin.action(description="Reject the selected statements", permissions=["change"])
    def reject_selected(self, request, queryset):
        rejected = 0
        for statement in queryset.exclude(status=Statement.Status.REJECTED):
            statement_reject(statement=statement, reviewer=request.user)
            self.log_change(request, statement, "Rejected.")
            rejected += 1
        self.message_user(request, f"Rejected {rejected} statement(s).", messages.SUCCESS)


class CandidateForm(StatementForm):
    class Meta:
        model = CandidateStatement
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        into = cleaned.get("merged_into")
        if into is not None:
            if self.instance.pk and into.pk == self.instance.pk:
                raise ValidationError({"merged_into": "A statement cannot be merged into itself."})
            if into.merged_into_id:
                raise ValidationError(
                    {"merged_into": "That statement was itself merged; choose its target."}
                )
            if cleaned.get("status") == Statement.Status.PUBLISHED:
                raise ValidationError("Publish it, or merge it into another one: not both.")
        return cleaned


@admin.register(CandidateStatement)
class CandidateStatementAdmin(StatementAdmin):
    """The review queue in the admin: candidates from ingestion, most confident first.

    The workbench (/review/) is where claims are reviewed from the keyboard; here an editor
    may still change a candidate before publishing it: edits are saved first, then
    publishing records the positions and conditions in its extraction. Choosing "merged
    into" (a search picker) and saving merges it into that statement.
    """

    form = CandidateForm
    list_display = [
        "speaker",
        "queue_excerpt",
        "conflict",
        "confidence",
        "occurred_at",
        "source",
        "extractor",
    ]
    list_filter = [
        "conflict",
        "extractor",
        ("speaker", admin.RelatedOnlyFieldListFilter),
        "channel",
    ]
    ordering = ["-confidence", "-occurred_at"]
    list_per_page = 50
    readonly_fields = [f for f in StatementAdmin.readonly_fields if f != "merged_into"]
    autocomplete_fields = [*StatementAdmin.autocomplete_fields, "merged_into"]
    inlines = [PositionInline, StatementConditionInline]
    actions = ["publish_selected", "reject_selected"]

    class Media:
        css = {"all": ["css/admin-review.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Statement.Status.CANDIDATE)

    @admin.display(description="source excerpt")
    def queue_excerpt(self, obj):
        # Enough context to judge the attribution at a glance; the form shows more.
        return source_excerpt(obj, context=QUEUE_EXCERPT_CONTEXT)


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = "__all__"

    def corrected(self) -> bool:
        return bool(self.instance.pk) and any(f in self.changed_data for f in CORRECTED_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if self.corrected() and (not cleaned.get("note") or "note" not in self.changed_data):
            self.add_error(
                "note",
                "A recorded position is not rewritten: saving records a correction that "
                "supersedes it. Say in the note why.",
            )
        return cleaned

    def validate_unique(self):
        # A correction is a new row; the one being edited is never rewritten.
        if not self.corrected():
            super().validate_unique()


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    """Positions are append-only: changing a recorded one's stance, party, proposal or
    moment records a correction that supersedes it, with a note; none is deleted."""

    form = PositionForm
    list_display = ["as_of", "proposal", "party", "stance", "statement_link", "correction"]
    list_filter = [
        "stance",
        ("proposal", admin.RelatedOnlyFieldListFilter),
        ("party", admin.RelatedOnlyFieldListFilter),
    ]
    date_hierarchy = "as_of"
    search_fields = ["proposal__name", "party__name", "note"]
    autocomplete_fields = ["proposal", "party", "statement"]
    list_select_related = ["proposal", "party", "statement", "supersedes", "superseded_by"]

    def get_readonly_fields(self, request, obj=None):
        fields = ["recorded_by", "supersedes", "superseded"]
        if obj is not None:
            fields.append("statement")
            if hasattr(obj, "superseded_by"):
                fields += [*CORRECTED_FIELDS, "note"]
        return fields

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="evidence")
    def statement_link(self, obj):
        return Truncator(obj.statement.text if obj.statement_id else obj.note).chars(60)

    @admin.display(description="correction")
    def correction(self, obj):
        if hasattr(obj, "superseded_by"):
            return f"superseded by #{obj.superseded_by.pk}"
        return f"corrects #{obj.supersedes_id}" if obj.supersedes_id else ""

    @admin.display(description="superseded by")
    def superseded(self, obj):
        return f"#{obj.superseded_by.pk}" if hasattr(obj, "superseded_by") else "—"

    def save_model(self, request, obj, form, change):
        if change and form.corrected():
            correction = position_correct(
                position=Position.objects.get(pk=obj.pk),
                note=form.cleaned_data["note"],
                recorded_by=request.user,
                **{name: form.cleaned_data[name] for name in CORRECTED_FIELDS},
            )
            obj.refresh_from_db()
            self.message_user(
                request, f"Recorded as position #{correction.pk}, which supersedes #{obj.pk}."
            )
            return
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ["summary", "proposal", "set_by", "demanded_of", "category", "status"]
    list_filter = ["status", "category", ("set_by", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["summary", "proposal__name", "set_by__name"]
    autocomplete_fields = ["proposal", "set_by", "demanded_of", "first_stated_in"]
    list_select_related = ["proposal", "set_by", "demanded_of"]
    date_hierarchy = "created_at"


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "conflict", "kind", "title", "party_list"]
    list_filter = ["conflict", "kind", ("parties", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "description", "parties__name"]
    date_hierarchy = "occurred_at"
    autocomplete_fields = ["parties", "proposals", "article"]
    fields = [
        "conflict",
        "kind",
        "title",
        "occurred_at",
        "description",
        "parties",
        "proposals",
        "article",
        "source_url",
        "source_outlet",
        "source_title",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("parties")

    @admin.display(description="parties")
    def party_list(self, obj):
        return ", ".join(p.name for p in obj.parties.all())


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title_or_url",
        "outlet",
        "published_at",
        "fetch_status",
        "duplicate_of",
        "feed",
        "candidate_count",
    ]
    list_filter = ["fetch_status", "outlet", ("feed", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "url", "canonical_url", "outlet", "author"]
    date_hierarchy = "published_at"
    list_select_related = ["feed", "duplicate_of"]
    readonly_fields = [
        "content_hash",
        "near_duplicate_signature",
        "fetched_at",
        "extracted_at",
        "fetch_attempts",
        "leased_by",
        "leased_until",
        "task_due_at",
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["duplicate_of", "feed"]
    actions = ["extract_again", "process_again"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(candidates=Count("statements", filter=Q(statements__status="candidate")))
        )

    @admin.action(description="Extract candidates again (reviewed statements are kept)")
    def extract_again(self, request, queryset):
        created = 0
        for article in queryset.filter(duplicate_of__isnull=True).exclude(text=""):
            created += statement_candidates_replace(article=article)
            self.log_change(request, article, "Candidates extracted again.")
        self.message_user(request, f"{created} candidate(s) now await review.", messages.SUCCESS)

    @admin.action(description="Fetch and process the selected failed articles again")
    def process_again(self, request, queryset):
        from ..services.ingestion import articles_enqueue

        ids = list(
            queryset.filter(fetch_status=Article.FetchStatus.FAILED).values_list("pk", flat=True)
        )
        Article.objects.filter(pk__in=ids).update(
            fetch_status=Article.FetchStatus.PENDING, fetch_attempts=0, fetch_error=""
        )
        articles_enqueue(article_ids=ids)
        self.message_user(request, f"{len(ids)} article(s) queued.", messages.SUCCESS)

    @admin.display(description="title")
    def title_or_url(self, obj):
        return Truncator(obj.title or obj.url).chars(90)

    @admin.display(description="candidates", ordering="candidates")
    def candidate_count(self, obj):
        return obj.candidates


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "outlet",
        "enabled",
        "poll_interval_minutes",
        "last_success_at",
        "short_error",
        "last_error_at",
        "next_poll_at",
        "consecutive_failures",
        "last_status_code",
    ]
    list_filter = ["enabled", "outlet"]
    search_fields = ["name", "url", "outlet"]
    readonly_fields = [
        "etag",
        "last_modified",
        "last_polled_at",
        "last_success_at",
        "last_status_code",
        "last_error_at",
        "last_error",
        "consecutive_failures",
        "skipped_entries",
        "leased_by",
        "leased_until",
    ]
    actions = ["poll_now"]

    @admin.display(description="last error")
    def short_error(self, obj):
        return Truncator(obj.last_error).chars(80)

    @admin.action(description="Poll the selected feeds now", permissions=["change"])
    def poll_now(self, request, queryset):
        from ..tasks import poll_feed

        count = 0
        for feed in queryset:
            # Forced: an editor may poll a feed that is disabled, e.g. to check a fix.
            poll_feed.delay_on_commit(feed.pk, force=True)
            count += 1
        self.message_user(
            request, f"{count} feed poll(s) queued; refresh to see the results.", messages.SUCCESS
        )


@admin.register(Tombstone)
class TombstoneAdmin(admin.ModelAdmin):
    """Read-only: API clients sync their deletions from these."""

    list_display = ["deleted_at", "model", "object_id"]
    list_filter = ["model"]
    date_hierarchy = "deleted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Heartbeat)
