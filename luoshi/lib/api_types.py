"""Types for the API's inputs. An id is bounded by the database's 64-bit key: a larger number
would otherwise reach the query and fail there (SQLite: OverflowError; PostgreSQL: bigint out
of range) instead of answering 422 or 404 — schemathesis found this (bench/fuzz_api.py)."""

from typing import Annotated

from ninja import Schema
from ninja.pagination import PageNumberPagination
from pydantic import Field

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Pages(PageNumberPagination):
    """django-ninja's page numbers with an upper bound, for the same reason as ObjectId: page
    10^30 made an OFFSET no database accepts."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=10**6)
        page_size: int | None = Field(None, ge=1, le=1000)
