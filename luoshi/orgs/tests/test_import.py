import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.lib.xlsx import ImportRejected, read_table, write_table
from luoshi.orgs.models import Unit
from luoshi.orgs.tree_xlsx import HEADER, export_units, import_units

pytestmark = pytest.mark.django_db

COLUMNS = ["单位编码", "单位名称", "上级单位", "上级单位编码", "单位类别", "排序"]


def table(rows, header=COLUMNS):
    return write_table("单位", header, rows)


def good_rows(count=12):
    rows = [["A3", "甲三村", "甲镇", "", "村", 3]]
    rows += [[f"N{i}", f"新{i}村", "", "A", "村", i] for i in range(1, count - 1)]
    return rows


def test_good_import_creates_units_under_their_parents(people):
    rows = [
        ["C", "丙镇", "示例区", "", "镇街", 9],
        ["C1", "丙一村", "丙镇", "", "村", 1],  # parent defined in the same file
        ["C2", "丙二村", "", "C", "村", 2],
    ]
    result = import_units(table(rows), actor=people.office)
    assert result == {"created": 3, "updated": 0}
    assert [u.code for u in Unit.objects.get(code="C1").ancestors()] == ["R", "C"]
    assert AuditEvent.objects.filter(action="unit.create", object_repr="丙二村").exists()


def test_an_import_with_errors_writes_nothing_and_names_every_bad_row(people):
    rows = good_rows(12)
    rows[10] = ["X1", "某村", "城关镇", "", "村", 1]  # row 12 of the sheet
    rows[3] = ["X2", "", "甲镇", "", "村", 1]  # row 5: no name
    rows[4] = ["X3", "某某", "甲镇", "", "镇", 1]  # row 6: class does not exist
    rows[5] = ["X4", "某某村", "甲镇", "", "村", "第一"]  # row 7: order not a number
    before_units, before_events = Unit.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        import_units(table(rows), actor=people.office)
    messages = {e.row: e.message for e in rejected.value.errors}
    assert messages[12] == "第12行 上级单位「城关镇」不存在"
    assert "单位名称为空" in messages[5]
    assert "单位类别「镇」不存在" in messages[6] and "镇街" in messages[6]
    assert "不是整数" in messages[7]
    assert sorted(messages) == [5, 6, 7, 12]
    assert (Unit.objects.count(), AuditEvent.objects.count()) == (before_units, before_events)


def test_a_near_miss_gets_a_suggestion(people):
    with pytest.raises(ImportRejected) as rejected:
        import_units(table([["X", "某村", "甲二", "", "村", 1]]), actor=people.office)
    assert "是否为「甲二村」" in rejected.value.errors[0].message


def test_duplicate_codes_cycles_and_foreign_units_are_refused(people):
    rows = [
        ["C", "丙镇", "示例区", "", "镇街", 1],
        ["C", "丙镇2", "示例区", "", "镇街", 1],
        ["P", "环一", "", "Q", "镇街", 1],
        ["Q", "环二", "", "P", "镇街", 1],
    ]
    with pytest.raises(ImportRejected) as rejected:
        import_units(table(rows), actor=people.office)
    text = " ".join(e.message for e in rejected.value.errors)
    assert "与第2行重复" in text and "循环" in text
    # An office of 乙街道 may not rename a unit of 甲镇 through a file.
    from luoshi.accounts.models import Role
    from luoshi.conftest import make_person

    local_office = make_person("b_office", people.liaison_b.memberships.get().unit, Role.OFFICE)
    with pytest.raises(ImportRejected) as rejected:
        import_units(table([["A1", "改名村", "", "B", "村", 1]]), actor=local_office)
    assert "辖区以外" in rejected.value.errors[0].message
    assert Unit.objects.get(code="A1").name == "甲一村"


def test_missing_columns_and_non_xlsx_files_are_refused(people):
    with pytest.raises(ImportRejected) as rejected:
        import_units(table([["A9", "x"]], header=["单位编码", "单位名称"]), actor=people.office)
    assert "单位类别" in rejected.value.errors[0].message
    with pytest.raises(ImportRejected):
        import_units(b"not a spreadsheet", actor=people.office)


def test_export_then_import_round_trips_and_updates_by_code(people):
    data = export_units(Unit.objects.all())
    rows = read_table(data, required=HEADER, known=HEADER)
    assert len(rows) == Unit.objects.count()
    result = import_units(data, actor=people.office)
    assert result["created"] == 0
    assert not AuditEvent.objects.filter(action="unit.update").exists()  # nothing changed
    # Now rename and move one unit through the file.
    edited = [[c for c in cells.values()] for _n, cells in rows]
    for row in edited:
        if row[0] == "A2":
            row[1], row[2], row[3] = "甲二社区", "乙街道", "B"
    import_units(table(edited, header=HEADER), actor=people.office)
    unit = Unit.objects.get(code="A2")
    assert unit.name == "甲二社区" and unit.parent.code == "B"
    assert unit.former_names.get().name == "甲二村"


def test_import_page_shows_the_row_report(people, login):
    client = login(people.office)
    upload = SimpleUploadedFile("units.xlsx", table([["X1", "某村", "城关镇", "", "村", 1]]))
    response = client.post(reverse("orgs:import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "第2行 上级单位「城关镇」不存在" in page and "未导入任何数据" in page
    assert not Unit.objects.filter(code="X1").exists()


def test_export_contains_only_visible_units(people, login):
    data = login(people.liaison_a).get(reverse("orgs:export")).content
    codes = {cells["单位编码"] for _n, cells in read_table(data, required=HEADER, known=HEADER)}
    assert codes == {"A", "A1", "A2"}
