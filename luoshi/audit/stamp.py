"""The latest audit checkpoint's id in a document's properties (Word: a custom property; PDF:
an Info entry), so that a bulletin on paper or on a disk names the state of the audit trail
it was made from: anyone holding that checkpoint can check the trail behind the numbers."""

from xml.sax.saxutils import escape

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part

from .routine import latest_checkpoint_id

PROPERTY = "LuoshiAuditCheckpoint"

_CUSTOM_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="%s">'
    "<vt:lpwstr>%s</vt:lpwstr></property></Properties>"
)


def stamp_docx(document) -> None:
    """Add the custom property to a python-docx Document (File › Properties › Custom in Word
    and LibreOffice). Documents made before the first checkpoint say "none"."""
    package = document.part.package
    if any(rel.reltype == RT.CUSTOM_PROPERTIES for rel in package.rels.values()):
        return  # python-docx's own template has none; never two
    blob = (_CUSTOM_XML % (PROPERTY, escape(latest_checkpoint_id() or "none"))).encode()
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)
