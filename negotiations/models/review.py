from .statements import Statement


class CandidateStatement(Statement):
    """Statements awaiting review, as a queue of their own in the admin."""

    class Meta:
        proxy = True
        verbose_name = "candidate statement (review queue)"
        verbose_name_plural = "candidate statements (review queue)"
