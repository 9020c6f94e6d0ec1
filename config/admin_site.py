from django.contrib import admin
from django.core.exceptions import PermissionDenied


class CeasefireAdminSite(admin.AdminSite):
    site_header = "Ceasefire Tracker — editors"
    site_title = "Ceasefire Tracker admin"
    index_title = "Editing and review"

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            # A signed-in analyst is refused plainly instead of being shown a
            # sign-in form that cannot help them.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied("The admin is for editors.")
            return inner(request, *args, **kwargs)

        return guarded
