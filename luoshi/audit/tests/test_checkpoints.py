"""Signed checkpoints held outside the database: the insider's rewrite and the deleted tail.

The attacks are done the way the probe did them: straight in the database (raw SQL or the
plain base manager, never the application's actions), recomputing every hash with the
project's own canonical form, which is public. What the attacker does not have is the audit
key, which is a file on the application hosts.
"""

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.core.management import CommandError, call_command
from django.db import connection

from luoshi.audit import signing
from luoshi.audit.chain import compute_hash, seal_pending
from luoshi.audit.checkpoint import Checkpoint, CheckpointError
from luoshi.audit.models import GENESIS_HASH, AuditChainHead, AuditCheckpoint, AuditEvent
from luoshi.audit.routine import take_checkpoint
from luoshi.audit.verify import verify
from luoshi.orgs.actions import do_update_unit

pytestmark = pytest.mark.django_db


def rewrite_chain(seq: int, after: dict) -> None:
    """The probe's insider: edit event ``seq``, recompute every hash after it, fix the head,
    and remove the stored checkpoints, which would otherwise give the rewrite away."""
    Raw = AuditEvent._base_manager  # behind the application's back
    Raw.filter(seq=seq).update(after=after)
    prev = Raw.get(seq=seq - 1).hash if seq > 1 else GENESIS_HASH
    for event in Raw.filter(seq__gte=seq).order_by("seq"):
        event.prev_hash = prev
        event.hash = prev = compute_hash(event)
        Raw.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash)
    AuditChainHead.objects.filter(pk=1).update(hash=prev)
    _delete_stored_checkpoints()


def delete_tail(n: int) -> int:
    """Delete the newest ``n`` events and reset the head to the one before; returns the first
    deleted seq."""
    events = AuditEvent._meta.db_table
    newest = list(AuditEvent.objects.filter(seq__isnull=False).order_by("-seq")[: n + 1])
    keep = newest[-1]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {events} WHERE seq > %s", [keep.seq])
    AuditChainHead.objects.filter(pk=1).update(seq=keep.seq, hash=keep.hash)
    _delete_stored_checkpoints()
    return keep.seq + 1


def _delete_stored_checkpoints():
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditCheckpoint._meta.db_table}")


@pytest.fixture
def checkpoint_file(people, tmp_path):
    """The chain sealed, a checkpoint taken and kept in a file (as an observer would)."""
    path = tmp_path / "held-by-renda.json"
    take_checkpoint(path)
    return path


def test_a_checkpoint_is_signed_and_holds(checkpoint_file):
    data = json.loads(checkpoint_file.read_text())
    assert data["seq"] == AuditEvent.objects.filter(seq__isnull=False).count() > 10
    assert data["head"] == AuditEvent.objects.get(seq=data["seq"]).hash
    call_command("audit", "verify", "--checkpoint", str(checkpoint_file))
    result = verify([Checkpoint.from_json(checkpoint_file.read_text(), "file")])
    assert result.problem is None and ("holds" in {o for _c, o in result.anchors})


def test_insider_rewrite_fails_verify_with_checkpoint_naming_the_event(checkpoint_file):
    rewrite_chain(2, {"forged": True})
    # The hashes are self-consistent again: only the key-less signatures and the checkpoint tell.
    with pytest.raises(CommandError, match="event #2: "):
        call_command("audit", "verify", "--checkpoint", str(checkpoint_file))
    problem = verify([Checkpoint.from_json(checkpoint_file.read_text(), "f")]).problem
    assert problem.seq == 2 and problem.kind == "signature"


def test_insider_rewrite_that_also_strips_signatures_is_named(checkpoint_file):
    rewrite_chain(3, {"forged": True})
    AuditEvent._base_manager.filter(seq__gte=3).update(signature="")
    problem = verify([Checkpoint.from_json(checkpoint_file.read_text(), "f")]).problem
    assert problem.seq == 3 and problem.kind == "unsigned"


def test_rewrite_is_named_even_without_a_checkpoint_file(people):
    seal_pending()
    rewrite_chain(4, {"forged": True})
    with pytest.raises(CommandError, match="event #4: "):
        call_command("audit", "verify")


def test_tail_deletion_fails_verify_with_checkpoint(checkpoint_file):
    first_deleted = delete_tail(5)
    # Without a checkpoint held outside, a shorter chain is indistinguishable from a young one:
    # that is why checkpoints leave the building.
    assert verify().problem is None
    with pytest.raises(CommandError, match=f"event #{first_deleted}: "):
        call_command("audit", "verify", "--checkpoint", str(checkpoint_file))
    problem = verify([Checkpoint.from_json(checkpoint_file.read_text(), "f")]).problem
    assert problem.seq == first_deleted and problem.kind == "beyond"


