"""A content security policy on every response: scripts only from Luoshi's own static files
(no inline script, no CDN), no framing, forms only to Luoshi. Inline styles are allowed
(charts draw with them); images may be data: URIs (QR codes, charts)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A download answered with its own stricter policy (sandboxed attachments) keeps it.
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response


class RejectNulMiddleware:
    """Answer 400 to a request carrying a NUL character in its query or JSON body.

    Forms already refuse one (Django's ProhibitNullCharactersValidator); the API and search
    parameters did not, and PostgreSQL cannot store or compare text holding NUL, so such a
    request became a server error (found by bench/fuzz_api.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_query = "%00" in request.META.get("QUERY_STRING", "")
        in_json = request.content_type == "application/json" and (
            b"\\u0000" in request.body or b"\x00" in request.body
        )
        if in_query or in_json:
            return JsonResponse(
                {"detail": _("The request contains a NUL character, which no field accepts.")},
                status=400,
            )
        return self.get_response(request)
