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
