"""Rate limits, all behind one small interface, and the one way Luoshi reads a client's address.

Every limit (log-in per address, API per person, documents per person, citizen ratings per
rating point and address, SMS codes) is a `RateLimit` counting in the cache named by
settings.RATE_LIMIT_CACHE. Today that is the database cache, shared by every web process on
every machine; moving the counters to Redis or local memory is a change of that setting only.

`client_address` is the only place that reads REMOTE_ADDR or X-Forwarded-For: with
settings.PROXIES = N trusted proxies in front (nginx: 1), the address the nearest trusted proxy
saw; anything a client writes further left in X-Forwarded-For is ignored. With PROXIES = 0 the
header is not read at all, so nobody can choose their own address by sending it.
"""

import ipaddress

from django.conf import settings
from django.core.cache import caches
from ninja.throttling import BaseThrottle, SimpleRateThrottle


def client_address(request) -> str:
    """The visitor's address as the trusted proxies (settings.PROXIES) report it."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.PROXIES
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if not forwarded:
        return remote
    # Each trusted proxy appends the address it saw, so the N-th from the right is the one the
    # outermost trusted proxy (the one the visitor reached) wrote.
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def address_ident(address: str) -> str:
    """What a per-address limit counts: the address, or its /64 for IPv6 (one subscriber gets a
    whole /64 and could otherwise rotate through it)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address or "-"
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address) + "/64"
    return str(parsed)


class _Counter(SimpleRateThrottle):
    """ninja's sliding-window counter (a read and a write per hit), for one key."""

    def __init__(self, scope: str, ident: str, rate: str):
        self.scope, self.ident = scope, ident
        self.cache = caches[settings.RATE_LIMIT_CACHE]
        super().__init__(rate)

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}


class RateLimit:
    """At most `rate` ("number/s|m|h|d", or the name of a setting holding one) hits per ident.

    The rate is read at every hit, so a changed setting takes effect at once."""

    def __init__(self, scope: str, rate: str):
        self.scope, self.rate = scope, rate

    def _rate(self) -> str:
        return getattr(settings, self.rate) if self.rate.isupper() else self.rate

    def hit(self, ident) -> bool:
        """Count one attempt; False when the limit was already reached (the attempt is not
        counted then, so a refused client is not locked out for longer)."""
        return _Counter(self.scope, str(ident), self._rate()).allow_request(None)

    def clear(self, ident) -> None:
        counter = _Counter(self.scope, str(ident), self._rate())
        counter.cache.delete(counter.get_cache_key(None))


class LoginThrottle(BaseThrottle):
    """Log-in attempts per client address; the per-account lock-out is separate (accounts)."""

    limit = RateLimit("login", "LOGIN_RATE")

    def allow_request(self, request) -> bool:
        return self.limit.hit(address_ident(client_address(request)))


class ApiThrottle(BaseThrottle):
    """API requests per person (a token counts as its owner), or per address when anonymous."""

    limit = RateLimit("api", "API_RATE")

    def allow_request(self, request) -> bool:
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return self.limit.hit(f"user-{user.pk}")
        return self.limit.hit(address_ident(client_address(request)))


# What the shared counter costs each API request (database cache: read; count, find and write
# the entry inside a savepoint). Query-count tests add it to each endpoint's own pinned count.
RATE_LIMIT_QUERIES = 6
