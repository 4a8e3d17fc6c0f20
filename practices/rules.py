"""Object permissions, checked on the server for every change (``rules``).

A commissioner changes the organisations of their CCG; a practice manager changes their
own practice's sites; a governing body member changes nothing; an administrator
changes everything.
"""

import rules

from .visibility import roles_of


def _ccg_id(obj) -> int | None:
    if obj is None:
        return None
    from .models import CCG

    if isinstance(obj, CCG):
        return obj.pk
    if hasattr(obj, "ccg_id"):
        return obj.ccg_id
    if hasattr(obj, "practice"):
        return obj.practice.ccg_id
    return None


def _practice_id(obj) -> int | None:
    from .models import Practice

    if isinstance(obj, Practice):
        return obj.pk
    return getattr(obj, "practice_id", None)


@rules.predicate
def is_administrator(user) -> bool:
    return roles_of(user).is_admin


@rules.predicate
def is_commissioner_of(user, obj) -> bool:
    return _ccg_id(obj) in roles_of(user).commissioner_ccg_ids


@rules.predicate
def is_any_commissioner(user) -> bool:
    return roles_of(user).is_commissioner


@rules.predicate
def reads_ccg_of(user, obj) -> bool:
    return _ccg_id(obj) in roles_of(user).ccg_ids


@rules.predicate
def manages_practice_of(user, obj) -> bool:
    return _practice_id(obj) in roles_of(user).practice_ids


can_edit_organisation = is_administrator | is_commissioner_of

rules.add_perm("practices.view_ccg", is_administrator | reads_ccg_of)
rules.add_perm("practices.change_ccg", can_edit_organisation)
rules.add_perm("practices.view_cluster", is_administrator | reads_ccg_of)
rules.add_perm("practices.add_cluster", can_edit_organisation)
rules.add_perm("practices.change_cluster", can_edit_organisation)
rules.add_perm("practices.view_practice", is_administrator | reads_ccg_of | manages_practice_of)
rules.add_perm("practices.add_practice", can_edit_organisation)
rules.add_perm("practices.change_practice", can_edit_organisation)
rules.add_perm("practices.add_site", can_edit_organisation | manages_practice_of)
rules.add_perm("practices.change_site", can_edit_organisation | manages_practice_of)
rules.add_perm("practices.view_reference_imports", is_administrator)
rules.add_perm("practices.import_reference", is_administrator)
