"""The document's properties: where an official document came from, kept out of its text.

Both copies carry them (Word: 文件 → 属性 → 自定义; PDF: document properties / metadata), so a
document found on someone's desk can be traced back to Luoshi without a line of the official
text giving an internal id or a checksum. Add a property here and both copies get it.
"""

from luoshi.audit.routine import latest_checkpoint_id
from luoshi.lib.periods import period_name

from .models import GeneratedDocument


def document_properties(document: GeneratedDocument) -> dict[str, str]:
    """Names of ASCII letters only (PDF metadata keys lose anything else), string values."""
    props = {
        "LuoshiDocument": str(document.pk),
        "LuoshiKind": document.kind,
        "LuoshiIssuerUnit": document.issuer.code,
        "LuoshiAuditCheckpoint": latest_checkpoint_id() or "none",  # the trail it was made from
    }
    if document.sequence:
        props["LuoshiNumber"] = f"{document.year}-{document.sequence}"
    if document.run_id:
        run = document.run
        props |= {
            "LuoshiRun": str(run.pk),
            "LuoshiScheme": f"{run.version.scheme.code} v{run.version.number}",
            "LuoshiPeriod": f"{run.period} ({period_name(run.period)})",
            "LuoshiInputsHash": run.inputs_hash,
        }
    if document.unit_id:
        props["LuoshiUnit"] = document.unit.code
    if document.task_id:
        props["LuoshiTask"] = document.task.code
    if document.source_id:
        props["LuoshiSource"] = str(document.source_id)
    return props
