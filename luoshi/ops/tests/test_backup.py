"""Backup → empty database → restore gives identical tables and an intact audit chain."""

import pytest
from django.core.management import call_command
from django.test import Client

from luoshi.audit.chain import verify_chain
from luoshi.ops.backup import make_backup, restore_backup, table_checksums
from luoshi.orgs.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


def test_round_trip_is_identical(people, tree, settings, tmp_path):
    from luoshi.directives.actions import do_create_source

    settings.MEDIA_ROOT = str(tmp_path / "media")
    do_create_source(
        kind="meeting", title="区委常委会", date=__import__("datetime").date(2026, 9, 1),
        owner_unit=tree.root, files=[("纪要.pdf", b"%PDF-1.4\n%%EOF\n")], actor=people.office,
    )  # fmt: skip
    before = table_checksums()
    archive = tmp_path / "backup.tar.gz"
    manifest = make_backup(str(archive))
    assert manifest["tables"] == before and archive.stat().st_size > 0
    call_command("flush", interactive=False, verbosity=0)
    for f in (tmp_path / "media").rglob("*"):
        if f.is_file():
            f.unlink()
    assert not Unit.objects.exists()
    restore_backup(str(archive))
    assert table_checksums() == before
    assert verify_chain()[1] is None
    assert any(f.is_file() for f in (tmp_path / "media").rglob("*"))  # the attachment is back


def test_a_damaged_backup_is_refused(people, tree, tmp_path):
    import io
    import json
    import tarfile

    archive = tmp_path / "backup.tar.gz"
    make_backup(str(archive))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["tables"]["orgs.unit"] = "0" * 64
                data = json.dumps(manifest).encode()
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(ValueError, match="orgs.unit"):
        restore_backup(str(damaged))
    assert not Unit.objects.exists()  # nothing half-restored


def test_health_endpoint(db):
    response = Client().get("/health/")
    assert response.status_code == 200 and response.json()["database"] == "ok"
