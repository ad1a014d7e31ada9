"""Generating official documents in the background (`luoshi worker`), with progress on the row."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from luoshi.audit.chain import record

from .bulletin import compose
from .docx_render import render_docx
from .models import GeneratedDocument
from .paperwork import compose_meeting_pack, compose_order, compose_statement
from .pdf_render import render_pdf
from .properties import document_properties

log = logging.getLogger(__name__)


def _step(document: GeneratedDocument, progress: int, step: str, **extra) -> None:
    GeneratedDocument.objects.filter(pk=document.pk).update(progress=progress, step=step, **extra)


def compose_for(document: GeneratedDocument):
    """The paper's content, as of the day it was requested."""
    today = timezone.localtime(document.created_at).date()
    K = GeneratedDocument.Kind
    if document.kind == K.BULLETIN:
        return compose(document.run, sequence=document.sequence, today=today)
    if document.kind == K.STATEMENT:
        return compose_statement(document.run, document.unit, today=today)
    if document.kind == K.ORDER:
        return compose_order(
            document.task, owner=document.issuer, sequence=document.sequence, today=today
        )
    return compose_meeting_pack(document.source, owner=document.issuer, today=today)


def build_document(document_id: int, on_step=None) -> GeneratedDocument:
    """Compose the bulletin, render Word then PDF, attach both; a failure is recorded on the row."""
    document = GeneratedDocument.objects.select_related(
        "run__version__scheme__owner", "unit", "task", "source", "issuer"
    ).get(pk=document_id)

    def step(progress, text, **extra):
        _step(document, progress, text, **extra)
        if on_step:
            on_step(progress, text)

    try:
        step(5, "汇总考评结果和督办数据", state=GeneratedDocument.State.RUNNING)
        bulletin = compose_for(document)
        bulletin.properties.update(document_properties(document))
        step(30, "生成 Word 文档")
        docx = render_docx(bulletin)
        step(60, "生成 PDF（版式按 GB/T 9704）")
        pdf = render_pdf(bulletin)
        name = f"{document.kind}-{document.year}-{document.pk}"
        with transaction.atomic():
            document.docx.save(f"{name}.docx", ContentFile(docx), save=False)
            document.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
            document.state, document.progress, document.step = (
                GeneratedDocument.State.DONE,
                100,
                "完成",
            )
            document.finished_at = timezone.now()
            document.save()
            record(
                actor=None,
                action="document.generate",
                obj=document,
                after={"docx": document.docx.name, "pdf": document.pdf.name},
            )
        if on_step:
            on_step(100, "完成")
    except Exception as e:  # the row must say it failed; the worker logs the traceback
        log.exception("document %s failed", document_id)
        step(document.progress, "失败", state=GeneratedDocument.State.FAILED, error=str(e)[:2000])
        raise
    return document


@task()
def generate_document(document_id: int) -> None:
    build_document(document_id)
