"""PostgreSQL privileges that keep the application's own database role from rewriting the trail.

Production runs two roles: the owner, which `luoshi migrate` and `luoshi restore` connect as,
and the application role, which the web processes, workers and scheduler connect as
(DATABASE_URL). The application role may read everything and write every table, except:

- audit events: INSERT, and UPDATE of only the four columns sealing fills in (seq,
  prev_hash, hash, signature), and a trigger refuses even those once an event is sealed;
  no DELETE, no TRUNCATE;
- checkpoints: INSERT only;
- the chain head: read and update (it is the sealer's lock and a cache, not evidence).

`luoshi audit lock-down --role NAME` applies this (run as the owner), `--print` shows the
SQL; with AUDIT_DB_APP_ROLE set, every `luoshi migrate` re-applies it, so tables added by
later migrations are granted too. The owner keeps every right: what protects the trail from
the owner (and from a database superuser) is the signatures and the checkpoints held outside.
"""

from django.conf import settings
from django.db import connection, transaction

from .models import AuditChainHead, AuditCheckpoint, AuditEvent

SEAL_COLUMNS = ("seq", "prev_hash", "hash", "signature")


class LockDownError(Exception):
    pass


def configured_role() -> str:
    return settings.AUDIT_DB_APP_ROLE


def sql(role: str) -> str:
    q = connection.ops.quote_name
    app, events = q(role), q(AuditEvent._meta.db_table)
    checkpoints, head = q(AuditCheckpoint._meta.db_table), q(AuditChainHead._meta.db_table)
    columns = ", ".join(q(c) for c in SEAL_COLUMNS)
    return f"""-- Run as the owner of Luoshi's tables (the role that runs `luoshi migrate`).
GRANT USAGE ON SCHEMA public TO {app};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {app};
REVOKE UPDATE, DELETE, TRUNCATE ON {events}, {checkpoints} FROM {app};
REVOKE DELETE, TRUNCATE ON {head} FROM {app};
GRANT UPDATE ({columns}) ON {events} TO {app};
CREATE OR REPLACE FUNCTION luoshi_audit_sealed_is_final() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Sealing fills an unsealed event once; after that only the tables' owner could change it.
  IF OLD.seq IS NOT NULL AND NOT pg_has_role(
      current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
    RAISE EXCEPTION 'audit event #% is sealed and cannot be changed', OLD.seq
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS luoshi_audit_sealed_is_final ON {events};
CREATE TRIGGER luoshi_audit_sealed_is_final BEFORE UPDATE ON {events}
  FOR EACH ROW EXECUTE FUNCTION luoshi_audit_sealed_is_final();
"""


def apply(role: str, using=None) -> None:
    conn = connection if using is None else using
    if conn.vendor != "postgresql":
        raise LockDownError("database roles exist on PostgreSQL only")
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            raise LockDownError(f"there is no database role {role!r}")
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == role:
            raise LockDownError(
                f"connected as {role!r} itself: run this as the owner of the tables"
            )
        cursor.execute(sql(role))


def after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: re-apply the lock-down when AUDIT_DB_APP_ROLE names the application role."""
    from django.db import connections

    role = configured_role()
    if role and connections[using].vendor == "postgresql":
        apply(role, connections[using])
