"""Signing in with a one-time password: its owner chooses their own before anything else."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy

from .services.users import ONE_TIME_SIGN_IN, password_change_needed, password_chosen


def remember_password_change(sender, request, user, **kwargs) -> None:
    """At sign-in (user_logged_in): note in the session whether the password is a
    generated one, so that later requests need no query to know."""
    if password_change_needed(user=user):
        request.session[ONE_TIME_SIGN_IN] = True


def password_change_required(get_response):
    """Middleware: while the password is the generated one, every page leads to changing
    it (signing out and static files excepted)."""

    def middleware(request):
        if request.session.get(ONE_TIME_SIGN_IN) and request.user.is_authenticated:
            free = (reverse("password_change"), reverse("logout"))
            if request.path not in free and not request.path.startswith(
                "/" + settings.STATIC_URL.lstrip("/")
            ):
                return redirect("password_change")
        return get_response(request)

    return middleware


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/choose_password.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_chosen(user=form.user)
        self.request.session.pop(ONE_TIME_SIGN_IN, None)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_chosen.html"
