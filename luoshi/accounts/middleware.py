from django.contrib.auth.middleware import LoginRequiredMiddleware as _LoginRequired
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class PasswordChangeRequiredMiddleware:
    """A person given a temporary password must choose their own before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("password_change"), reverse("logout")}
            if request.path.startswith("/api/"):
                # The browser's session reaches the API too; a temporary password (known to the
                # office that set it) must not open it either. Tokens are checked on their own.
                if "HTTP_AUTHORIZATION" not in request.META:
                    return JsonResponse(
                        {"detail": _("Choose your own password first (on the log-in page).")},
                        status=403,
                    )
            elif request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("password_change")
        return self.get_response(request)


class LoginRequiredMiddleware(_LoginRequired):
    """Every page needs a log-in unless marked otherwise; the JSON API does its own
    authentication (session or token) and answers 401 instead of redirecting."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(("/api/", "/static/")):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
