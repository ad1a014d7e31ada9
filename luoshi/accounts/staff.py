"""Who works where: the office a person belongs to, and the people who answer for a unit."""

from .models import Membership, Role, User


def office_unit_of(user):
    """The unit whose office the person staffs (the first, if several), or None."""
    membership = (
        Membership.objects.active()
        .filter(user=user, role=Role.OFFICE)
        .select_related("unit")
        .first()
    )
    return membership.unit if membership else None


def unit_staff(unit) -> list[User]:
    """The unit's head and liaisons: who is told when something lands on the unit."""
    return list(
        User.objects.filter(
            pk__in=Membership.objects.active()
            .filter(unit=unit, role__in=[Role.UNIT_HEAD, Role.LIAISON])
            .values("user")
        )
    )
