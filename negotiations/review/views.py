"""The review workbench: one page (/review/) and the actions posted from it.

Every action answers an htmx request with the page's `workbench` fragment, focused on the
next claim and saying what was recorded; without JavaScript it redirects to that page.
"""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ..access import page_guard
from ..models import Claim, Statement
from ..pickers import PartyTree, party_options, proposal_options
from ..selectors import filter_choices
from ..services.claims import (
    REVIEWED_MESSAGE,
    UNDO_SECONDS,
    ClaimChanged,
    Review,
    claim_merge,
    claim_publish,
    claim_reject,
    review_undo,
)
from . import selectors
from .forms import ClaimForm, ConditionRows, ReviewFilterForm, StanceRows

REVIEW_PERMISSION = "negotiations.change_statement"
TEMPLATE = "negotiations/review.html"


def can_review(user) -> bool:
    return user.is_authenticated and user.has_perm(REVIEW_PERMISSION)


# Anonymous → sign in; signed in without review rights (an analyst) → 403.
editor_required = page_guard(can_review)


def _filters(request) -> tuple[ReviewFilterForm, selectors.ReviewFilters]:
    choices = filter_choices()
    outlets = (
        selectors.waiting_candidates()
        .exclude(article__outlet="")
        .values_list("article__outlet", flat=True)
        .distinct()
        .order_by("article__outlet")
    )
    form = ReviewFilterForm(
        request.GET,
        conflicts=choices.conflicts,
        outlets=list(outlets),
        parties=choices.parties,
        proposals=choices.proposals,
    )
    return form, form.filters()


