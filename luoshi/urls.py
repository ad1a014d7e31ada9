from django.urls import include, path

from luoshi.accounts import views as account_views

from . import health, views
from .api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", health.health, name="health"),
    path("health/jobs/", health.health_jobs, name="health_jobs"),
    path("login/", account_views.login_view, name="login"),
    path("logout/", account_views.logout_view, name="logout"),
    path("password/", account_views.password_change, name="password_change"),
    path("units/", include("luoshi.orgs.urls")),
    path("accounts/", include("luoshi.accounts.urls")),
    path("audit/", include("luoshi.audit.urls")),
    path("supervision/", include("luoshi.supervision.urls")),
    path("sources/", include("luoshi.directives.urls")),
    path("inbox/", include("luoshi.notify.urls")),
    path("indicators/", include("luoshi.indicators.urls")),
    path("evaluation/", include("luoshi.evaluation.urls")),
    path("results/", include("luoshi.publishing.urls")),
    path("projects/", include("luoshi.projects.urls")),
    path("incentives/", include("luoshi.incentives.urls")),
    path("api/v1/", api.urls),
]

handler500 = "luoshi.errors.server_error"
