from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/publish/", views.run_publish, name="publish"),
    path("runs/<int:pk>/units/<int:unit_pk>/", views.unit_result, name="unit"),
]
