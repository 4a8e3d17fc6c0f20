"""Who may read the access measures: the commissioners of the CCG (and administrators).

The measures come from practices' returns, which only the CCG's commissioners and the
practice itself see; the pages here show a whole CCG, so practice managers and governing
body members see none of them (another CCG's id is a 404).
"""

from __future__ import annotations

from django.db.models import QuerySet

from practices.access import roles_of
from practices.models import CCG

from .models import AccessMeasure


def access_ccgs_for(user) -> QuerySet[CCG]:
    roles = roles_of(user)
    if roles.is_admin:
        return CCG.objects.all()
    return CCG.objects.filter(pk__in=roles.commissioner_ccg_ids)


def access_measures_for(user) -> QuerySet[AccessMeasure]:
    return AccessMeasure.objects.filter(ccg__in=access_ccgs_for(user))
