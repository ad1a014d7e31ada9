from pathlib import Path

import polib
from django.utils import translation

PO = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_ui_string_has_chinese():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po if not (e.msgstr or e.msgstr_plural.get(0))]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert untranslated == [] and fuzzy == []


def test_compiled_catalogue_is_in_use():
    with translation.override("zh-hans"):
        assert translation.gettext("Log in") == "登录"
