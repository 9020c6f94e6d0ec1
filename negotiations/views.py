"""Analyst pages. Placeholder until the timeline issue lands: lists only."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Party, Proposal, Statement


@require_GET
@login_required
def timeline(request):
    statements = Statement.objects.filter(status=Statement.Status.PUBLISHED).select_related(
        "speaker"
    )[:50]
    return render(request, "negotiations/placeholder.html", {"items": statements})


@require_GET
@login_required
def proposal_list(request):
    return render(request, "negotiations/placeholder.html", {"items": Proposal.objects.all()})


@require_GET
@login_required
def proposal_detail(request, slug):
    proposal = get_object_or_404(Proposal, slug=slug)
    return render(request, "negotiations/placeholder.html", {"items": [proposal]})


@require_GET
@login_required
def party_detail(request, slug):
    party = get_object_or_404(Party, slug=slug)
    return render(request, "negotiations/placeholder.html", {"items": [party]})


@require_GET
@login_required
def statement_detail(request, pk):
    statement = get_object_or_404(Statement, pk=pk, status=Statement.Status.PUBLISHED)
    return render(request, "negotiations/placeholder.html", {"items": [statement]})
