from django.urls import path

from .views import setup, tasks, work

app_name = "supervision"
urlpatterns = [
    path("", tasks.task_list, name="tasks"),
    path("board/", tasks.board, name="board"),
    path("filters/<int:pk>/delete/", tasks.saved_filter_delete, name="filter_delete"),
    path("tasks/new/", tasks.task_new, name="task_new"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("tasks/<int:pk>/assign/", tasks.task_assign, name="task_assign"),
    path("tasks/<int:pk>/accept/", tasks.task_accept, name="task_accept"),
    path(
        "tasks/<int:pk>/request-completion/",
        tasks.task_request_completion,
        name="task_request_completion",
    ),
    path("tasks/<int:pk>/start-review/", tasks.task_start_review, name="task_start_review"),
    path("tasks/<int:pk>/complete/", tasks.task_complete, name="task_complete"),
    path("tasks/<int:pk>/send-back/", tasks.task_send_back, name="task_send_back"),
    path("tasks/<int:pk>/extension/", tasks.task_request_extension, name="task_request_extension"),
    path("tasks/<int:pk>/chase/", tasks.task_chase, name="task_chase"),
    path("tasks/<int:pk>/notice/", tasks.task_notice, name="task_notice"),
    path("tasks/<int:pk>/split/", tasks.task_split, name="task_split"),
    path("tasks/<int:pk>/report/", work.report_submit, name="report_submit"),
    path("extensions/<int:pk>/decide/", tasks.extension_decide, name="extension_decide"),
    path("reports/<int:pk>/approve/", work.report_approve, name="report_approve"),
    path("reports/<int:pk>/accept/", work.report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", work.report_return, name="report_return"),
    path("notices/<int:pk>/", tasks.notice_print, name="notice"),
    path("evidence/<int:pk>/", work.evidence_download, name="evidence"),
    path("interviews/", tasks.interviews, name="interviews"),
    path("my/", work.my_work, name="my_work"),
    path("review/", work.review, name="review"),
    path("leader/", work.leader, name="leader"),
    path("units/<int:unit_pk>/monthly/<str:month>/", work.monthly, name="monthly"),
    path("rules/", setup.rules, name="rules"),
    path("calendar/", setup.calendar_view, name="calendar"),
    path("export.xlsx", setup.export_view, name="export"),
    path("ledger.xlsx", setup.ledger_view, name="ledger"),
    path("import/", setup.import_view, name="import"),
]
