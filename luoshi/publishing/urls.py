from django.urls import path

from . import views

app_name = "publishing"
urlpatterns = [
    path("runs/<int:pk>/", views.league_table, name="league"),
    path("runs/<int:pk>/league.xlsx", views.league_xlsx, name="league_xlsx"),
    path("runs/<int:pk>/units/<int:unit_pk>/", views.unit_scorecard, name="scorecard"),
]
