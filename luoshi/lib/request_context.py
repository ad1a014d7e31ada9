"""The id of the request (or command) being served, for audit events and logs.

A context variable rather than a thread-local so it is right under any server
model; commands set their own id so their events are grouped too.
"""

import contextvars
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("luoshi_request_id", default="")


def new_request_id() -> str:
    return uuid.uuid4().hex


def get_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)
