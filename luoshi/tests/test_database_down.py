"""The database going away answers 503 with a clear page (and JSON on the API), rendered
without touching the database; when it is back, the next request works again."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def refuse_every_query(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


@pytest.fixture
def plain_client(client):
    client.raise_request_exception = False  # answer as production does
    return client


def test_pages_and_api_answer_503_while_the_database_is_away(people, login, plain_client):
    login(people.liaison_a)
    with connection.execute_wrapper(refuse_every_query):
        page = plain_client.get("/supervision/")
        api = plain_client.get("/api/v1/me")
    assert page.status_code == 503 and page["Retry-After"] == "30"
    text = page.content.decode()
    assert "暂时无法访问" in text and "不会丢失" in text
    assert api.status_code == 503 and "数据库" in api.json()["detail"]
    assert plain_client.get("/supervision/").status_code == 200  # back by itself


def test_after_a_form_the_page_sends_people_back_instead_of_reloading(people, login, plain_client):
    login(people.liaison_a)
    with connection.execute_wrapper(refuse_every_query):
        response = plain_client.post("/inbox/read/")
    text = response.content.decode()
    assert response.status_code == 503 and "返回" in text and 'http-equiv="refresh"' not in text


def test_other_errors_stay_500_with_their_own_page(people, login, plain_client, monkeypatch):
    login(people.office)
    monkeypatch.setattr("luoshi.views.scope_for", lambda user: 1 / 0)
    response = plain_client.get("/")
    assert response.status_code == 500 and "服务器出错" in response.content.decode()
