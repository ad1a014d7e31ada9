from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from luoshi.lib.api_types import ObjectId, Pages

from .models import Source

router = Router(tags=["sources"])


class SourceOut(Schema):
    id: int
    kind: str
    title: str
    date: date
    issuer: str
    reference: str


@router.get("/sources", response=list[SourceOut])
@paginate(Pages, page_size=100)
def list_sources(request):
    return Source.objects.visible_to(request.user).order_by("-date", "-pk")


@router.get("/sources/{source_id}", response=SourceOut)
def get_source(request, source_id: ObjectId):
    return get_object_or_404(Source.objects.visible_to(request.user), pk=source_id)
