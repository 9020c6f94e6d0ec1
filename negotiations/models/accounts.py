from django.conf import settings
from django.db import models


class PasswordChangeRequired(models.Model):
    """An account whose password was generated and shown once (add_user): its owner must
    choose their own at the next sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} must choose a password"
