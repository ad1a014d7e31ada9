from django.urls import path

from . import speech_views, views

app_name = "directives"
urlpatterns = [
    path("", views.source_list, name="sources"),
    path("new/", views.source_new, name="source_new"),
    path("<int:pk>/", views.source_detail, name="source"),
    path("files/<int:pk>/", views.source_file, name="file"),
    path("<int:pk>/speech/", speech_views.speech_upload, name="speech_upload"),
    path("speeches/<int:pk>/", speech_views.speech_review, name="speech"),
]
