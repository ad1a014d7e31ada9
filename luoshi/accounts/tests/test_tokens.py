import re

import pytest

from luoshi.accounts.actions import do_add_membership, do_create_api_token, do_revoke_api_token
from luoshi.accounts.models import ApiToken, Role
from luoshi.lib.errors import ActionError

pytestmark = pytest.mark.django_db


def bearer(client, key, url):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_token_works_is_stored_hashed_and_records_last_use(people, client):
    token, key = do_create_api_token(
        user=people.liaison_a,
        name="乡镇系统",
        role=Role.LIAISON,
        unit=people.liaison_a.memberships.get().unit,
        actor=people.liaison_a,
    )
    assert key not in token.key_hash and token.prefix == key[:12]
    response = bearer(client, key, "/api/v1/units")
    assert response.status_code == 200
    assert {u["code"] for u in response.json()["items"]} == {"A", "A1", "A2"}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_sees_only_through_its_own_membership(people, tree, client):
    # The same person is also a liaison of 乙街道; a token made for 甲镇 must not see it.
    do_add_membership(user=people.liaison_a, unit=tree.town_b, role=Role.LIAISON, actor=None)
    _token, key = do_create_api_token(
        user=people.liaison_a,
        name="甲镇",
        role=Role.LIAISON,
        unit=tree.town_a,
        actor=people.liaison_a,
    )
    assert bearer(client, key, f"/api/v1/units/{tree.town_b.pk}").status_code == 404
    assert bearer(client, key, f"/api/v1/units/{tree.town_a.pk}").status_code == 200
    me = bearer(client, key, "/api/v1/me").json()
    assert [m["unit_code"] for m in me["memberships"]] == ["A"]


def test_revoked_token_and_wrong_key_answer_401(people, tree, client):
    token, key = do_create_api_token(
        user=people.office, name="大屏", role=Role.OFFICE, unit=tree.root, actor=people.office
    )
    assert bearer(client, key, "/api/v1/me").status_code == 200
    do_revoke_api_token(token, actor=people.office)
    assert bearer(client, key, "/api/v1/me").status_code == 401
    assert bearer(client, key + "x", "/api/v1/me").status_code == 401


def test_token_stops_when_its_membership_ends(people, tree, client):
    from luoshi.accounts.actions import do_end_membership

    _token, key = do_create_api_token(
        user=people.liaison_b, name="t", role=Role.LIAISON, unit=tree.town_b, actor=people.liaison_b
    )
    do_end_membership(people.liaison_b.memberships.get(), actor=people.office)
    assert bearer(client, key, "/api/v1/me").status_code == 401


def test_token_cannot_be_made_for_a_role_not_held(people, tree):
    with pytest.raises(ActionError) as e:
        do_create_api_token(
            user=people.liaison_a,
            name="x",
            role=Role.OFFICE,
            unit=tree.root,
            actor=people.liaison_a,
        )
    assert e.value.field == "role"
    assert not ApiToken.objects.exists()


def test_tokens_page_creates_shows_key_once_and_revokes(people, login):
    client = login(people.liaison_a)
    membership = people.liaison_a.memberships.get()
    response = client.post("/accounts/tokens/", {"name": "对接", "membership": membership.pk})
    key = re.search(r"lsk_[A-Za-z0-9_-]{40,}", response.content.decode()).group(0)
    token = ApiToken.objects.get()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert key not in client.get("/accounts/tokens/").content.decode()
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_someone_elses_token_cannot_be_revoked(people, tree, login):
    token, _key = do_create_api_token(
        user=people.office, name="x", role=Role.OFFICE, unit=tree.root, actor=people.office
    )
    response = login(people.liaison_a).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_openapi_schema_is_published(people, login):
    schema = login(people.office).get("/api/v1/openapi.json").json()
    assert "/api/v1/units/{unit_id}" in schema["paths"]
