"""Accounts: analysts, editors and lead editors, each created with a one-time password."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import PasswordChangeRequired
from .roles import ANALYSTS, EDITORS, LEAD_EDITORS, roles_ensure

ROLES = (ANALYSTS, EDITORS, LEAD_EDITORS)
# Session key set at sign-in while the account's password is still the generated one.
ONE_TIME_SIGN_IN = "one_time_sign_in"


def role_is_staff(groups) -> bool:
    """Editors and lead editors work in the admin; analysts do not."""
    return bool({g.name for g in groups} & {EDITORS, LEAD_EDITORS})


@transaction.atomic
def user_create(*, username: str, group: str, email: str = "") -> tuple[AbstractBaseUser, str]:
    """Create an account in one role with a generated password, returned once and never
    stored readably; its owner must replace it at their first sign-in. Never a superuser."""
    if group not in ROLES:
        raise ValidationError(f"Unknown role {group!r}; choose one of {', '.join(ROLES)}.")
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"There is already an account {username!r}.")
    roles_ensure()
    role = Group.objects.get(name=group)
    password = secrets.token_urlsafe(12)
    user = User(username=username, email=email, is_staff=role_is_staff([role]))
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(role)
    PasswordChangeRequired.objects.create(user=user)
    return user, password


def password_change_needed(*, user: AbstractBaseUser) -> bool:
    return PasswordChangeRequired.objects.filter(user=user).exists()


def password_chosen(*, user: AbstractBaseUser) -> None:
    """The owner chose their own password: the generated one is gone."""
    PasswordChangeRequired.objects.filter(user=user).delete()
