"""Senders for each channel. Each raises on failure so the delivery is retried."""

import json
import urllib.request

from django.conf import settings
from django.core.mail import send_mail

TIMEOUT_SECONDS = 10


def _post_json(url: str, payload: dict) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (configured URLs)
        body = response.read().decode() or "{}"
    return json.loads(body)


def send_email(address: str, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])


def send_wecom(url: str, subject: str, body: str) -> None:
    # WeCom group robots answer {"errcode": 0} on success, HTTP 200 either way.
    answer = _post_json(url, {"msgtype": "text", "text": {"content": f"{subject}\n{body}"}})
    if answer.get("errcode", 0) != 0:
        raise RuntimeError(f"WeCom: {answer}")


def send_dingtalk(url: str, subject: str, body: str) -> None:
    answer = _post_json(url, {"msgtype": "text", "text": {"content": f"{subject}\n{body}"}})
    if answer.get("errcode", 0) != 0:
        raise RuntimeError(f"DingTalk: {answer}")


def send_sms(mobile: str, subject: str, body: str) -> None:
    """POST {mobile, text} to the installation's SMS gateway (SMS_GATEWAY_URL)."""
    if not settings.SMS_GATEWAY_URL:
        raise RuntimeError("SMS_GATEWAY_URL is not set")
    answer = _post_json(
        settings.SMS_GATEWAY_URL, {"mobile": mobile, "text": f"{subject}：{body}"[:300]}
    )
    if answer.get("ok") is False:
        raise RuntimeError(f"SMS gateway: {answer}")


SENDERS = {"email": send_email, "sms": send_sms, "wecom": send_wecom, "dingtalk": send_dingtalk}
