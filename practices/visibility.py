"""Who may see what: one helper per object type that filters by the user's roles.

Views look objects up only through these querysets, so a URL with another
organisation's id finds nothing (404) rather than its data. Edit rights are the
``rules`` permissions in ``practices/rules.py``, built on the same ``RoleSet``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet

from portal.mixins import ScopedObjectMixin

from .models import CCG, STP, Cluster, Practice, Role, Site


@dataclass(frozen=True)
class RoleSet:
    """The organisations one user holds each role for, read once per request."""

    is_admin: bool = False
    commissioner_ccg_ids: frozenset[int] = frozenset()
    governing_body_ccg_ids: frozenset[int] = frozenset()
    practice_ids: frozenset[int] = frozenset()

    @property
    def ccg_ids(self) -> frozenset[int]:
        """The CCGs whose organisation pages the user may read."""
        return self.commissioner_ccg_ids | self.governing_body_ccg_ids

    @property
    def is_practice_manager(self) -> bool:
        return bool(self.practice_ids)

    @property
    def is_commissioner(self) -> bool:
        return bool(self.commissioner_ccg_ids)

    @property
    def is_governing_body(self) -> bool:
        return bool(self.governing_body_ccg_ids)


NO_ROLES = RoleSet()


def roles_of(user) -> RoleSet:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ROLES
    cached = getattr(user, "_portal_roles", None)
    if cached is not None:
        return cached
    commissioner, governing, practices, admin = set(), set(), set(), user.is_superuser
    for kind, ccg_id, practice_id in Role.objects.filter(user=user).values_list("kind", "ccg_id", "practice_id"):
        if kind == Role.Kind.COMMISSIONER:
            commissioner.add(ccg_id)
        elif kind == Role.Kind.GOVERNING_BODY:
            governing.add(ccg_id)
        elif kind == Role.Kind.PRACTICE_MANAGER:
            practices.add(practice_id)
        elif kind == Role.Kind.ADMINISTRATOR:
            admin = True
    roles = RoleSet(admin, frozenset(commissioner), frozenset(governing), frozenset(practices))
    user._portal_roles = roles
    return roles


def forget_roles(user) -> None:
    """Drop the cached roles, after a role is granted or removed within a request."""
    user.__dict__.pop("_portal_roles", None)


def visible(user, rows: type[Model] | QuerySet, rule: Callable[[RoleSet], Q]) -> QuerySet:
    """The one shape of a visibility rule: an administrator sees every row; anyone else the
    rows that ``rule(roles)`` admits (a rule of the roles, written once per object type)."""
    rows = rows if isinstance(rows, QuerySet) else rows.objects.all()
    roles = roles_of(user)
    return rows if roles.is_admin else rows.filter(rule(roles))


def in_their_ccgs(field: str = "ccg_id", *, commissioners_only: bool = False) -> Callable[[RoleSet], Q]:
    """A rule admitting the rows of the CCGs the user reads (or, ``commissioners_only``, commissions)."""

    def rule(roles: RoleSet) -> Q:
        return Q(**{f"{field}__in": roles.commissioner_ccg_ids if commissioners_only else roles.ccg_ids})

    return rule


def stps_for(user) -> QuerySet[STP]:
    roles = roles_of(user)
    if roles.is_admin:
        return STP.objects.all()
    return STP.objects.filter(ccgs__in=roles.ccg_ids).distinct()


def ccgs_for(user) -> QuerySet[CCG]:
    return visible(user, CCG, in_their_ccgs("pk"))


def commissioned_ccgs_for(user) -> QuerySet[CCG]:
    """The CCGs the user commissions (an administrator: every CCG): where they may add and change
    their CCG's own records, and read its contract events and risk log in full."""
    return visible(user, CCG, in_their_ccgs("pk", commissioners_only=True))


def clusters_for(user) -> QuerySet[Cluster]:
    return visible(user, Cluster, in_their_ccgs())


def practices_for(user) -> QuerySet[Practice]:
    return visible(user, Practice, lambda roles: Q(ccg_id__in=roles.ccg_ids) | Q(pk__in=roles.practice_ids))


def sites_for(user) -> QuerySet[Site]:
    return Site.objects.filter(practice__in=practices_for(user))


class CCGScopedMixin(ScopedObjectMixin):
    """A page about one CCG: ``self.ccg``, one of ``ccgs_for(user)`` (else 404)."""

    scope_kwarg = "ccg_pk"

    def visible_to(self, user):
        return ccgs_for(user)

    @property
    def ccg(self) -> CCG:
        return self.scoped_object()


class PracticeScopedMixin(ScopedObjectMixin):
    """A page about one practice: ``self.practice``, one of ``practices_for(user)`` (else 404)."""

    scope_kwarg = "practice_pk"
    scope_related = ("ccg",)

    def visible_to(self, user):
        return practices_for(user)

    @property
    def practice(self) -> Practice:
        return self.scoped_object()
