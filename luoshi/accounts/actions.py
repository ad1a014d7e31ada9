"""Every write to people, memberships, log-in state and API tokens."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.audit.chain import record, snapshot
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.orgs.models import Unit

from .models import ApiToken, Membership, Role, User, hash_token_key
from .permissions import require_office
from .scope import forget_scope, scope_for

_USER_FIELDS = ["username", "full_name", "mobile", "is_active", "must_change_password"]


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise ActionError(" ".join(e.messages), field="password") from e


def _check_identity_free(username: str, mobile: str | None, exclude_pk=None) -> None:
    if User.objects.filter(username=username).exclude(pk=exclude_pk).exists():
        raise ActionError(
            _("User name “%(name)s” is already taken.") % {"name": username}, field="username"
        )
    if mobile and User.objects.filter(mobile=mobile).exclude(pk=exclude_pk).exists():
        raise ActionError(
            _("Mobile number %(mobile)s already belongs to someone.") % {"mobile": mobile},
            field="mobile",
        )
    if mobile and (not mobile.isdigit() or len(mobile) != 11):
        raise ActionError(_("A mobile number has 11 digits."), field="mobile")


def _require_office_over_user(actor, user: User) -> None:
    """The actor must be office staff over at least one of the person's units."""
    if actor is None or actor.is_superuser:
        return
    units = [m.unit for m in user.memberships.select_related("unit")]
    if not any(scope_for(actor).is_office_for(u) for u in units):
        raise NotAllowed(_("Only the supervision office responsible for this person may do this."))


@transaction.atomic
def do_create_user(
    *,
    username: str,
    full_name: str,
    mobile: str | None = None,
    password: str | None = None,
    password_hash: str | None = None,
    must_change_password: bool = True,
    actor,
) -> User:
    """Create a person. Give ``password`` (checked against the rules) or an
    already-hashed ``password_hash`` (the demo shares one hash for speed)."""
    require_office(actor)
    username, mobile = username.strip(), (mobile or "").strip() or None
    if not username:
        raise ActionError(_("User name is required."), field="username")
    _check_identity_free(username, mobile)
    user = User(
        username=username,
        full_name=full_name.strip(),
        mobile=mobile,
        must_change_password=must_change_password,
    )
    if password_hash:
        user.password = password_hash
    elif password:
        _check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record(actor=actor, action="user.create", obj=user, after=snapshot(user, _USER_FIELDS))
    return user


@transaction.atomic
def do_update_user(user: User, *, full_name=None, mobile=..., is_active=None, actor) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_office_over_user(actor, user)
    before = snapshot(user, _USER_FIELDS)
    if full_name is not None:
        user.full_name = full_name.strip()
    if mobile is not ...:
        mobile = (mobile or "").strip() or None
        _check_identity_free(user.username, mobile, exclude_pk=user.pk)
        user.mobile = mobile
    if is_active is not None:
        if actor is not None and actor.pk == user.pk and not is_active:
            raise ActionError(_("You cannot deactivate your own account."), field="is_active")
        user.is_active = is_active
    user.save()
    after = snapshot(user, _USER_FIELDS)
    if after != before:
        record(actor=actor, action="user.update", obj=user, before=before, after=after)
    return user


@transaction.atomic
def do_add_membership(
    *, user: User, unit: Unit, role: str, title: str = "", sees_all: bool = False, actor
) -> Membership:
    require_office(actor, unit)
    if role not in Role.values:
        raise ActionError(_("Unknown role “%(role)s”.") % {"role": role}, field="role")
    if not unit.is_active:
        raise ActionError(_("“%(unit)s” is no longer active.") % {"unit": unit}, field="unit")
    if sees_all and role != Role.LEADER:
        raise ActionError(_("Only a leader can be given the whole jurisdiction."), field="sees_all")
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"title": title, "sees_all": sees_all}
    )
    before = None if created else snapshot(membership)
    membership.title, membership.sees_all, membership.active = title, sees_all, True
    membership.save()
    record(
        actor=actor,
        action="membership.add",
        obj=membership,
        before=before,
        after=snapshot(membership),
    )
    forget_scope(user)
    return membership


