from django.urls import path

from . import views

app_name = "directives"
urlpatterns = [
    path("", views.source_list, name="sources"),
    path("new/", views.source_new, name="source_new"),
    path("<int:pk>/", views.source_detail, name="source"),
    path("files/<int:pk>/", views.source_file, name="file"),
]
