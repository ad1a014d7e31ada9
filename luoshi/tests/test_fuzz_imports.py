"""Property tests for every import and parser: whatever a file holds, the answer is the import
done or a list of errors in Chinese — never a server error, never half an import.

Workbooks are generated with cells of every type (text of any script and up to Excel's
32,767-character limit, numbers, dates, booleans, formulas without a cached value, blanks),
merged cells, missing or shuffled columns, and values taken from the database so that some
rows are valid and the import gets as far as writing. Text files come in the encodings
Chinese offices produce (GB18030/GBK, Big5, UTF-16, UTF-8 with and without BOM) or as noise.

HYPOTHESIS_PROFILE=reliability (make reliability) runs 10× the examples.
"""

import io
import os
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from luoshi.audit.models import AuditEvent
from luoshi.directives.speech.read import COMMON, read_file
from luoshi.evaluation.tests.conftest import scheme  # noqa: F401  (fixture)
from luoshi.indicators.actions import parse_value
from luoshi.indicators.models import IndicatorValue
from luoshi.indicators.value_xlsx import HEADER as VALUE_HEADER
from luoshi.indicators.value_xlsx import import_grid
from luoshi.lib.errors import ActionError
from luoshi.lib.uploads import check_upload
from luoshi.lib.xlsx import MAX_ROWS, ImportRejected, read_table
from luoshi.orgs.models import Unit, UnitClass
from luoshi.orgs.tree_xlsx import HEADER as UNIT_HEADER
from luoshi.orgs.tree_xlsx import import_units
from luoshi.supervision.forms import parse_milestones
from luoshi.supervision.models import Task
from luoshi.supervision.task_xlsx import HEADER as TASK_HEADER
from luoshi.supervision.task_xlsx import import_tasks, parse_deadline
from luoshi.supervision.tests.conftest import source  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

settings.register_profile(
    "default",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "reliability",
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

EXCEL_CELL_LIMIT = 32_767


def cell_values(known: list[str]):
    return st.one_of(
        st.none(),
        st.sampled_from(known),
        st.text(st.characters(exclude_categories=["Cc", "Cs"]), max_size=40),  # Excel's limit
        st.text(alphabet="甲乙丙镇街道村社区局、，；0123456789-./年月日", max_size=30),
        st.integers(min_value=-(10**15), max_value=10**15),
        st.floats(allow_nan=False, allow_infinity=False),
        st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)),
        st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
        st.booleans(),
        st.sampled_from(["=1+1", "=A1&B1", "=SUM(A:A)", "=NOW()"]),
        st.integers(min_value=256, max_value=EXCEL_CELL_LIMIT).map(lambda n: "长" * n),
    )


