"""The gazetteer in the admin: conflicts and their participants, suggestions from the news,
re-extraction progress, and a preview of what an alias would match before it is saved."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from ..models import (
    Conflict,
    Participation,
    ReextractionRun,
    Suggestion,
    SuggestionEvidence,
)
from ..services.gazetteer import suggestion_accept, suggestion_dismiss
from ..services.previews import alias_preview
from .fields import AliasesField

PREVIEW_ARTICLES = 200


class ParticipationInline(admin.TabularInline):
    model = Participation
    fields = ["party", "role", "side", "note"]
    autocomplete_fields = ["party"]
    extra = 0


class ConflictForm(forms.ModelForm):
    places = AliasesField(help_text=Conflict._meta.get_field("places").help_text)

    class Meta:
        model = Conflict
        fields = "__all__"


class AliasPreviewMixin:
    """A read-only field that previews, in recent articles, what the aliases would match."""

    preview_kind = ""

    @admin.display(description="what these aliases match")
    def alias_preview(self, obj):
        url = reverse("admin:negotiations_alias_preview")
        return format_html(
            '<button type="button" class="button" data-alias-preview="{}" data-kind="{}" '
            'data-object="{}">Preview matches in recent articles</button>'
            '<div class="alias-preview" aria-live="polite"></div>',
            url,
            self.preview_kind,
            obj.pk or "",
        )

    class Media:
        js = ["js/alias-preview.js"]
        css = {"all": ["css/admin-review.css"]}


@admin.register(Conflict)
class ConflictAdmin(AliasPreviewMixin, admin.ModelAdmin):
    form = ConflictForm
    preview_kind = "place"
    list_display = ["name", "slug", "started_on", "ended_on", "participant_count", "place_list"]
    search_fields = ["name", "slug", "places"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ParticipationInline]
    fields = ["name", "slug", "summary", "started_on", "ended_on", "places", "alias_preview"]
    readonly_fields = ["alias_preview"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(participants=Count("participations"))

    @admin.display(description="participants", ordering="participants")
    def participant_count(self, obj):
        return obj.participants

    @admin.display(description="places")
    def place_list(self, obj):
        return Truncator(", ".join(obj.places)).chars(80)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("alias-preview/", preview, name="negotiations_alias_preview"),
            *super().get_urls(),
        ]

    @staticmethod
    def preview_allowed(request) -> bool:
        return any(
            request.user.has_perm(f"negotiations.change_{m}")
            for m in ("party", "proposal", "conflict")
        )

    def preview_view(self, request):
        """An HTML fragment: sentences of recent articles the given aliases would match."""
        if request.method != "GET":
            return HttpResponse(status=405)
        if not self.preview_allowed(request):
            raise PermissionDenied
        kind = request.GET.get("kind", "")
        if kind not in ("party", "proposal", "place"):
            return HttpResponse("Unknown kind.", status=400, content_type="text/plain")
        aliases = [a.strip() for a in request.GET.get("aliases", "").split(",") if a.strip()]
        conflict_id = request.GET.get("conflict") or None
        if conflict_id is not None and not str(conflict_id).isdecimal():
            return HttpResponse("Unknown conflict.", status=400, content_type="text/plain")
        preview = alias_preview(
            kind=kind,
            aliases=aliases,
            conflict_id=int(conflict_id) if conflict_id else None,
            object_id=request.GET.get("object") or None,
            articles=PREVIEW_ARTICLES,
        )
        return TemplateResponse(request, "admin/negotiations/alias_preview.html", {"p": preview})


class EvidenceInline(admin.TabularInline):
    model = SuggestionEvidence
    fields = ["article_link", "sentence_marked", "seen_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0
    verbose_name_plural = "where it was seen"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="article")
    def article_link(self, obj):
        article = obj.article
        url = reverse("admin:negotiations_article_change", args=[article.pk])
        return format_html(
            '<a href="{}">{}</a>', url, Truncator(article.title or article.url).chars(70)
        )

    @admin.display(description="sentence")
    def sentence_marked(self, obj):
        return obj.sentence


class SuggestionForm(forms.ModelForm):
    aliases = AliasesField(help_text="Phrases that will find it in text, comma-separated.")

    class Meta:
        model = Suggestion
        fields = "__all__"


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """What the worker read that no record covers. Edit it, then accept, or dismiss."""

    form = SuggestionForm
    list_display = [
        "name",
        "kind_short",
        "conflict",
        "article_count",
        "last_seen",
        "status",
        "example",
    ]
    list_filter = ["status", "kind", "conflict"]
    search_fields = ["name", "phrase", "key", "aliases"]
    ordering = ["status", "-updated_at"]
    actions = ["accept_selected", "dismiss_selected"]
    autocomplete_fields = ["parent_party", "parent_proposal"]
    inlines = [EvidenceInline]
    record_fields = {
        Suggestion.Kind.PROPOSAL: ["name", "aliases", "proposal_kind", "parent_proposal"],
        Suggestion.Kind.PARTY: ["name", "aliases", "party_kind", "title", "parent_party"],
    }

    def get_fieldsets(self, request, obj=None):
        fields = self.record_fields.get(obj.kind if obj else "", ["name", "aliases"])
        return [
            (None, {"fields": ["kind", "conflict", "phrase", "status"]}),
            ("The record it would create (edit before accepting)", {"fields": fields}),
            ("Decision", {"fields": ["decided_by", "decided_at", "created_record"]}),
        ]

    class Media:
        css = {"all": ["css/admin-review.css"]}

    readonly_fields = [
        "kind",
        "conflict",
        "phrase",
        "status",
        "decided_by",
        "decided_at",
        "created_record",
    ]
    change_form_template = "admin/negotiations/suggestion_change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("conflict")
            .annotate(
                article_count_value=Count("evidence__article", distinct=True),
                last_seen_value=Max("evidence__seen_at"),
            )
            # Open first, then what the most articles mention.
            .order_by("status", "-article_count_value", "-updated_at")
        )

    def has_add_permission(self, request):
        return False  # suggestions come from the worker

    @admin.display(description="articles", ordering="article_count_value")
    def article_count(self, obj):
        return obj.article_count_value

    @admin.display(description="last seen", ordering="last_seen_value")
    def last_seen(self, obj):
        return obj.last_seen_value

    @admin.display(description="kind")
    def kind_short(self, obj):
        return obj.get_kind_display().split(" (")[0]

    @admin.display(description="example")
    def example(self, obj):
        first = obj.evidence.order_by("seen_at").first()
        return Truncator(first.sentence).chars(120) if first else "—"

    @admin.display(description="created")
    def created_record(self, obj):
        record = obj.created_proposal or obj.created_party
        if record is None:
            return "—"
        meta = record._meta
        url = reverse(f"admin:negotiations_{meta.model_name}_change", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record)

    def response_change(self, request, obj):
        if "_accept" in request.POST:
            self._accept(request, obj)
            return self.response_post_save_change(request, obj)
        if "_dismiss" in request.POST:
            suggestion_dismiss(suggestion=obj, editor=request.user)
            self.message_user(request, f"Dismissed “{obj.name}”: it will not be suggested again.")
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

    def _accept(self, request, suggestion) -> bool:
        try:
            record = suggestion_accept(suggestion=suggestion, editor=request.user)
        except ValidationError as exc:
            self.message_user(request, f"{suggestion.name}: {exc.messages[0]}", messages.ERROR)
            return False
        self.log_change(request, suggestion, f"Accepted: created {record}.")
        self.message_user(
            request,
            f"Created {record._meta.verbose_name} “{record}”; the articles it occurs in are "
            "being extracted again (see Re-extractions).",
            messages.SUCCESS,
        )
        return True

    @admin.action(description="Accept the selected suggestions as they are", permissions=["change"])
    def accept_selected(self, request, queryset):
        for suggestion in queryset.filter(status=Suggestion.Status.OPEN):
            self._accept(request, suggestion)

    @admin.action(description="Dismiss the selected suggestions for good", permissions=["change"])
    def dismiss_selected(self, request, queryset):
        count = 0
        for suggestion in queryset.exclude(status=Suggestion.Status.ACCEPTED):
            suggestion_dismiss(suggestion=suggestion, editor=request.user)
            count += 1
        self.message_user(request, f"Dismissed {count} suggestion(s).", messages.SUCCESS)


@admin.register(ReextractionRun)
class ReextractionRunAdmin(admin.ModelAdmin):
    """Background re-extraction after a gazetteer change, with its progress."""

    list_display = [
        "started_at",
        "reason",
        "conflict",
        "progress",
        "created_candidates",
        "finished_at",
    ]
    list_filter = ["conflict"]
    readonly_fields = [
        "reason",
        "conflict",
        "requested_by",
        "total",
        "progress",
        "created_candidates",
        "started_at",
        "finished_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(waiting=Count("articles"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="progress")
    def progress(self, obj):
        waiting = getattr(obj, "waiting", None)
        if waiting is None:
            waiting = obj.articles.count()
        done = obj.total - waiting
        percent = 100 * done // obj.total if obj.total else 100
        return format_html(
            '<progress max="{}" value="{}">{}%</progress> {} of {} article(s)',
            obj.total,
            done,
            percent,
            done,
            obj.total,
        )
