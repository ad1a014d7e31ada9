"""The JSON API at /api/v1/: assembles each app's router; owns no models."""

from django.conf import settings
from django.middleware.csrf import get_token
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from luoshi.accounts.api import router as accounts_router
from luoshi.accounts.api_auth import api_auth
from luoshi.directives.api import router as directives_router
from luoshi.evaluation.api import router as evaluation_router
from luoshi.indicators.api import router as indicators_router
from luoshi.lib.throttle import ApiThrottle
from luoshi.orgs.api import router as orgs_router
from luoshi.supervision.api import router as supervision_router


class LocalSwagger(DocsBase):
    """/api/v1/docs with swagger-ui from package.json (npm), served by Luoshi itself: ninja's
    default loads it from a CDN, which the content security policy rightly blocks."""

    def render_page(self, request, api, **kwargs):
        get_token(request)  # the page's "Try it out" posts with the session's CSRF token
        context = {
            "api": api,
            "openapi_url": self.get_openapi_url(api, kwargs),
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
        }
        return render(request, "api/docs.html", context)


api = NinjaAPI(
    docs=LocalSwagger(),
    title="Luoshi API",
    version="1",
    auth=api_auth,
    throttle=[ApiThrottle()],
    description="Token: `Authorization: Bearer lsk_…` (create one under API tokens). "
    "Every object is filtered by what the token's role and unit may see; others answer 404.",
)
api.add_router("", accounts_router)
api.add_router("", orgs_router)
api.add_router("", supervision_router)
api.add_router("", directives_router)
api.add_router("", indicators_router)
api.add_router("", evaluation_router)
