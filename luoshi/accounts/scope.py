"""What a person may see: the subtrees of the unit tree their roles reach.

Every `visible_to(user)` queryset in Luoshi filters through `scope_for(user)`,
so the rule lives in one place. The scope is computed once per request (two
queries) and cached on the user object.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from luoshi.orgs import paths

from .models import Membership, Role

_CACHE_ATTR = "_luoshi_scope"


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    # Subtree roots (unit paths) the person may see, none inside another.
    prefixes: tuple[str, ...] = ()
    # Role → subtree roots where the person holds it.
    role_prefixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Each membership: (role, unit_id), the person's own places.
    memberships: tuple[tuple[str, int], ...] = ()

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_prefixes)

    def has_role(self, *roles: str) -> bool:
        return self.everything or any(r in self.role_prefixes for r in roles)

    def unit_q(self, prefix: str) -> Q:
        """A filter for objects whose unit (reached by ``prefix``) is visible."""
        if self.everything:
            return Q()
        if not self.prefixes:
            return Q(**{f"{prefix}pk__in": []})
        q = Q()
        for p in self.prefixes:
            q |= Q(**{f"{prefix}path__gte": p, f"{prefix}path__lt": paths.upper_bound(p)})
        return q

    def ancestors_q(self, prefix: str) -> Q:
        """A filter for objects whose unit (reached by ``prefix``) is above or at the scope's
        roots: the jurisdictions a person works under, e.g. the district whose schemes rank them."""
        if self.everything:
            return Q()
        above = {
            p[:k] for p in self.prefixes for k in range(paths.SEGMENT, len(p) + 1, paths.SEGMENT)
        }
        return Q(**{f"{prefix}path__in": sorted(above)})

    def covers(self, unit, *, role: str | None = None) -> bool:
        """Whether ``unit`` is inside the scope (of ``role`` only, if given)."""
        if self.everything:
            return True
        roots = self.role_prefixes.get(role, ()) if role else self.prefixes
        return any(unit.path.startswith(p) for p in roots)

    def is_office_for(self, unit) -> bool:
        return self.covers(unit, role=Role.OFFICE)


def _outermost(prefixes) -> tuple[str, ...]:
    kept: list[str] = []
    for p in sorted(set(prefixes)):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(kept)


def compute_scope(user, *, only_membership: tuple[str, int] | None = None) -> Scope:
    """The scope of ``user``; with ``only_membership`` (role, unit id), that one alone."""
    if not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser and only_membership is None:
        return Scope(everything=True)
    memberships = Membership.objects.active().filter(user=user).select_related("unit")
    if only_membership is not None:
        role, unit_id = only_membership
        memberships = memberships.filter(role=role, unit_id=unit_id)
    role_paths: dict[str, list[str]] = {}
    held = []
    leader_limited = False
    for m in memberships:
        held.append((m.role, m.unit_id))
        if m.role == Role.LEADER and not m.sees_all:
            leader_limited = True
            continue
        role_paths.setdefault(m.role, []).append(m.unit.path)
    if leader_limited:
        overseen = user.oversights.filter(unit__status="active").values_list(
            "unit__path", flat=True
        )
        role_paths.setdefault(Role.LEADER, []).extend(overseen)
    role_prefixes = {role: _outermost(ps) for role, ps in role_paths.items()}
    every = [p for ps in role_prefixes.values() for p in ps]
    return Scope(prefixes=_outermost(every), role_prefixes=role_prefixes, memberships=tuple(held))


def scope_for(user) -> Scope:
    scope = getattr(user, _CACHE_ATTR, None)
    if scope is None:
        scope = compute_scope(user)
        set_scope(user, scope)
    return scope


def set_scope(user, scope: Scope) -> None:
    setattr(user, _CACHE_ATTR, scope)


def forget_scope(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
