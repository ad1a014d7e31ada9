from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import require_office
from luoshi.audit.chain import record, snapshot
from luoshi.lib.errors import ActionError
from luoshi.lib.uploads import check_upload, store_upload

from .models import Source, SourceFile


@transaction.atomic
def do_create_source(
    *,
    kind: str,
    title: str,
    date: date,
    owner_unit,
    issuer: str = "",
    reference: str = "",
    text: str = "",
    files=(),
    actor,
) -> Source:
    require_office(actor, owner_unit)
    if kind not in Source.Kind.values:
        raise ActionError(_("Choose what kind of source this is."), field="kind")
    if not title.strip():
        raise ActionError(_("The source needs a title."), field="title")
    checked = [check_upload(name, data, field="files") for name, data in files]
    source = Source.objects.create(
        kind=kind,
        title=title.strip(),
        date=date,
        owner_unit=owner_unit,
        issuer=issuer.strip(),
        reference=reference.strip(),
        text=text,
        created_by=actor,
    )
    for upload in checked:
        stored = SourceFile(
            source=source,
            name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
        )
        store_upload(stored, upload)
    record(
        actor=actor,
        action="source.create",
        obj=source,
        after=snapshot(source, ["kind", "title", "date", "issuer", "reference", "owner_unit"]),
    )
    return source
