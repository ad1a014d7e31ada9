"""Each bulletin's document properties name the latest audit checkpoint (issue 18)."""

import re
import subprocess
import zipfile

import pytest

from luoshi.audit.routine import latest_checkpoint_id, take_checkpoint
from luoshi.publishing.actions import do_request_document
from luoshi.publishing.jobs import build_document

pytestmark = pytest.mark.django_db


def made(run, people):
    """A bulletin as `luoshi worker` makes it: (docx's custom properties, pdfinfo's output)."""
    document = build_document(do_request_document(run, actor=people.office).pk)
    custom = zipfile.ZipFile(document.docx.path).read("docProps/custom.xml").decode()
    info = subprocess.run(
        ["pdfinfo", "-custom", document.pdf.path], capture_output=True, text=True, check=True
    ).stdout
    return custom, info


def test_word_and_pdf_carry_the_latest_checkpoint_id(published, people):
    take_checkpoint()
    checkpoint = latest_checkpoint_id()
    assert checkpoint
    custom, info = made(published, people)
    assert re.search(rf'name="LuoshiAuditCheckpoint">\s*<vt:lpwstr>{checkpoint}<', custom)
    assert re.search(rf"LuoshiAuditCheckpoint[=:]\s*{checkpoint}", info)
