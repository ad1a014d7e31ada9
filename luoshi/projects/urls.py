from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.project_form, name="new"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_form, name="edit"),
    path("leads/", views.lead_list, name="leads"),
    path("leads/<int:pk>/move/", views.lead_move, name="lead_move"),
    path("obstacles/", views.obstacle_list, name="obstacles"),
    path("obstacles/<int:pk>/solve/", views.obstacle_solve, name="obstacle_solve"),
    path("schedule.xlsx", views.schedule_xlsx, name="schedule"),
]
