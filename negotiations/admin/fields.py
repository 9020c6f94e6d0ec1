from django import forms
from django.contrib.postgres.forms import SimpleArrayField


class AliasesField(SimpleArrayField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(forms.CharField(max_length=100), delimiter=",", **kwargs)

    def to_python(self, value):
        # Forgive spaces after commas and trailing commas.
        cleaned = ",".join(part.strip() for part in (value or "").split(",") if part.strip())
        return super().to_python(cleaned)
