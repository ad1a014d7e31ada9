from django.urls import path, re_path

from . import public, views

app_name = "publishing"
urlpatterns = [
    path("public/", public.index, name="public"),
    path("public/runs/<int:pk>/", public.public_league, name="public_league"),
    path(
        "public/runs/<int:pk>/units/<int:unit_pk>/",
        public.public_scorecard,
        name="public_scorecard",
    ),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/units/<int:pk>/", views.unit_dashboard, name="unit_dashboard"),
    path("runs/<int:pk>/", views.league_table, name="league"),
    path("runs/<int:pk>/league.xlsx", views.league_xlsx, name="league_xlsx"),
    path("runs/<int:pk>/units/<int:unit_pk>/", views.unit_scorecard, name="scorecard"),
    path("runs/<int:pk>/documents/", views.document_request, name="document_request"),
    path(
        "runs/<int:pk>/units/<int:unit_pk>/statement/",
        views.statement_request,
        name="statement_request",
    ),
    path("tasks/<int:pk>/order/", views.order_request, name="order_request"),
    path("meetings/<int:pk>/pack/", views.meeting_request, name="meeting_request"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    re_path(
        r"^documents/(?P<pk>\d+)/(?P<fmt>docx|pdf)/$", views.document_file, name="document_file"
    ),
]
