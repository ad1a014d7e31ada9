from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("import/", views.import_view, name="import"),
    path("classes/", views.classes, name="classes"),
    path("export.xlsx", views.export_view, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/new/", views.new_child, name="new_child"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/retire/", views.retire, name="retire"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/oversight/", views.oversight_add, name="oversight_add"),
    path("oversight/<int:pk>/remove/", views.oversight_remove, name="oversight_remove"),
]
