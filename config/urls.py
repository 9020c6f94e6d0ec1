from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from negotiations import health


def favicon(request):
    # Browsers ask for /favicon.ico on every page, the admin's included. Resolved per
    # request: with the manifest storage the name is only known once static is collected.
    return redirect(static("img/favicon.svg"), permanent=True)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset by e-mail (Django's views; the admin's templates).
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("", include("negotiations.urls")),
]
