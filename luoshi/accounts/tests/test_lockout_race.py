"""Findings 7 and 10: the lock-out holds under simultaneous guesses against a real server, and
an office password reset ends the person's API access (tokens and the session API)."""

import re
import threading
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.conf import settings
from django.urls import reverse

from luoshi.accounts.actions import do_create_api_token, do_reset_password
from luoshi.accounts.models import ApiToken, Role, User
from luoshi.audit.models import AuditEvent
from luoshi.conftest import PASSWORD


def _guess(base: str, username: str, password: str) -> str:
    """One browser (its own cookie jar) loads the log-in form and posts one password."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    form = opener.open(f"{base}/login/", timeout=60).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf, "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(f"{base}/login/", data=data, headers={"Referer": base})
    try:
        return opener.open(request, timeout=60).read().decode()
    except urllib.error.HTTPError as e:
        return f"HTTP {e.code}"


@pytest.mark.django_db(transaction=True)
def test_simultaneous_wrong_passwords_are_checked_exactly_up_to_the_limit(
    live_server, people, monkeypatch
):
    checked = []
    real_check = User.check_password

    def counting_check(self, raw):
        if self.username == "liaison_a":
            checked.append(raw)
        return real_check(self, raw)

    monkeypatch.setattr(User, "check_password", counting_check)
    barrier = threading.Barrier(16)
    answers: list[str] = []

    def attacker(k):
        barrier.wait()
        answers.append(_guess(live_server.url, "liaison_a", f"guess-{k}"))

    threads = [threading.Thread(target=attacker, args=(k,)) for k in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    limit = settings.LOGIN_MAX_FAILURES
    assert len(answers) == 16
    assert len(checked) == limit  # never more passwords looked at than the limit allows
    assert sum("用户名或密码不正确" in a for a in answers) == limit - 1
    assert sum("账号已锁定" in a for a in answers) == 16 - (limit - 1)
    assert User.objects.get(username="liaison_a").is_locked()
    events = AuditEvent.objects.filter(object_id=str(people.liaison_a.pk))
    assert events.filter(action="user.login_failed").count() == limit - 1
    assert events.filter(action="user.lock").count() == 1
    # Even the right password now waits for the lock to pass.
    assert "账号已锁定" in _guess(live_server.url, "liaison_a", PASSWORD)
    assert len(checked) == limit


@pytest.mark.django_db
def test_the_right_password_on_the_last_try_still_logs_in(people, client):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        client.post(reverse("login"), {"username": "liaison_a", "password": "wrong-password"})
    assert (
        client.post(reverse("login"), {"username": "liaison_a", "password": PASSWORD}).status_code
        == 302
    )
    user = User.objects.get(username="liaison_a")
    assert not user.is_locked() and user.failed_logins == 0


@pytest.mark.django_db
def test_an_office_reset_revokes_the_persons_api_tokens(people, tree, client):
    _, key = do_create_api_token(
        user=people.liaison_a, name="报表系统", role=Role.LIAISON, unit=tree.town_a, actor=None
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/me", **auth).status_code == 200
    do_reset_password(people.liaison_a, actor=people.office)
    assert client.get("/api/v1/me", **auth).status_code == 401
    assert not ApiToken.objects.live().filter(user=people.liaison_a).exists()
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


@pytest.mark.django_db
def test_a_temporary_password_does_not_open_the_session_api(people, client):
    temporary = do_reset_password(people.liaison_a, actor=people.office)
    client.post(reverse("login"), {"username": "liaison_a", "password": temporary})
    answer = client.get("/api/v1/tasks")
    assert answer.status_code == 403 and "密码" in answer.json()["detail"]
    assert client.get("/api/v1/me").status_code == 403
    client.post(
        reverse("password_change"),
        {"old_password": temporary, "new_password": "a-better-pass-2026",
         "new_password2": "a-better-pass-2026"},
    )  # fmt: skip
    assert client.get("/api/v1/me").status_code == 200
