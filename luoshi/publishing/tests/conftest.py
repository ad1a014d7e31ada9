"""The evaluation tests' five-township scheme (A 70, B 82.5, T0 50, T1 40, T2 0), published."""

import pytest

from luoshi.evaluation.actions import do_create_run, do_publish_run
from luoshi.evaluation.tests.conftest import scheme  # noqa: F401  (a fixture, used by name)


@pytest.fixture
def published(people, scheme):  # noqa: F811
    return do_publish_run(do_create_run(scheme, "2026-Q3", actor=people.office), actor=None)


from luoshi.supervision.tests.conftest import make_task, source  # noqa: E402, F401
