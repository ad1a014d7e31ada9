"""Inputs PostgreSQL cannot hold answer 400/422, not 500 (found by bench/fuzz_api.py)."""

import pytest

from luoshi.accounts.actions import do_create_api_token
from luoshi.accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_token(people, tree):
    return do_create_api_token(
        user=people.office, name="脚本", role=Role.OFFICE, unit=tree.root, actor=None
    )[1]


def test_a_nul_character_is_refused_in_queries_and_json(client, office_token):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {office_token}"}
    response = client.get("/api/v1/units?q=%00", **auth)
    assert response.status_code == 400 and "空字符" in response.json()["detail"]
    response = client.put(
        "/api/v1/indicators/x/values/2026-Q3",
        '{"values": [{"unit_code": "A\\u0000", "value": "1"}]}',
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 400
    assert client.get("/api/v1/units?q=甲", **auth).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/units/99999999999999999999999",
        "/api/v1/units?parent=99999999999999999999999",
        "/api/v1/tasks?page=920798868927375365506173239296",
        "/api/v1/units?page_size=100000000",
    ],
)
def test_numbers_beyond_the_database_are_refused(client, office_token, url):
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {office_token}").status_code == 422
