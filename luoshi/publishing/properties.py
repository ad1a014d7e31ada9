"""The document's properties: where an official document came from, kept out of its text.

Both copies carry them (Word: 文件 → 属性 → 自定义; PDF: document properties / metadata), so a
document found on someone's desk can be traced back to Luoshi without a line of the official
text giving an internal id or a checksum. Add a property here and both copies get it.
"""

from luoshi.lib.periods import period_name

from .models import GeneratedDocument


def document_properties(document: GeneratedDocument) -> dict[str, str]:
    """ASCII names (PDF metadata keys must be), string values."""
    props = {
        "luoshi.document": str(document.pk),
        "luoshi.kind": document.kind,
        "luoshi.issuer_unit": document.issuer.code,
    }
    if document.sequence:
        props["luoshi.number"] = f"{document.year}-{document.sequence}"
    if document.run_id:
        run = document.run
        props |= {
            "luoshi.run": str(run.pk),
            "luoshi.scheme": f"{run.version.scheme.code} v{run.version.number}",
            "luoshi.period": f"{run.period} ({period_name(run.period)})",
            "luoshi.inputs_hash": run.inputs_hash,
        }
    if document.unit_id:
        props["luoshi.unit"] = document.unit.code
    if document.task_id:
        props["luoshi.task"] = document.task.code
    if document.source_id:
        props["luoshi.source"] = str(document.source_id)
    return props
