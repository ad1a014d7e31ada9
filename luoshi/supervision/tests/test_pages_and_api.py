from datetime import date

import pytest
from django.urls import reverse

from luoshi.accounts.actions import do_create_api_token
from luoshi.accounts.models import Role
from luoshi.supervision.actions import do_submit_report
from luoshi.supervision.models import ProgressReport, Task

pytestmark = pytest.mark.django_db


def test_another_units_task_answers_404_on_page_and_api(people, make_task, login, tree):
    task = make_task()
    for user, expected in [
        (people.liaison_a, 200),
        (people.head_a, 200),
        (people.office, 200),
        (people.secretary, 200),
        (people.deputy, 200),
        (people.liaison_a1, 404),
        (people.liaison_b, 404),
        (people.observer, 404),
        (people.provider, 404),
        (people.nobody, 404),
    ]:
        client = login(user)
        assert client.get(reverse("supervision:task", args=[task.pk])).status_code == expected, user
        assert client.get(f"/api/v1/tasks/{task.pk}").status_code == expected, user
        assert client.get(f"/api/v1/sources/{task.source_id}").status_code == expected, user


def test_forbidden_moves_from_the_pages_change_nothing(people, make_task, login):
    task = make_task(assign=False)
    for user in (people.liaison_a, people.head_a, people.deputy, people.observer):
        client = login(user)
        for name in (
            "supervision:task_assign",
            "supervision:task_complete",
            "supervision:task_chase",
        ):
            assert client.post(reverse(name, args=[task.pk])).status_code in (302, 403, 404)
    task.refresh_from_db()
    assert task.state == Task.State.DRAFT and not task.chases.exists()


def test_office_creates_a_task_from_the_page_with_milestones(people, tree, source, login):
    client = login(people.office)
    response = client.post(
        reverse("supervision:task_new"),
        {
            "title": "完成乙街道背街小巷改造",
            "source": source.pk,
            "lead_unit": tree.town_b.pk,
            "start_date": "2026-09-01",
            "deadline": "2026-12-31",
            "level": "district",
            "milestones": "2026-10 完成设计\n2026-11：完成施工招标",
        },
    )
    task = Task.objects.get(title="完成乙街道背街小巷改造")
    assert response.url == reverse("supervision:task", args=[task.pk])
    assert [m.description for m in task.milestones.all()] == ["完成设计", "完成施工招标"]
    page = client.post(
        reverse("supervision:task_new"),
        {
            "title": "x",
            "source": source.pk,
            "lead_unit": tree.town_b.pk,
            "start_date": "2026-09-01",
            "deadline": "2026-08-01",
            "level": "district",
            "milestones": "十月 完成",
        },
    ).content.decode()
    assert "节点请写成" in page


