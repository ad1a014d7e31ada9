"""Server-error pages that work when the database does not.

Django calls `server_error` for any exception a view did not handle. When the cause is the
database being unreachable (restarting, network gone, disk full), the answer is 503 with a
page saying so and when to retry, instead of a bare 500 — and it is rendered without a
request context, because the menu and the log-in state would need the database. Django
closes a broken connection at the end of the request, so the next request reconnects: the
site recovers by itself once the database is back (tested in bench/faults.py).
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def database_is_down(exc) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request):
    exc = sys.exc_info()[1]
    down = database_is_down(exc)
    status = 503 if down else 500
    if request.path.startswith("/api/"):
        detail = (
            _("The database cannot be reached just now; try again in a minute.")
            if down
            else _("Server error; it has been logged.")
        )
        response = JsonResponse({"detail": detail}, status=status)
    else:
        page = "503.html" if down else "500.html"
        response = HttpResponse(
            # A reload would resend a GET only: after a form, the way back keeps what was typed.
            render_to_string(
                page, {"retry": RETRY_AFTER_SECONDS, "was_form": request.method != "GET"}
            ),
            status=status,
        )
    if down:
        log.error("database unreachable: %s", exc)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