@transaction.atomic
def do_end_membership(membership: Membership, *, actor) -> Membership:
    """End a membership. The row stays, so past records still show who acted in which role."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    require_office(actor, membership.unit)
    before = snapshot(membership)
    membership.active = False
    membership.save(update_fields=["active"])
    record(
        actor=actor,
        action="membership.end",
        obj=membership,
        before=before,
        after=snapshot(membership),
    )
    return membership


@transaction.atomic
def do_change_password(user: User, *, old_password: str, new_password: str) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise ActionError(_("The current password is not right."), field="old_password")
    if old_password == new_password:
        raise ActionError(
            _("The new password must differ from the current one."), field="new_password"
        )
    _check_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record(actor=user, action="user.change_password", obj=user)


@transaction.atomic
def do_reset_password(user: User, *, actor) -> str:
    """Set a temporary password the person must change at the next log-in, and revoke every API
    token of theirs; return the password once."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_office_over_user(actor, user)
    temporary = "Ls-" + secrets.token_urlsafe(9)
    user.set_password(temporary)
    user.must_change_password = True
    user.failed_logins, user.locked_until = 0, None
    user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
    record(actor=actor, action="user.reset_password", obj=user)
    # A reset means the old secret may be known to someone else; the person's API keys are
    # secrets of the same standing, so they stop too (the person makes new ones when needed).
    for token in ApiToken.objects.live().filter(user=user):
        do_revoke_api_token(token, actor=actor)
    return temporary


@transaction.atomic
def do_unlock_user(user: User, *, actor) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_office_over_user(actor, user)
    user.failed_logins, user.locked_until = 0, None
    user.save(update_fields=["failed_logins", "locked_until"])
    record(actor=actor, action="user.unlock", obj=user)
    return user


@transaction.atomic
def do_claim_login_attempt(user: User) -> int | None:
    """Count a log-in attempt under the account's row lock *before* its password is checked.

    Returns the attempt's number in the current run of failures (1 … LOGIN_MAX_FAILURES), or
    None when the account is locked and the password must not be checked at all. The attempt
    that uses up the last try locks the account at once, so simultaneous guesses queue on the
    row lock and exactly LOGIN_MAX_FAILURES passwords are ever checked; if that last attempt
    turns out to hold the right password, `do_record_login` lifts the lock again. (Checking
    first and counting afterwards let 16 simultaneous guesses all be checked.)"""
    user = User.objects.select_for_update().get(pk=user.pk)
    now = timezone.now()
    if user.is_locked(now):
        return None
    user.failed_logins += 1
    attempt = user.failed_logins
    if attempt >= settings.LOGIN_MAX_FAILURES:
        user.locked_until = now + timedelta(minutes=settings.LOCKOUT_MINUTES)
        user.failed_logins = 0
    user.save(update_fields=["failed_logins", "locked_until"])
    return attempt


@transaction.atomic
def do_record_login_failure(user: User, attempt: int) -> None:
    """Audit a wrong password counted by `do_claim_login_attempt` (the last one locked)."""
    locked = attempt >= settings.LOGIN_MAX_FAILURES
    record(actor=None, action="user.lock" if locked else "user.login_failed", obj=user)


@transaction.atomic
def do_record_login(user: User) -> None:
    User.objects.filter(pk=user.pk).update(
        failed_logins=0, locked_until=None, last_login=timezone.now()
    )
    record(actor=user, action="user.login", obj=user)


@transaction.atomic
def do_create_api_token(
    *, user: User, name: str, role: str, unit: Unit, actor
) -> tuple[ApiToken, str]:
    """Create a token acting as ``user`` in one of their memberships.

    Returns the token and its key; the key is shown once and only its hash is kept.
    """
    if actor is not None and actor.pk != user.pk:
        _require_office_over_user(actor, user)
    if not name.strip():
        raise ActionError(_("Give the token a name, e.g. the system that uses it."), field="name")
    if not Membership.objects.active().filter(user=user, role=role, unit=unit).exists():
        raise ActionError(
            _("%(user)s holds no active “%(role)s” role in %(unit)s.")
            % {"user": user, "role": Role(role).label, "unit": unit},
            field="role",
        )
    key = "lsk_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=key[:12],
        key_hash=hash_token_key(key),
        role=role,
        unit=unit,
    )
    record(actor=actor, action="api_token.create", obj=token, after=snapshot(token))
    return token, key


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, actor) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if actor is not None and actor.pk != token.user_id:
        _require_office_over_user(actor, token.user)
    if token.revoked_at is None:
        before = snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            actor=actor, action="api_token.revoke", obj=token, before=before, after=snapshot(token)
        )
    return token
