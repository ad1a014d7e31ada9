from django.urls import path

from . import views

app_name = "incentives"
urlpatterns = [
    path("", views.index, name="index"),
    path("exemptions/", views.exemptions, name="exemptions"),
    path("exemptions/apply/<int:pk>/", views.apply, name="apply"),
    path("exemptions/<int:pk>/decide/", views.decide, name="decide"),
    path("precedents/", views.precedents, name="precedents"),
    path("precedents/<int:pk>/review/", views.review_precedent, name="review_precedent"),
    path("awards/", views.awards, name="awards"),
    path("ratings/", views.ratings, name="ratings"),
    path("highlights/", views.highlights, name="highlights"),
    path("rate/<slug:token>/", views.rate, name="rate"),
]