@st.composite
def workbooks(draw, header: list[str], known: list[str]):
    columns = draw(st.lists(st.sampled_from(header), min_size=1, max_size=len(header) + 1))
    if draw(st.booleans()):
        columns = list(dict.fromkeys(header)) + columns[:1]  # usually every column, once
    rows = draw(
        st.lists(
            st.lists(cell_values(known), min_size=0, max_size=len(columns) + 1),
            max_size=6,
        )
    )
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    for _ in range(draw(st.integers(0, 2))):  # merged cells, as offices love them
        top = draw(st.integers(1, len(rows) + 1))
        left = draw(st.integers(1, len(columns)))
        sheet.merge_cells(
            start_row=top,
            start_column=left,
            end_row=top + draw(st.integers(0, 2)),
            end_column=left + draw(st.integers(0, 2)),
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def near_valid_workbooks(draw, columns: dict):
    """Every column present and every cell valid-looking (drawn from its column's strategy)
    except, half the time, one cell that can be anything: so the import gets past its checks
    and reaches the database with odd but plausible values (a 2,000-character name)."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(columns))
    rows = [
        [draw(strategy) for strategy in columns.values()] for _ in range(draw(st.integers(1, 4)))
    ]
    if draw(st.booleans()):
        row = draw(st.sampled_from(rows))
        row[draw(st.integers(0, len(row) - 1))] = draw(cell_values([""]))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ANY_LENGTH = st.one_of(
    st.text(alphabet="甲乙丙丁镇村社区局办", min_size=1, max_size=12),
    st.integers(1, 2000).map(lambda n: "长" * n),
)


def _counts():
    return (
        Unit.objects.count(),
        Task.objects.count(),
        IndicatorValue.objects.count(),
        AuditEvent.objects.count(),
    )


def _all_or_nothing(run):
    """Run one import in a savepoint rolled back afterwards; refused → nothing written."""
    before = _counts()
    with transaction.atomic():
        try:
            run()
        except (ImportRejected, ActionError) as e:
            messages = [getattr(r, "message", "") for r in getattr(e, "errors", [])]
            assert all(messages) or getattr(e, "message", "")
            assert _counts() == before
        transaction.set_rollback(True)


def test_unit_imports_answer_or_refuse_whole(people, tree):
    known = [u.name for u in Unit.objects.all()] + [u.code for u in Unit.objects.all()]
    known += [c.name for c in UnitClass.objects.all()] + ["撤销", "在用", "X9", "新区镇"]

    @given(
        st.one_of(
            workbooks(UNIT_HEADER, known),
            near_valid_workbooks(
                {
                    "单位编码": st.from_regex(r"\AX[0-9]{1,3}\Z").map(str),
                    "单位名称": ANY_LENGTH,
                    "上级单位": st.just("示例区"),
                    "单位类别": st.sampled_from(["镇街", "村", "区直部门"]),
                    "排序": st.integers(0, 10**12),
                }
            ),
        )
    )
    def check(data):
        _all_or_nothing(lambda: import_units(data, actor=people.office))

    check()


def test_task_imports_answer_or_refuse_whole(people, tree, source):  # noqa: F811
    known = [u.name for u in Unit.objects.all()] + ["2026年12月31日", "2026-12-31", "年底前"]
    known += [people.deputy.full_name, "3月底前完成设计；6月底前开工", "推进污水管网改造"]

    @given(
        st.one_of(
            workbooks(TASK_HEADER, known),
            near_valid_workbooks(
                {
                    "工作任务": ANY_LENGTH,
                    "具体要求/目标": ANY_LENGTH,
                    "牵头单位": st.sampled_from(["甲镇", "乙街道", "区财政局"]),
                    "配合单位": st.sampled_from(["", "乙街道", "区商务局、区财政局"]),
                    "完成时限": st.sampled_from(["2026-12-31", "2026年12月底前", "长期坚持"]),
                    "节点安排": st.sampled_from(["", "2026-10 完成设计", "十月完成"]),
                }
            ),
        )
    )
    def check(data):
        _all_or_nothing(
            lambda: import_tasks(
                data, source=source, start_date=date(2026, 9, 1), actor=people.office
            )
        )

    check()


def test_value_imports_answer_or_refuse_whole(people, scheme):  # noqa: F811
    indicator = scheme.nodes.exclude(indicator=None).first().indicator
    known = [u.code for u in Unit.objects.all()] + ["不适用", "NA", "12.5", "1e400", "-0"]

    @given(
        st.one_of(
            workbooks(VALUE_HEADER, known),
            near_valid_workbooks(
                {
                    "单位编码": st.sampled_from(["A", "B", "T0", "T1", "T2"]),
                    "数值": st.one_of(
                        st.floats(allow_nan=False, allow_infinity=False),
                        st.integers(),
                        st.sampled_from(["1e400", "-0", "1,234.5", "不适用", "12.3456789"]),
                    ),
                    "备注": ANY_LENGTH,
                }
            ),
        )
    )
    def check(data):
        _all_or_nothing(lambda: import_grid(data, indicator, "2026-Q4", actor=people.office))

    check()


@given(st.binary(max_size=2000))
def test_read_table_refuses_bytes_that_are_not_a_workbook(data):
    with pytest.raises(ImportRejected):
        read_table(data, required=["x"], known=["x"])


def test_more_than_the_row_limit_is_refused_with_the_row_named(tmp_path):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["单位编码", "单位名称"])
    for i in range(MAX_ROWS + 1):
        sheet.append([f"U{i}", "某单位"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportRejected) as refused:
        read_table(out.getvalue(), required=["单位编码"], known=["单位编码", "单位名称"])
    assert refused.value.errors[0].row == MAX_ROWS + 2


ENCODINGS = ["gb18030", "gbk", "utf-16", "utf-8", "utf-8-sig"]
# Speeches are prose: the common characters, digits and Chinese punctuation.
PROSE = st.text(
    alphabet=sorted(COMMON) + list("０１２３４５６７８９，。；：、“”（）\n"), min_size=8
)


@given(PROSE, st.sampled_from(ENCODINGS))
def test_speech_text_in_any_office_encoding_reads_back(text, encoding):
    data = text.encode(encoding)
    read, _ = read_file("讲话.txt", data)
    assert read.replace("\r", "").strip() == text.replace("\r", "").strip()


@given(st.binary(max_size=4000), st.sampled_from(["讲话.txt", "讲话.docx", "讲话.pdf", "讲话"]))
def test_speech_reader_never_fails_oddly(data, name):
    try:
        read_file(name, data)
    except ValueError:
        pass  # reported to the office as "could not be read: …"


@given(st.binary(max_size=3000), st.text(max_size=40))
def test_upload_check_answers_or_refuses(data, name):
    try:
        checked = check_upload(name, data)
    except ActionError as e:
        assert e.message and e.field == "file"
    else:
        assert checked.sha256 and checked.content_type


@given(st.text(max_size=200))
def test_text_parsers_answer_or_refuse(text):
    parse_deadline(text)  # a date, or None: "not a date I can read"
    for parser, refusal in ((parse_value, ValueError), (parse_milestones, ValidationError)):
        try:
            parser(text)
        except refusal:
            pass  # shown beside its field
