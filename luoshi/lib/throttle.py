"""Rate limits shared by all web processes (they count in the database cache, settings.CACHES).

The API uses django-ninja's own throttling (luoshi/api.py); the log-in page reuses its
per-address counter, so both read the client's address the same way (settings.PROXIES).
"""

from django.conf import settings
from ninja.throttling import SimpleRateThrottle, UserRateThrottle


class LoginThrottle(SimpleRateThrottle):
    """Log-in attempts per client address; the per-account lock-out is separate (accounts)."""

    scope = "login"

    def __init__(self):
        super().__init__(settings.LOGIN_RATE)

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ApiThrottle(UserRateThrottle):
    """API requests per person (a token counts as its owner), or per address when anonymous."""

    scope = "api"

    def __init__(self):
        super().__init__(settings.API_RATE)

    def allow_request(self, request):
        # Read the rate each time, so a changed setting (or a test's) takes effect at once.
        self.num_requests, self.duration = self.parse_rate(settings.API_RATE)
        return super().allow_request(request)


# What the shared counter costs each API request (database cache: read; count, find and write
# the entry inside a savepoint). Query-count tests add it to each endpoint's own pinned count.
RATE_LIMIT_QUERIES = 6
