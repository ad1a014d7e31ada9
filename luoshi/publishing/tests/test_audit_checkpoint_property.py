"""Each bulletin's document properties name the latest audit checkpoint (issue 18)."""

import io
import subprocess
import zipfile

import pytest

from luoshi.audit.routine import latest_checkpoint_id, take_checkpoint
from luoshi.publishing.bulletin import compose
from luoshi.publishing.docx_render import render_docx
from luoshi.publishing.pdf_render import render_pdf

pytestmark = pytest.mark.django_db


def test_word_and_pdf_carry_the_latest_checkpoint_id(published, tmp_path):
    before = zipfile.ZipFile(io.BytesIO(render_docx(compose(published, sequence=1))))
    assert "<vt:lpwstr>none</vt:lpwstr>" in before.read("docProps/custom.xml").decode()
    take_checkpoint()
    checkpoint = latest_checkpoint_id()
    docx = zipfile.ZipFile(io.BytesIO(render_docx(compose(published, sequence=2))))
    custom = docx.read("docProps/custom.xml").decode()
    assert f'name="LuoshiAuditCheckpoint"><vt:lpwstr>{checkpoint}</vt:lpwstr>' in custom
    assert "docProps/custom.xml" in docx.read("[Content_Types].xml").decode()
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(render_pdf(compose(published, sequence=2)))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert f"LuoshiAuditCheckpoint={checkpoint}" in info
