"""`luoshi restore` verifies the restored trail against the checkpoints it is given."""

import pytest
from django.core.management import CommandError, call_command

from luoshi.audit.routine import take_checkpoint
from luoshi.ops.backup import make_backup
from luoshi.orgs.actions import do_update_unit
from luoshi.orgs.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


def test_restore_checks_the_checkpoints_and_refuses_a_backup_that_lost_events(
    people, tree, tmp_path, capsys
):
    before = tmp_path / "before.json"
    take_checkpoint(before)
    archive = tmp_path / "backup.tar.gz"
    make_backup(str(archive))
    do_update_unit(tree.town_a, name="甲街道", actor=people.office)
    after = tmp_path / "after.json"
    take_checkpoint(after)  # newer than the backup: the backup cannot hold it

    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="nothing was restored"):
        call_command(
            "restore", str(archive), "--checkpoint", str(before), "--checkpoint", str(after)
        )
    assert not Unit.objects.exists()

    call_command("restore", str(archive), "--checkpoint", str(before))
    out = capsys.readouterr().out
    assert "audit chain intact" in out and "checkpoints given: 1, all hold" in out
    assert Unit.objects.filter(name="甲镇").exists()
