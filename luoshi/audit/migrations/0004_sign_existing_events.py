from django.db import migrations


def sign_existing(apps, schema_editor):
    """Events sealed before signing existed get the audit key's signature now, so that every
    sealed event carries one and a missing signature always means damage. This trusts the
    trail as it stands at the upgrade: take a checkpoint and send it out right after."""
    from luoshi.audit.chain import event_message
    from luoshi.audit.signing import sign

    Event = apps.get_model("audit", "AuditEvent")
    batch = []
    rows = Event.objects.filter(seq__isnull=False, signature="").only("seq", "hash")
    for event in rows.order_by("seq").iterator(chunk_size=2000):
        event.signature = sign(event_message(event.seq, event.hash))
        batch.append(event)
        if len(batch) == 2000:
            Event.objects.bulk_update(batch, ["signature"])
            batch = []
    Event.objects.bulk_update(batch, ["signature"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_sealed_signed_checkpoints")]
    operations = [migrations.RunPython(sign_existing, migrations.RunPython.noop)]
