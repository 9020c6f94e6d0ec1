from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.postgres.forms import SimpleArrayField
from django.utils.html import format_html


class AliasesField(SimpleArrayField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(forms.CharField(max_length=100), delimiter=",", **kwargs)

    def to_python(self, value):
        # Forgive spaces after commas and trailing commas.
        cleaned = ",".join(part.strip() for part in (value or "").split(",") if part.strip())
        return super().to_python(cleaned)


class UTCSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs, saying that they are in UTC (the site's zone)."""

    def render(self, name, value, attrs=None, renderer=None):
        inputs = super().render(name, value, attrs, renderer)
        return format_html('{}<span class="timezone-note">UTC</span>', inputs)
