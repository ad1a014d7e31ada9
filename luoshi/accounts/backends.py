from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User


def find_login_user(identifier: str) -> User | None:
    """The account a log-in name refers to: a user name, or an 11-digit mobile number."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    return User.objects.filter(Q(username=identifier) | Q(mobile=identifier)).first()


class UsernameOrMobileBackend(ModelBackend):
    """Log in by user name or mobile number; a locked account never authenticates."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_login_user(username)
        if user is None:
            # Spend the same time as a real check so timing does not reveal names.
            User().set_password(password)
            return None
        if user.is_locked():
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
