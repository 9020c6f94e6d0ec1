"""Who may read: one check for the pages, the exports, the Atom feed and the API.

A reader is a signed-in member of Analysts or Editors (the view permission on statements),
or anyone when CEASEFIRE_PUBLIC_READ is set. Tools that cannot keep a session bring a
personal token (negotiations.reader_tokens) that stands for its owner, never for more.
"""

import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django_htmx.http import HttpResponseClientRedirect

from .reader_tokens import Purpose, user_from_token

READ_PERMISSION = "negotiations.view_statement"


def can_read(user) -> bool:
    return settings.PUBLIC_READ or user.has_perm(READ_PERMISSION)


def page_guard(allowed):
    """A view decorator: callers that `allowed(user)` refuses go to sign in when anonymous,
    and get a 403 when signed in."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if allowed(request.user):
                return view(request, *args, **kwargs)
            if request.user.is_authenticated:
                raise PermissionDenied
            if getattr(request, "htmx", False):
                # A fragment request must not swap the sign-in page into the list.
                login = f"{settings.LOGIN_URL}?next={request.htmx.current_url_abs_path or '/'}"
                return HttpResponseClientRedirect(login)
            return redirect_to_login(request.get_full_path())

        return wrapper

    return decorator


# Anonymous → sign in (unless PUBLIC_READ); signed in without the permission → 403.
reader_required = page_guard(can_read)


def feed_token_accepted(view):
    """Let a feed reader in with the personal token of the link it was given."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.GET.get("token")
        if token and not request.user.is_authenticated:
            user = user_from_token(token, purpose=Purpose.ATOM)
            if user is not None:
                request.user = user
        return view(request, *args, **kwargs)

    return wrapper
