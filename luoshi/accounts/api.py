from ninja import Router, Schema

from .models import Membership, Role
from .scope import scope_for

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    role: str
    title: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[str]
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut)
def me(request):
    user = request.user
    scope = scope_for(user)
    held = set(scope.memberships)
    memberships = [
        MembershipOut(
            unit_id=m.unit_id,
            unit_code=m.unit.code,
            unit_name=m.unit.name,
            role=m.role,
            title=m.title,
        )
        for m in Membership.objects.active().filter(user=user).select_related("unit")
        if (m.role, m.unit_id) in held
    ]
    return MeOut(
        id=user.pk,
        username=user.username,
        full_name=user.full_name,
        roles=sorted(r for r in scope.roles if r in Role.values),
        memberships=memberships,
    )
