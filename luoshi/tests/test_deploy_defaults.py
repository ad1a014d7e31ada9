"""Finding 5: forwarded headers are believed only from a trusted proxy that nobody can bypass.

The probe reached gunicorn on 0.0.0.0:8000 with PROXIES=1 and rotated X-Forwarded-For: 45 of 45
log-ins were never throttled. Now `luoshi serve` refuses that combination, the address comes
from one function (`client_address`), and X-Forwarded-Proto counts only with PROXIES."""

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory
from django.urls import reverse

from luoshi.cli import bind_is_loopback, check_bind
from luoshi.lib.throttle import address_ident, client_address


@pytest.mark.parametrize(
    "bind, loopback",
    [
        ("127.0.0.1:8000", True),
        ("[::1]:8000", True),
        ("localhost:8000", True),
        ("unix:/run/luoshi.sock", True),
        ("0.0.0.0:8000", False),
        ("[::]:8000", False),
        ("10.1.2.3:8000", False),
        ("luoshi.example.gov.cn:8000", False),
    ],
)
def test_which_binds_are_loopback(bind, loopback):
    assert bind_is_loopback(bind) is loopback


def test_serve_refuses_trusted_proxies_on_a_public_bind():
    with pytest.raises(SystemExit) as refused:
        check_bind("0.0.0.0:8000", proxies=1, secure=True)
    assert "forge" in str(refused.value)
    assert check_bind("127.0.0.1:8000", proxies=1, secure=True) is None
    assert check_bind("0.0.0.0:8000", proxies=0, secure=True) is None  # no header is believed
    assert "plain HTTP" in check_bind("127.0.0.1:8000", proxies=0, secure=False)


def test_the_real_command_exits_before_starting_gunicorn():
    env = {**os.environ, "PROXIES": "1", "SECURE_COOKIES": "1"}
    luoshi = os.path.join(os.path.dirname(sys.executable), "luoshi")
    done = subprocess.run(
        [luoshi, "serve", "--bind", "0.0.0.0:8219"], env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode != 0
    assert "PROXIES=1" in done.stderr and "127.0.0.1" in done.stderr


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_the_address_ignores_forwarded_for_without_proxies(settings):
    settings.PROXIES = 0
    forged = _request(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(forged) == "203.0.113.5"


def test_behind_one_proxy_only_the_address_it_wrote_counts(settings):
    settings.PROXIES = 1
    # The client sent "X-Forwarded-For: 6.6.6.6"; nginx appended the address it saw.
    forged = _request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_address(forged) == "198.51.100.7"
    garbage = _request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert client_address(garbage) == "127.0.0.1"
    assert address_ident("2001:db8:1:2:3:4:5:6") == address_ident("2001:db8:1:2:ffff::1")


@pytest.mark.django_db
def test_rotating_forwarded_for_does_not_escape_the_log_in_limit(client, settings):
    settings.PROXIES, settings.LOGIN_RATE = 0, "30/m"
    codes = [
        client.post(
            reverse("login"), {"username": f"x{k}", "password": "wrong-password"},
            REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.9.{k}.1",
        ).status_code
        for k in range(45)
    ]  # fmt: skip
    assert codes.count(429) == 15  # 30 counted, then refused, whatever the header said


def _settings_value(name: str, **env) -> str:
    code = f"import luoshi.settings as s; print(repr(s.{name}))"
    environ = {**os.environ, "LUOSHI_VAR_DIR": "/tmp/luoshi-i18s-settings", **env}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_forwarded_proto_is_trusted_only_with_a_proxy():
    assert _settings_value("SECURE_PROXY_SSL_HEADER", SECURE_COOKIES="1", PROXIES="0") == "None"
    assert "HTTP_X_FORWARDED_PROTO" in _settings_value(
        "SECURE_PROXY_SSL_HEADER", SECURE_COOKIES="1", PROXIES="1"
    )
