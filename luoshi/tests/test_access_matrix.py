"""The access matrix: every page and API endpoint, tried by every role, against the table.

`access_matrix.EXPECTED` holds, for each URL pattern the project serves, which objects its
arguments point at and, per method, one letter per role (legend in that module). This test
asks each URL as each role — logged-out, each membership role, a person with no membership,
an expired session, and for the API one bearer token per role plus a revoked one — and
compares. A URL pattern missing from the table fails, so a new endpoint cannot ship without
somebody deciding who may use it.

Each request runs in a savepoint that is rolled back, so an allowed action (complete a task,
publish) does not change what the next role sees.

    ACCESS_MATRIX_PRINT=1  print the observed table as Python (to review a deliberate change)
    ACCESS_MATRIX_MD=path  write the observed table as Markdown (docs/ACCESS_MATRIX.md)
"""

import json
import os
import re
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from luoshi.evaluation.tests.conftest import scheme  # noqa: F401  (fixture)
from luoshi.supervision.tests.conftest import make_task, source  # noqa: F401  (fixtures)
from luoshi.tests.access_matrix import (
    EXPECTED,
    LEGEND,
    POST_DATA,
    ROLES,
    TOKEN_ROLES,
    letter_for,
)
from luoshi.tests.access_world import build_world

pytestmark = pytest.mark.django_db


def served_routes():
    """(route text, name to reverse) for every URL pattern, walked from the root resolver."""

    def walk(resolver, prefix, namespace):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), f"{namespace}{p.name}"

    return dict(walk(get_resolver(), "", ""))


def test_every_served_url_has_an_entry_and_every_entry_is_served():
    routes = set(served_routes())
    assert routes - set(EXPECTED) == set(), "add these URLs to luoshi/tests/access_matrix.py"
    assert set(EXPECTED) - routes == set(), "these entries name URLs that no longer exist"


def _clients(people, world):
    clients = {"anon": Client()}
    for role in ROLES[1:]:
        clients[role] = Client()
        clients[role].force_login(getattr(people, role))
    expired = Client()
    expired.force_login(people.office)
    Session.objects.filter(session_key=expired.session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    clients["expired"] = expired
    for role in TOKEN_ROLES:
        clients[f"token:{role}"] = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[role]}")
    return clients


def _url(name, args, world):
    kwargs = {}
    for pair in args.split():
        key, value = pair.split("=")
        obj = getattr(world, value)
        kwargs[key] = getattr(obj, "pk", obj)
    return reverse(name, kwargs=kwargs)


def _ask(client, method, url, is_api, data):
    """One request whose effects are rolled back, cookies included (a log-out must not stick)."""
    cookies = SimpleCookie(client.cookies)
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        elif is_api:
            body = json.dumps(data or {})
            response = client.generic(method, url, body, content_type="application/json")
        else:
            response = client.post(url, data or {})
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def observe(people, world):
    clients = _clients(people, world)
    names = served_routes()
    observed = {}
    for route, (args, methods) in EXPECTED.items():
        url = _url(names[route], args, world)
        is_api = route.startswith("api/")
        columns = ROLES + ["expired"] + ([f"token:{r}" for r in TOKEN_ROLES] if is_api else [])
        make_data = POST_DATA.get(route)
        observed[route] = {
            method: "".join(
                letter_for(_ask(clients[c], method, url, is_api, make_data and make_data(world)))
                for c in columns
            )
            for method in methods
        }
    return observed


def test_the_whole_table(people, tree, make_task, scheme):  # noqa: F811
    world = build_world(people, tree, make_task, scheme)
    observed = observe(people, world)
    if os.environ.get("ACCESS_MATRIX_PRINT"):
        print_table(observed)
    if os.environ.get("ACCESS_MATRIX_MD"):
        write_markdown(observed, os.environ["ACCESS_MATRIX_MD"])
    wrong = []
    for route, (_, methods) in EXPECTED.items():
        columns = ROLES + ["expired"] + TOKEN_ROLES
        for method, expected in methods.items():
            got = observed[route][method]
            # An expired session is a logged-out visitor: its column must equal anon's.
            assert got[len(ROLES)] == got[0], f"{method} {route}: expired session ≠ logged out"
            for i, (want, have) in enumerate(zip(expected, got, strict=True)):
                if want != have:
                    wrong.append(f"{method} /{route} as {columns[i]}: want {want}, got {have}")
    assert not [cell for cell in observed_letters(observed) if cell == "X"], "a server error"
    assert wrong == [], "\n".join(wrong)


def observed_letters(observed):
    return "".join(code for methods in observed.values() for code in methods.values())


def print_table(observed):
    for route, methods in observed.items():
        print(f"    {route!r}: ({EXPECTED[route][0]!r}, {methods!r}),")


def write_markdown(observed, path):
    cells = len(observed_letters(observed))
    header = ROLES + ["expired"] + [f"token:{r}" for r in TOKEN_ROLES]
    lines = [
        "# 访问矩阵 / Access matrix",
        "",
        "Generated by `ACCESS_MATRIX_MD=docs/ACCESS_MATRIX.md make test "
        "PYTEST_ARGS='luoshi/tests/test_access_matrix.py'`; "
        f"{len(observed)} URL patterns, {cells} cells, every one as expected.",
        "",
        "Legend: " + "; ".join(f"`{k}` {v}" for k, v in LEGEND.items()),
        "",
        "| method | URL | " + " | ".join(header) + " |",
        "|---|---|" + "---|" * len(header),
    ]
    for route, methods in observed.items():
        for method, codes in methods.items():
            row = list(codes) + [""] * (len(header) - len(codes))
            shown = re.sub(r"\|", "\\|", route)
            lines.append(f"| {method} | `/{shown}` | " + " | ".join(row) + " |")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
