"""Rate limits on log-in (per address) and the API (per person), shared through the database
cache so every web process counts the same requests; and log-in's ?next= stays on this site."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from luoshi.accounts.actions import do_create_api_token
from luoshi.accounts.models import Role
from luoshi.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def post_login(client, username, password, address="10.0.0.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_log_in_attempts_are_limited_per_address(people, client, settings):
    settings.LOGIN_RATE = "3/m"
    for name in ("a", "b", "c"):  # three different names: the per-account lock-out is not it
        assert post_login(client, name, "wrong").status_code == 200
    refused = post_login(client, "office", PASSWORD)
    assert refused.status_code == 429
    assert "登录尝试过多" in refused.content.decode()
    assert 'value="office"' in refused.content.decode()  # what was typed is still there
    assert "_auth_user_id" not in client.session  # even the right password waits
    assert post_login(client, "office", PASSWORD, address="10.0.0.8").status_code == 302
    cache.clear()  # the minute has passed
    client.logout()
    assert post_login(client, "office", PASSWORD).status_code == 302


def test_api_requests_are_limited_per_person(people, tree, client, settings):
    settings.API_RATE = "4/m"
    _, key = do_create_api_token(
        user=people.liaison_a, name="脚本", role=Role.LIAISON, unit=tree.town_a, actor=None
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    codes = [client.get("/api/v1/me", **auth).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    other = do_create_api_token(
        user=people.liaison_b, name="脚本", role=Role.LIAISON, unit=tree.town_b, actor=None
    )[1]
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 200


def test_the_limits_are_counted_in_the_shared_database_cache(settings):
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    cache.set("probe", 1)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM luoshi_cache")
        assert cursor.fetchone()[0] >= 1


@pytest.mark.parametrize(
    "target, lands",
    [("/supervision/", "/supervision/"), ("https://evil.example/x", "/"), ("//evil.example", "/")],
)
def test_log_in_next_stays_on_this_site(people, client, target, lands):
    response = client.post(
        reverse("login") + f"?next={target}", {"username": "office", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == lands
