"""Authentication for the JSON API: a bearer token, or the browser's session."""

from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from .models import ApiToken, hash_token_key
from .scope import compute_scope, set_scope

# Recording every use would turn each read into a write; a minute is precise enough.
_LAST_USED_GRANULARITY = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        api_token = (
            ApiToken.objects.live()
            .select_related("user")
            .filter(key_hash=hash_token_key(token))
            .first()
        )
        if api_token is None:
            return None
        user = api_token.user
        # The token sees only through its own membership, never all of the user's.
        scope = compute_scope(user, only_membership=(api_token.role, api_token.unit_id))
        if not scope.memberships:
            return None
        set_scope(user, scope)
        request.user = user
        request.api_token = api_token
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > _LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        return user


api_auth = [TokenAuth(), django_auth]
