"""Template context for every page."""

import functools


def review_waiting(request) -> dict:
    """How many claims wait for review, for the header's link to the workbench; counted
    only when an editor's page shows it."""
    from .review.selectors import waiting_counts
    from .review.views import can_review

    @functools.cache
    def count() -> int | None:
        if not can_review(request.user):
            return None
        return waiting_counts()[0]

    return {"review_waiting": count}
