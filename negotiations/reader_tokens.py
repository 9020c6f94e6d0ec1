"""Personal tokens for readers that cannot sign in: feed readers and API clients.

A token stands for its owner for one purpose only (the Atom feed, or the JSON API) and
grants no more than the owner may read. It carries a fingerprint of the password hash,
so changing the password revokes every token that leaked; deactivating the user too. It
carries the moment it was made, and stops working READER_TOKEN_MAX_AGE_DAYS later.
"""

import datetime
import enum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac


class Purpose(enum.StrEnum):
    ATOM = "negotiations.atom-feed"
    API = "negotiations.api"


def _password_fingerprint(user, purpose: Purpose) -> str:
    return salted_hmac(purpose, user.password, algorithm="sha256").hexdigest()[:16]


def token_for(user, *, purpose: Purpose) -> str:
    return signing.dumps([user.pk, _password_fingerprint(user, purpose)], salt=purpose)


def token_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.READER_TOKEN_MAX_AGE_DAYS)


def user_from_token(token: str, *, purpose: Purpose):
    """The active user a token was made for, or None if it is forged, expired, revoked or
    unknown."""
    try:
        pk, fingerprint = signing.loads(token, salt=purpose, max_age=token_max_age())
    except (signing.BadSignature, TypeError, ValueError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None:
        return None
    if not constant_time_compare(_password_fingerprint(user, purpose), str(fingerprint)):
        return None
    return user
