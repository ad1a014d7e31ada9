"""A content security policy on every response: scripts only from Luoshi's own static files
(no inline script, no CDN), no framing, forms only to Luoshi. Inline styles are allowed
(charts draw with them); images may be data: URIs (QR codes, charts)."""

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
