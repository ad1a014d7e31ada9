"""Backup and restore that work the same on SQLite and PostgreSQL: the data as Django's JSON
fixtures (XML), the attachments, and a manifest of per-table checksums that a restore must match.

A backup is one .tar.gz: ``data.xml`` (every table but the ones migrate rebuilds),
``media/`` (evidence and source files, generated documents), ``manifest.json`` (Luoshi's
version, the migrations applied, and a SHA-256 per table over its rows in key order).
"""

import hashlib
import io
import json
import tarfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

# Rebuilt by migrate (or per-process): never part of a backup.
EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "django_tasks_database.dbtaskresult",
}


def _models():
    for model in apps.get_models():
        if (
            model._meta.label_lower not in EXCLUDED
            and not model._meta.proxy
            and model._meta.managed
        ):
            yield model


def _value(v):
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    if isinstance(v, (dict, list)):
        return json.dumps(v, sort_keys=True, ensure_ascii=False)
    if isinstance(v, float):
        return repr(v)
    return str(v) if v is not None else None


def table_checksums() -> dict[str, str]:
    """SHA-256 per table over every row (concrete fields, many-to-many links) in key order."""
    out = {}
    for model in _models():
        names = [f.attname for f in model._meta.concrete_fields]
        digest = hashlib.sha256()
        for row in (
            model._default_manager.order_by("pk").values_list(*names).iterator(chunk_size=5000)
        ):
            digest.update(json.dumps([_value(v) for v in row], ensure_ascii=False).encode())
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            cols = [f.attname for f in through._meta.concrete_fields if not f.primary_key]
            for row in through.objects.order_by(*cols).values_list(*cols).iterator():
                digest.update(json.dumps([str(v) for v in row]).encode())
        out[model._meta.label_lower] = digest.hexdigest()
    return out


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def make_backup(path: str) -> dict:
    """Write the backup to ``path``; returns its manifest."""
    data = io.StringIO()
    with transaction.atomic():  # one consistent view of every table
        call_command(
            "dumpdata",
            *[f"--exclude={label}" for label in sorted(EXCLUDED)],
            "--natural-foreign",
            # XML keeps datetimes to the microsecond (Django's JSON stops at milliseconds,
            # which would break the audit chain's hashes).
            "--format=xml",
            stdout=data,
        )
        manifest = {
            "luoshi": "0.1.0",
            "database": connection.vendor,
            "migrations": sorted(
                f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations()
            ),
            "tables": table_checksums(),
        }
    with tarfile.open(path, "w:gz") as tar:
        for name, text in (
            ("data.xml", data.getvalue()),
            ("manifest.json", json.dumps(manifest, indent=1)),
        ):
            blob = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
        media = _media_root()
        if media.exists():
            tar.add(media, arcname="media")
    return manifest


def restore_backup(path: str, check=None) -> dict:
    """Load a backup into an empty, migrated database; the checksums must match the manifest.
    Raises ValueError naming the first table that differs (and leaves the database empty).
    ``check``, if given, runs inside the same transaction after the checksums (the audit
    chain against its checkpoints): a ValueError from it leaves the database empty too."""
    with tarfile.open(path, "r:gz") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        data = tar.extractfile("data.xml").read()
        media = [m for m in tar.getmembers() if m.name.startswith("media/") and m.isfile()]
        root = _media_root()
        for member in media:
            target = (root / member.name.removeprefix("media/")).resolve()
            if not str(target).startswith(str(root.resolve())):
                raise ValueError(f"unsafe path in backup: {member.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(member).read())
    fixture = Path(settings.VAR_DIR) / "restore-data.xml"
    fixture.parent.mkdir(parents=True, exist_ok=True)
    fixture.write_bytes(data)
    try:
        with transaction.atomic():
            call_command("loaddata", str(fixture), verbosity=0)
            now = table_checksums()
            for table, digest in manifest["tables"].items():
                if now.get(table) != digest:
                    raise ValueError(f"table {table} differs from the backup after restore")
            if check is not None:
                check()
    finally:
        fixture.unlink(missing_ok=True)
    return manifest
