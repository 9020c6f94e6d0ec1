"""People in the admin: lead editors add and change analysts and editors, nothing more."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group

from ..services.roles import GRANTED_BY_LEAD_EDITORS, LEAD_EDITORS
from ..services.users import role_is_staff

User = get_user_model()


class PeopleAdmin(UserAdmin):
    """The user admin; for a lead editor (not a superuser) it lists and edits only analysts
    and editors, offers only those two roles, and never the staff or superuser switches or
    individual permissions: being staff follows from the role."""

    lead_fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        ("Role", {"fields": ("groups", "is_active")}),
    )
    lead_add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2", "groups"),
            },
        ),
    )

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.lead_add_fieldsets if obj is None else self.lead_fieldsets

    def get_queryset(self, request):
        people = super().get_queryset(request)
        if request.user.is_superuser:
            return people
        return people.filter(is_superuser=False).exclude(groups__name=LEAD_EDITORS)

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=GRANTED_BY_LEAD_EDITORS)
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if not request.user.is_superuser:
            staff = role_is_staff(user.groups.all())
            if user.is_staff != staff:
                user.is_staff = staff
                user.save(update_fields=["is_staff"])


admin.site.unregister(User)
admin.site.register(User, PeopleAdmin)
