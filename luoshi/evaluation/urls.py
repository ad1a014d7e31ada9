from django.urls import path

from . import adjustment_views, scheme_views, views

app_name = "evaluation"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/publish/", views.run_publish, name="publish"),
    path("runs/<int:pk>/units/<int:unit_pk>/", views.unit_result, name="unit"),
    path("adjustments/", adjustment_views.adjustment_list, name="adjustments"),
    path(
        "adjustments/<int:pk>/decide/",
        adjustment_views.adjustment_decide,
        name="adjustment_decide",
    ),
    path("schemes/", scheme_views.scheme_list, name="schemes"),
    path("schemes/<slug:code>/", scheme_views.scheme_detail, name="scheme"),
    path(
        "schemes/<slug:code>/nodes/<int:pk>/remove/", scheme_views.node_remove, name="node_remove"
    ),
    path("schemes/<slug:code>/new-version/", scheme_views.new_version, name="new_version"),
]
