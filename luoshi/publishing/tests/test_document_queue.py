"""Finding 6: one person cannot flood the document queue, observers write nothing, and a busy
queue never takes a web node out of the load balancer."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from luoshi.lib.errors import NotAllowed
from luoshi.publishing.actions import TooManyDocuments, do_request_document
from luoshi.publishing.models import GeneratedDocument

pytestmark = pytest.mark.django_db
K = GeneratedDocument.Kind


def test_asking_again_for_the_same_statement_returns_the_one_made_or_queued(
    published, people, tree, login
):
    client = login(people.liaison_a)
    url = reverse("publishing:statement_request", args=[published.pk, tree.town_a.pk])
    for _ in range(200):  # the probe's liaison asked 1,600 times in 28 s
        response = client.post(url)
    assert GeneratedDocument.objects.count() == 1
    document = GeneratedDocument.objects.get()
    assert response.url == reverse("publishing:document", args=[document.pk])
    GeneratedDocument.objects.update(state=GeneratedDocument.State.DONE)
    assert do_request_document(published, kind=K.STATEMENT, unit=tree.town_a,
                               actor=people.office) == document  # fmt: skip
    GeneratedDocument.objects.update(state=GeneratedDocument.State.FAILED)
    assert do_request_document(published, kind=K.STATEMENT, unit=tree.town_a,
                               actor=people.head_a) != document  # fmt: skip


def test_new_documents_per_person_are_limited(published, people, tree, settings):
    settings.DOCUMENT_RATE = "3/h"
    for _ in range(3):
        do_request_document(published, actor=people.office)  # bulletins, each a new number…
        GeneratedDocument.objects.update(state=GeneratedDocument.State.DONE)
    with pytest.raises(TooManyDocuments):
        do_request_document(published, actor=people.office)
    assert GeneratedDocument.objects.count() == 3
    # Another person has their own count; the system (scheduler) is not limited.
    do_request_document(published, kind=K.STATEMENT, unit=tree.town_a, actor=people.liaison_a)
    do_request_document(published, actor=None)


def test_a_numbered_paper_still_queued_is_not_issued_twice(published, people):
    first = do_request_document(published, actor=people.office)
    assert do_request_document(published, actor=people.office) == first  # double click
    GeneratedDocument.objects.update(state=GeneratedDocument.State.DONE)
    assert do_request_document(published, actor=people.office).sequence == first.sequence + 1


def test_only_the_units_staff_and_the_office_ask_for_its_statement(published, people, tree):
    for outsider in (people.secretary, people.deputy, people.reviewer):
        with pytest.raises(NotAllowed):
            do_request_document(published, kind=K.STATEMENT, unit=tree.town_a, actor=outsider)
    for insider in (people.head_a, people.liaison_a, people.office):
        do_request_document(published, kind=K.STATEMENT, unit=tree.town_a, actor=insider)


def test_observers_write_nothing(published, people, tree, login):
    from luoshi.accounts.actions import do_add_membership
    from luoshi.accounts.models import Role

    do_add_membership(user=people.observer, unit=tree.town_a, role=Role.OBSERVER, actor=None)
    client = login(people.observer)
    url = reverse("publishing:statement_request", args=[published.pk, tree.town_a.pk])
    assert client.post(url).status_code == 403
    assert not GeneratedDocument.objects.exists()


def _stale_job():
    from django_tasks_db.models import DBTaskResult

    from luoshi.publishing.jobs import generate_document

    generate_document.enqueue(0)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=30))


def test_a_stuck_queue_keeps_liveness_up_and_shows_on_its_own_endpoint():
    _stale_job()
    live = Client().get("/health/")
    assert live.status_code == 200
    assert live.json()["jobs"]["state"] == "stale" and live.json()["jobs"]["waiting"] == 1
    queue = Client().get("/health/jobs/")
    assert queue.status_code == 503 and "worker" in queue.json()["problem"]


def test_a_moving_queue_is_healthy_on_both():
    assert Client().get("/health/").json()["status"] == "ok"
    assert Client().get("/health/jobs/").status_code == 200
