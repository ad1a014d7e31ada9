from django.utils.translation import gettext as _


class ActionError(Exception):
    """Bad input refused by an action; nothing was changed.

    ``field`` names the input at fault so a form can show the message beside it.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(ActionError):
    """The actor may not do this. Views answer 404 when the object is not
    visible at all, and 403 with this message when it is visible but read-only."""


def require_fits(model, **values) -> None:
    """Refuse text longer than its column, naming the field: PostgreSQL would otherwise fail
    the whole write with a server error (SQLite silently keeps it), e.g. a 300-character unit
    name pasted into an import."""
    for field, value in values.items():
        limit = model._meta.get_field(field).max_length
        if isinstance(value, str) and limit and len(value) > limit:
            raise ActionError(
                _("“%(start)s…” is %(length)d characters long; at most %(limit)d fit.")
                % {"start": value[:12], "length": len(value), "limit": limit},
                field=field,
            )
