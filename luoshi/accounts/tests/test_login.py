import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from luoshi.accounts.actions import do_reset_password, do_unlock_user
from luoshi.accounts.models import User
from luoshi.audit.models import AuditEvent
from luoshi.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_log_in_by_user_name_or_mobile(people, client):
    assert post_login(client, "office", PASSWORD).status_code == 302
    client.logout()
    assert post_login(client, "13800000001", PASSWORD).status_code == 302
    assert (
        AuditEvent.objects.filter(action="user.login", object_id=str(people.office.pk)).count() == 2
    )


def test_wrong_password_is_refused_in_chinese(people, client):
    response = post_login(client, "office", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_after_repeated_failures_even_with_the_right_password(people, client):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = post_login(client, "liaison_a", "wrong-password")
    assert "账号已锁定" in response.content.decode()
    user = User.objects.get(username="liaison_a")
    assert user.is_locked()
    response = post_login(client, "liaison_a", PASSWORD)
    assert response.status_code == 200 and "账号已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="user.lock", object_id=str(user.pk)).exists()
    # The office unlocks; the right password works again.
    do_unlock_user(user, actor=people.office)
    assert post_login(client, "liaison_a", PASSWORD).status_code == 302


def test_lock_expires_by_itself(people, client):
    user = people.liaison_a
    User.objects.filter(pk=user.pk).update(
        locked_until=timezone.now() - timezone.timedelta(seconds=1)
    )
    assert post_login(client, "liaison_a", PASSWORD).status_code == 302


def test_sessions_expire(people, client):
    post_login(client, "office", PASSWORD)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert client.session.get_expire_at_browser_close()


def test_production_hasher_is_argon2():
    from luoshi import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user = User(username="x")
        user.set_password(PASSWORD)
        assert identify_hasher(user.password).algorithm == "argon2"


def test_reset_password_forces_a_change_at_next_log_in(people, client):
    temporary = do_reset_password(people.liaison_a, actor=people.office)
    assert post_login(client, "liaison_a", temporary).status_code == 302
    assert client.get(reverse("orgs:tree")).url == reverse("password_change")
    weak = client.post(
        reverse("password_change"),
        {
            "old_password": temporary,
            "new_password": "12345678901",
            "new_password2": "12345678901",
        },
    )
    assert weak.status_code == 200 and "errorlist" in weak.content.decode()
    good = client.post(
        reverse("password_change"),
        {
            "old_password": temporary,
            "new_password": "a-better-pass-2026",
            "new_password2": "a-better-pass-2026",
        },
    )
    assert good.status_code == 302
    assert client.get(reverse("orgs:tree")).status_code == 200
    assert not User.objects.get(pk=people.liaison_a.pk).must_change_password


def test_a_liaison_cannot_reset_anyone(people, login):
    client = login(people.liaison_a)
    response = client.post(reverse("accounts:person_reset_password", args=[people.liaison_a1.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="user.reset_password").exists()


def test_disabled_account_cannot_log_in(people, client, login):
    office = login(people.office)
    office.post(reverse("accounts:person_set_active", args=[people.liaison_b.pk]), {"active": "0"})
    office.logout()
    assert post_login(client, "liaison_b", PASSWORD).status_code == 200
