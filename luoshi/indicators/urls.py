from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("<slug:code>/<str:period>/", views.grid, name="grid"),
    path("<slug:code>/<str:period>/download.xlsx", views.grid_download, name="download"),
    path("<slug:code>/<str:period>/upload/", views.grid_upload, name="upload"),
    path("<slug:code>/<str:period>/<str:move>/", views.round_move, name="move"),
]
