from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from luoshi.lib.api_types import ObjectId, Pages

from .models import Unit

router = Router(tags=["units"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None
    unit_class: str
    depth: int
    order: int
    status: str

    @staticmethod
    def resolve_unit_class(obj):
        return obj.unit_class.code


def _visible(request):
    return Unit.objects.visible_to(request.user).select_related("unit_class")


@router.get("/units", response=list[UnitOut])
@paginate(Pages, page_size=100)
def list_units(request, q: str = "", parent: ObjectId | None = None):
    units = _visible(request).search(q)
    if parent is not None:
        units = units.filter(parent_id=parent)
    return units.order_by("path")


@router.get("/units/{unit_id}", response=UnitOut)
def get_unit(request, unit_id: ObjectId):
    return get_object_or_404(_visible(request), pk=unit_id)


@router.get("/units/{unit_id}/children", response=list[UnitOut])
def unit_children(request, unit_id: ObjectId):
    unit = get_object_or_404(_visible(request), pk=unit_id)
    return _visible(request).filter(parent=unit).order_by("order", "code")
