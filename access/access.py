"""Who may read a CCG's extended access: its commissioners (and administrators).

The figures come from practices' returns, which only the CCG's commissioners and the
practice itself see; the pages here show a whole CCG, so practice managers and governing
body members see none of them (another CCG's id is a 404).
"""

from __future__ import annotations

from django.db.models import QuerySet

from practices.access import roles_of
from practices.models import CCG


def access_ccgs_for(user) -> QuerySet[CCG]:
    roles = roles_of(user)
    if roles.is_admin:
        return CCG.objects.all()
    return CCG.objects.filter(pk__in=roles.commissioner_ccg_ids)
