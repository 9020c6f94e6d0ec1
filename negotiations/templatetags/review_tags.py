"""Template helpers for the review workbench."""

from django import template

register = template.Library()


@register.filter
def with_claim(filters, claim_id) -> str:
    """The queue filter's query string, focused on a claim."""
    return filters.querystring(claim=claim_id or "")
