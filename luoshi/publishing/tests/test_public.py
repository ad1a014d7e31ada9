"""The public results page (让群众来评判): off unless the installation switches it on."""

import pytest
from django.test import Client
from django.urls import reverse

from luoshi.evaluation.actions import do_create_run

pytestmark = pytest.mark.django_db


def test_public_results_are_off_by_default(published, tree):
    anonymous = Client()
    assert anonymous.get(reverse("publishing:public")).status_code == 404
    assert (
        anonymous.get(reverse("publishing:public_league", args=[published.pk])).status_code == 404
    )


def test_anyone_reads_published_rankings_and_scorecards(published, people, scheme, tree, settings):
    settings.LUOSHI_PUBLIC_RESULTS = True
    anonymous = Client()
    index = anonymous.get(reverse("publishing:public")).content.decode()
    assert reverse("publishing:public_league", args=[published.pk]) in index
    page = anonymous.get(reverse("publishing:public_league", args=[published.pk])).content.decode()
    assert "乙街道" in page and "82.50" in page and "甲镇" in page
    card = anonymous.get(
        reverse("publishing:public_scorecard", args=[published.pk, tree.town_a.pk])
    ).content.decode()
    assert "70.00" in card and "/indicators/" not in card and "/supervision/" not in card
    assert 'name="csrfmiddlewaretoken"' not in card  # nothing to do there but read
    # A draft is never public.
    draft = do_create_run(scheme, "2026-Q3", actor=people.office)
    assert anonymous.get(reverse("publishing:public_league", args=[draft.pk])).status_code == 404
    # The working pages still need a log-in.
    assert anonymous.get(reverse("publishing:league", args=[published.pk])).status_code == 302
