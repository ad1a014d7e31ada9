"""PostgreSQL: the application's own role cannot change or delete audit rows once locked down.

Runs as a separate role inside the test's transaction (CREATE ROLE, GRANT and triggers are
transactional in PostgreSQL, so nothing outlives the test)."""

import uuid

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from luoshi.audit import lockdown
from luoshi.audit.chain import seal_pending
from luoshi.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent
from luoshi.audit.routine import take_checkpoint
from luoshi.audit.verify import verify
from luoshi.orgs.actions import do_update_unit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's"),
]


@pytest.fixture
def app_role(settings):
    role = f"luoshi_app_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    settings.AUDIT_DB_APP_ROLE = role
    lockdown.after_migrate(sender=None, using="default")  # what every `luoshi migrate` does
    return role


def refused(sql, params=()):
    with pytest.raises(DatabaseError, match="permission denied|is sealed"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_application_role_appends_and_seals_but_never_rewrites(people, tree, app_role):
    seal_pending()
    events, checkpoints = AuditEvent._meta.db_table, AuditCheckpoint._meta.db_table
    head = AuditChainHead._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{app_role}"')
    try:
        # Its own work goes on: an action appends, the sealer seals, a checkpoint is stored.
        do_update_unit(tree.town_a, name="甲街道", actor=people.office)
        assert seal_pending() == 1
        take_checkpoint()
        # What the probe did with the application's credentials is refused.
        refused(f"UPDATE {events} SET object_repr = 'x' WHERE seq = 2")
        refused(f"UPDATE {events} SET after = NULL WHERE seq = 2")
        refused(f"DELETE FROM {events} WHERE seq = 2")
        refused(f"TRUNCATE {events}")
        refused(f"UPDATE {events} SET hash = md5('x') WHERE seq = 2")  # a seal column: sealed
        refused(f"UPDATE {events} SET seq = NULL WHERE seq = 3")  # unsealing is changing too
        refused(f"UPDATE {checkpoints} SET head = 'x'")
        refused(f"DELETE FROM {checkpoints}")
        refused(f"DELETE FROM {head}")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert verify().problem is None and AuditCheckpoint.objects.count() == 1


def test_lock_down_prints_its_sql_and_refuses_unknown_roles(db, capsys):
    call_command("audit", "lock-down", "--role", "luoshi_app", "--print")
    text = capsys.readouterr().out
    assert 'REVOKE UPDATE, DELETE, TRUNCATE ON "audit_auditevent", "audit_auditcheckpoint"' in text
    with pytest.raises(lockdown.LockDownError, match="no database role"):
        lockdown.apply(f"nobody_{uuid.uuid4().hex[:8]}")
