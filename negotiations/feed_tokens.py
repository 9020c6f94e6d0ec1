"""Personal Atom feed addresses.

A feed reader cannot sign in, so a subscriber's address carries a signed token that
stands for its owner on the Atom feed alone. Changing the password changes the token,
which revokes an address that leaked.
"""

from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "negotiations.atom-feed"


def _password_fingerprint(user) -> str:
    return salted_hmac(SALT, user.password, algorithm="sha256").hexdigest()[:16]


def feed_token_for(user) -> str:
    return signing.dumps([user.pk, _password_fingerprint(user)], salt=SALT)


def user_from_feed_token(token: str):
    """The active user a token was made for, or None if it is forged, stale or unknown."""
    try:
        pk, fingerprint = signing.loads(token, salt=SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None or not constant_time_compare(_password_fingerprint(user), str(fingerprint)):
        return None
    return user
