"""Middleware of the project's own."""

from django.utils.cache import patch_cache_control


def private_when_signed_in(get_response):
    """Responses for a signed-in reader (by session, Atom token or bearer token) are
    theirs: no shared cache may keep them."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response

    return middleware