def test_liaison_reports_from_my_work_with_a_bad_file_and_sees_why(people, make_task, login):
    task = make_task()
    client = login(people.liaison_a)
    assert task.title in client.get(reverse("supervision:my_work")).content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("说明.pdf", b"MZ\x90\x00 not really a pdf")
    response = client.post(
        reverse("supervision:report_submit", args=[task.pk]),
        {
            "text": "进展",
            "percent": 30,
            "files": [bad],
            "next": reverse("supervision:my_work"),
        },
        follow=True,
    )
    assert "是程序或脚本，不能上传" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_api_token_submits_progress_for_its_unit_only(people, make_task, tree, client):
    task = make_task()
    other = make_task(unit=tree.town_b, title="乙街道任务")
    _t, key = do_create_api_token(
        user=people.liaison_a,
        name="乡镇系统",
        role=Role.LIAISON,
        unit=tree.town_a,
        actor=people.liaison_a,
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    response = client.post(
        f"/api/v1/tasks/{task.pk}/reports",
        {"text": "接口报送", "percent": 20},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201 and response.json()["state"] == "submitted"
    bad = client.post(
        f"/api/v1/tasks/{task.pk}/reports",
        {"text": "x", "percent": 120},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422 and "percent" in bad.json()["detail"]
    assert (
        client.post(
            f"/api/v1/tasks/{other.pk}/reports",
            {"text": "x", "percent": 1},
            content_type="application/json",
            **headers,
        ).status_code
        == 404
    )
    listed = client.get("/api/v1/tasks", **headers).json()
    assert [t["id"] for t in listed["items"]] == [task.pk]


@pytest.mark.parametrize("extra", [0, 10])
def test_task_list_and_my_work_query_counts(
    people, make_task, login, django_assert_num_queries, extra
):
    for i in range(1 + extra):
        task = make_task(title=f"任务{i}")
        do_submit_report(
            task,
            unit=task.lead_unit,
            week=date(2026, 11, 16),
            text="x",
            percent=10,
            actor=people.liaison_a,
        )
    client = login(people.office)
    with django_assert_num_queries(15):
        assert client.get(reverse("supervision:tasks")).status_code == 200
    client = login(people.liaison_a)
    with django_assert_num_queries(13):
        assert client.get(reverse("supervision:my_work")).status_code == 200


def _task_table(rows):
    from luoshi.lib.xlsx import write_table
    from luoshi.supervision.task_xlsx import HEADER

    return write_table("任务分解表", HEADER, rows)


def test_task_table_import_names_row_column_and_suggestion(people, tree, source, login):
    from luoshi.lib.xlsx import ImportRejected
    from luoshi.supervision.task_xlsx import import_tasks

    good = [
        [
            i,
            f"任务{i}",
            "要求",
            "deputy",
            "甲镇",
            "区财政局、区商务局",
            "2026-12-31",
            "2026-10 完成摸底",
        ]
        for i in range(1, 40)
    ]
    good[35] = [36, "任务36", "", "", "商务局", "", "2026年12月底", ""]  # row 37 of the sheet
    with pytest.raises(ImportRejected) as rejected:
        import_tasks(
            _task_table(good), source=source, start_date=date(2026, 9, 1), actor=people.office
        )
    [error] = rejected.value.errors
    assert error.row == 37 and error.column == "牵头单位"
    assert error.message == "第37行「牵头单位」：单位「商务局」不存在，是否为「区商务局」？"
    assert not Task.objects.exists()
    good[35][4] = "区商务局"
    created = import_tasks(
        _task_table(good), source=source, start_date=date(2026, 9, 1), actor=people.office
    )
    assert len(created) == 39 and created[35].deadline == date(2026, 12, 31)
    assert {u.name for u in created[0].co_units.all()} == {"区财政局", "区商务局"}
    assert created[0].leader == people.deputy and created[0].milestones.count() == 1


def test_task_table_refuses_bad_dates_and_unknown_leaders(people, source):
    from luoshi.lib.xlsx import ImportRejected
    from luoshi.supervision.task_xlsx import import_tasks

    rows = [[1, "任务", "", "张三", "甲镇", "", "明年", ""]]
    with pytest.raises(ImportRejected) as rejected:
        import_tasks(
            _task_table(rows), source=source, start_date=date(2026, 9, 1), actor=people.office
        )
    messages = " ".join(e.message for e in rejected.value.errors)
    assert "不在领导名单中" in messages and "「明年」不是日期" in messages


def test_export_round_trips_through_import(people, make_task, source, login):
    from luoshi.lib.xlsx import read_table
    from luoshi.supervision.task_xlsx import HEADER

    make_task(milestones=[(date(2026, 10, 1), "完成摸底")])
    data = login(people.office).get(reverse("supervision:export")).content
    rows = read_table(data, required=HEADER, known=HEADER)
    assert rows[0][1]["牵头单位"] == "甲镇" and rows[0][1]["节点安排"] == "2026-10 完成摸底"
    ledger = login(people.office).get(reverse("supervision:ledger"))
    assert ledger.status_code == 200
