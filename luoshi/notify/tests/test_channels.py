import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from luoshi.notify.actions import do_mark_read, do_notify
from luoshi.notify.jobs import deliver_now, queue_digests
from luoshi.notify.models import Delivery, Notification, Preference, UnitWebhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def robot():
    """A local stand-in for a WeCom/DingTalk group robot, recording what it receives."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            answer = (
                b'{"errcode": 0}'
                if self.path.endswith("/ok")
                else b'{"errcode": 93000, "errmsg": "invalid"}'
            )
            self.send_response(200)
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()


def test_inbox_email_and_group_robot(people, tree, robot, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    url, received = robot
    Preference.objects.create(user=people.liaison_a, email="lx@example.gov.cn")
    UnitWebhook.objects.create(unit=tree.town_a, kind="wecom", url=f"{url}/ok")
    do_notify(
        [people.liaison_a, people.head_a],
        kind="chase",
        title="催办：管网改造",
        body="请报送进度",
        unit=tree.town_a,
    )
    assert Notification.objects.filter(kind="chase").count() == 2
    assert deliver_now() == {"sent": 2, "failed": 0}
    assert mail.outbox[0].to == ["lx@example.gov.cn"] and "催办" in mail.outbox[0].subject
    assert received[0]["msgtype"] == "text" and "管网改造" in received[0]["text"]["content"]
    assert deliver_now() == {"sent": 0, "failed": 0}  # nothing sent twice


def test_a_failing_channel_is_retried_then_marked_failed(people, tree, robot):
    url, _received = robot
    UnitWebhook.objects.create(unit=tree.town_a, kind="dingtalk", url=f"{url}/fail")
    do_notify([], kind="chase", title="x", unit=tree.town_a)
    for _ in range(5):
        deliver_now()
    delivery = Delivery.objects.get()
    assert (
        delivery.state == Delivery.State.FAILED
        and delivery.attempts == 5
        and "93000" in delivery.last_error
    )


def test_digest_readers_get_one_mail_a_day(people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Preference.objects.create(
        user=people.liaison_a, mode=Preference.Mode.DIGEST, email="lx@example.gov.cn"
    )
    for i in range(3):
        do_notify([people.liaison_a], kind="reminder", title=f"提醒{i}")
    assert not Delivery.objects.exists()  # nothing immediate
    assert queue_digests() == 1 and queue_digests() == 0
    deliver_now()
    assert len(mail.outbox) == 1 and "提醒2" in mail.outbox[0].body


def test_mark_read_is_per_person(people):
    do_notify([people.liaison_a, people.head_a], kind="x", title="t")
    do_mark_read(people.liaison_a)
    assert Notification.objects.unread().get().recipient == people.head_a


def test_sms_goes_through_the_gateway(people, robot, settings):
    url, received = robot
    settings.SMS_GATEWAY_URL = f"{url}/ok"
    people.liaison_a.mobile = "13900000001"
    people.liaison_a.save()
    Preference.objects.create(user=people.liaison_a, sms=True)
    do_notify([people.liaison_a], kind="chase", title="催办", body="请于今日报送")
    assert deliver_now() == {"sent": 1, "failed": 0}
    assert received == [{"mobile": "13900000001", "text": "催办：请于今日报送"}]


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_what_an_action_queued(people, settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Preference.objects.create(user=people.liaison_a, email="lx@example.gov.cn")
    do_notify([people.liaison_a], kind="chase", title="催办：管网改造")
    assert DBTaskResult.objects.count() == 1  # queued on commit, as a durable row
    call_command("db_worker", batch=True, startup_delay=False, queue_name="*", verbosity=0)
    assert [m.to for m in mail.outbox] == [["lx@example.gov.cn"]]
    assert Delivery.objects.get().state == Delivery.State.SENT