def _claim_param(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _claim_forms(view: selectors.ClaimView, data=None) -> dict:
    """The claim's form and rows: bound to what was posted, or pre-filled from the claim."""
    tree = PartyTree.load()
    groups = party_options(conflict_id=view.conflict.pk, tree=tree)
    primary = view.primary.statement
    behalf = primary.on_behalf_of or tree.speaks_for(primary.speaker_id)
    initial = {
        "version": view.version,
        "speaker": primary.speaker_id,
        "on_behalf_of": behalf.pk if behalf else None,
        "occurred_at": primary.occurred_at,
        "channel": primary.channel,
        "text": primary.text,
        "is_verbatim": primary.is_verbatim,
    }
    rows = {
        "proposals": [(p.slug, p.name) for p in proposal_options(conflict_id=view.conflict.pk)],
        "parties": [(p.slug, p.name) for _, members in groups for p in members],
    }
    return {
        "claim_form": ClaimForm(data, initial=initial, party_groups=groups, tree=tree),
        "stance_rows": StanceRows(
            data,
            prefix="stance",
            initial=view.extraction.get("positions", []),
            form_kwargs=rows,
        ),
        "condition_rows": ConditionRows(
            data,
            prefix="condition",
            initial=view.extraction.get("conditions", []),
            form_kwargs=rows,
        ),
    }


def _render(
    request,
    *,
    filter_form,
    filters,
    claim_id: int | None,
    forms: dict | None = None,
    confirmation: dict | None = None,
    error: str = "",
    status: int = 200,
    push: bool = False,
):
    merge_q = request.GET.get("merge_q", "")
    if request.htmx and request.htmx.target == "merge-results" and claim_id:
        # The search picker, as the editor types: only its results.
        view = selectors.claim_detail(pk=claim_id)
        context = {"view": view, "filters": filters, "merge_q": merge_q}
        context["merge_targets"] = selectors.merge_targets(view=view, q=merge_q) if view else []
        return render(request, f"{TEMPLATE}#merge_results", context)
    queue = selectors.review_queue(filters=filters)
    view = selectors.claim_detail(pk=claim_id) if claim_id else None
    if claim_id and view is None and not error:
        error = "That claim has been reviewed already; here is the next one."
    if view is None and queue.ids:
        view = selectors.claim_detail(pk=queue.ids[0])
    position, previous, following = queue.around(view.claim.pk if view else None)
    context = {
        "filter_form": filter_form,
        "filters": filters,
        "queue": queue,
        "view": view,
        "position": position,
        "previous": previous,
        "following": following,
        "confirmation": confirmation,
        # The page offers undo for this long; the service accepts it for UNDO_SECONDS.
        "undo_seconds": min(settings.REVIEW_UNDO_SECONDS, UNDO_SECONDS),
        "error": error,
        "merge_q": merge_q,
        "merge_targets": selectors.merge_targets(view=view, q=merge_q) if view else [],
    }
    if view is not None:
        context.update(forms or _claim_forms(view))
    template = TEMPLATE
    if request.htmx and not request.htmx.history_restore_request:
        template += "#merge_results" if request.htmx.target == "merge-results" else "#workbench"
    response = render(request, template, context, status=status)
    if push and request.htmx:
        claim = view.claim.pk if view else None
        response["HX-Push-Url"] = _page_url(filters, claim)
    return response


def _page_url(filters, claim_id: int | None) -> str:
    query = filters.querystring(claim=claim_id or "")
    return reverse("negotiations:review") + (f"?{query}" if query else "")


@require_GET
@editor_required
def review(request):
    filter_form, filters = _filters(request)
    confirmation = request.session.pop("review_confirmation", None)
    return _render(
        request,
        filter_form=filter_form,
        filters=filters,
        claim_id=_claim_param(request.GET.get("claim")),
        confirmation=confirmation,
    )


class NotRecorded(ValidationError):
    """The editor's form did not validate: shown again, as posted, with what is wrong."""

    def __init__(self, message: str, *, forms: dict):
        super().__init__(message)
        self.forms = forms


def _action(view_function):
    """An action on one claim: run it, then show the next claim and what was recorded (or
    why nothing was). htmx swaps only successful responses, so a refusal answers an htmx
    request with 200 and says itself what went wrong."""

    @functools.wraps(view_function)
    def wrapper(request, pk=None):
        filter_form, filters = _filters(request)
        claim = get_object_or_404(Claim, pk=pk) if pk is not None else None
        queue_before = selectors.queue_ids(filters=filters)
        page = functools.partial(_render, request, filter_form=filter_form, filters=filters)
        try:
            review = view_function(request, claim)
        except ValidationError as exc:
            status = 409 if isinstance(exc, ClaimChanged) else 400
            return page(
                claim_id=claim.pk if claim else _claim_param(request.POST.get("claim")),
                forms=getattr(exc, "forms", None),
                error=" ".join(exc.messages),
                status=200 if request.htmx else status,
            )
        request.session["review_undo"] = review.undo
        confirmation = {"summary": review.summary, "undo": review.undo is not None}
        next_id = _next_claim(review, queue_before, selectors.queue_ids(filters=filters))
        if not request.htmx:
            request.session["review_confirmation"] = confirmation
            return HttpResponseRedirect(_page_url(filters, next_id), status=303)
        return page(claim_id=next_id, confirmation=confirmation, push=True)

    return wrapper


def _next_claim(review: Review, before: list[int], after: list[int]) -> int | None:
    """The claim to show after a review: the one that followed it in the queue (or, at the
    end, the one before it); after an undo, the claim itself."""
    if review.action == "undone":
        return review.claim_id
    if review.claim_id in before:
        index = before.index(review.claim_id)
        before = before[index + 1 :] + before[:index][::-1]
    waiting = set(after)
    return next((pk for pk in before if pk in waiting), None)


def _changes(view, *, claim_form, stance_rows, condition_rows) -> dict | None:
    """What the editor's form says the statement is, or None when it does not validate."""
    if not (claim_form.is_valid() and stance_rows.is_valid() and condition_rows.is_valid()):
        return None
    data = claim_form.cleaned_data
    extraction = dict(view.primary.statement.extraction or {})
    extraction.update(positions=stance_rows.items, conditions=condition_rows.items)
    return {
        "speaker": claim_form.party(data["speaker"]),
        "on_behalf_of": claim_form.party(data["on_behalf_of"]),
        "occurred_at": data["occurred_at"],
        "channel": data["channel"],
        "text": data["text"],
        "is_verbatim": data["is_verbatim"],
        "extraction": extraction,
    }


@require_POST
@editor_required
@_action
def review_publish(request, claim) -> Review:
    """Publish the claim with what the form says (the editor's edits, if any)."""
    view = selectors.claim_detail(pk=claim.pk)
    if view is None:
        raise ClaimChanged(REVIEWED_MESSAGE)
    changes, forms = None, None
    if view.published is None:  # else its reports become the published statement's sources
        forms = _claim_forms(view, request.POST)
        changes = _changes(view, **forms)
        if changes is None:
            raise NotRecorded("Nothing was recorded: correct what is marked below.", forms=forms)
    try:
        return claim_publish(
            claim=claim, reviewer=request.user, changes=changes, version=request.POST.get("version")
        )
    except ClaimChanged:
        raise
    except ValidationError as exc:
        message = f"Nothing was recorded: {' '.join(exc.messages)}"
        raise NotRecorded(message, forms=forms) from exc


@require_POST
@editor_required
@_action
def review_reject(request, claim) -> Review:
    return claim_reject(claim=claim, reviewer=request.user, version=request.POST.get("version"))


@require_POST
@editor_required
@_action
def review_merge(request, claim) -> Review:
    """Merge the claim into the published statement the editor picked from the search."""
    into = Statement.objects.filter(
        pk=_claim_param(request.POST.get("into")), status=Statement.Status.PUBLISHED
    ).first()
    if into is None:
        raise ValidationError("Choose the published statement it repeats from the list.")
    return claim_merge(
        claim=claim, into=into, reviewer=request.user, version=request.POST.get("version")
    )


@require_POST
@editor_required
@_action
def review_undo_last(request, claim) -> Review:
    """Undo the editor's last review, moments after making it."""
    record = request.session.pop("review_undo", None)
    if not record:
        raise ValidationError("There is nothing to undo.")
    return review_undo(record=record, reviewer=request.user)