def test_tail_deleted_then_sealed_over_names_the_first_replaced_event(
    checkpoint_file, tree, people
):
    first_deleted = delete_tail(5)
    checkpoint = Checkpoint.from_json(checkpoint_file.read_text(), "f")
    for i in range(8):  # new, genuinely signed events take the deleted places and more
        do_update_unit(tree.town_a, name=f"甲镇{i}", actor=people.office)
    seal_pending()
    assert AuditEvent.objects.filter(seq__gt=checkpoint.seq).exists()
    problem = verify([checkpoint]).problem
    assert problem.seq == first_deleted and problem.kind == "after_checkpoint"


def test_the_newest_checkpoint_names_the_tail_and_an_older_one_still_holds(people, tree, tmp_path):
    older, newer = tmp_path / "older.json", tmp_path / "newer.json"
    take_checkpoint(older)
    for i in range(6):
        do_update_unit(tree.town_a, name=f"甲镇{i}", actor=people.office)
    take_checkpoint(newer)
    delete_tail(3)
    result = verify([Checkpoint.from_json(p.read_text(), p.name) for p in (older, newer)])
    outcomes = {c.source: o for c, o in result.anchors}
    assert outcomes == {"older.json": "holds", "newer.json": "beyond"}
    assert result.problem.kind == "beyond"


def test_an_altered_checkpoint_file_is_refused(checkpoint_file):
    data = json.loads(checkpoint_file.read_text())
    data["seq"] -= 1
    data["head"] = AuditEvent.objects.get(seq=data["seq"]).hash  # plausible, but not signed so
    checkpoint_file.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="does not carry a valid signature"):
        call_command("audit", "verify", "--checkpoint", str(checkpoint_file))


def test_a_checkpoint_from_an_unknown_key_asks_for_it(checkpoint_file, settings, tmp_path):
    # Verified on a machine whose own key is another one: the checkpoint's key must be given.
    pem = signing.public_key_pem(signing.private_key().public_key())
    other = tmp_path / "other.pem"
    other.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
        )
    )
    settings.AUDIT_SIGNING_KEY_FILE = str(other)
    with pytest.raises(CommandError, match="--public-key"):
        call_command("audit", "verify", "--checkpoint", str(checkpoint_file))
    public = tmp_path / "luoshi.pub"
    public.write_text(pem)
    call_command(
        "audit", "verify", "--checkpoint", str(checkpoint_file), "--public-key", str(public)
    )


def test_not_a_checkpoint_is_refused_by_name(tmp_path, db):
    junk = tmp_path / "note.txt"
    junk.write_text("今天的审计锚点忘了保存")
    with pytest.raises(CommandError, match="note.txt: cannot read it"):
        call_command("audit", "verify", "--checkpoint", str(junk))
    with pytest.raises(CheckpointError):
        Checkpoint.from_json('{"format": "luoshi-audit-checkpoint/1", "seq": "x"}')


def test_a_checkpoint_pasted_from_a_message_is_read(checkpoint_file, tmp_path):
    message = tmp_path / "mail.txt"
    message.write_text(
        "各位好：\n请保存以下审计锚点。\n" + checkpoint_file.read_text() + "\n——区督查室\n"
    )
    call_command("audit", "verify", "--checkpoint", str(message))


def test_a_damaged_chain_is_never_signed(people):
    seal_pending()
    AuditEvent._base_manager.filter(seq=5).update(object_repr="改过的")
    from luoshi.audit.routine import ChainBroken

    with pytest.raises(ChainBroken, match="#5"):
        take_checkpoint()
    assert not AuditCheckpoint.objects.exists()
    with pytest.raises(CommandError, match="#5"):
        call_command("audit", "checkpoint")


def test_a_forged_stored_checkpoint_is_damage(checkpoint_file):
    row = AuditCheckpoint.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditCheckpoint._meta.db_table} SET head = %s WHERE id = %s",
            ["f" * 64, row.pk],
        )
    problem = verify().problem
    assert problem.seq == row.seq and problem.kind == "forged_checkpoint"


def test_checkpoint_command_writes_the_file_and_prints_it(people, tmp_path, capsys):
    out = tmp_path / "cp.json"
    call_command("audit", "checkpoint", "--out", str(out))
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(out.read_text()) and printed["id"].startswith(f"{printed['seq']}:")
    assert AuditCheckpoint.objects.get().label == printed["id"]


def test_checkpoints_are_permanent(checkpoint_file):
    from luoshi.audit.models import AuditIsPermanent

    with pytest.raises(AuditIsPermanent):
        AuditCheckpoint.objects.all().delete()
    with pytest.raises(AuditIsPermanent):
        AuditCheckpoint.objects.get().delete()
