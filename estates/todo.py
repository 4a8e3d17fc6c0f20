"""What estates puts on a commissioner's home page (``portal.todo``): for each CCG they
commission, the premises schemes at business case, awaiting approval (the step before
``Scheme.Status.APPROVED``), linking to the scheme list filtered to them."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse

from portal.todo import COMMISSIONER, TodoItem, Urgency, register
from practices.visibility import commissioned_ccgs_for, roles_of

from .models import Scheme
from .visibility import schemes_for


@register
def business_cases_to_approve(user, today: dt.date) -> list[TodoItem]:
    roles = roles_of(user)
    if not roles.commissioner_ccg_ids:
        return []
    ccgs = list(commissioned_ccgs_for(user).filter(pk__in=roles.commissioner_ccg_ids).order_by("name"))
    items = []
    for ccg in ccgs:
        count = schemes_for(user).filter(ccg=ccg, status=Scheme.Status.BUSINESS_CASE).count()
        if count:
            query = urlencode({"ccg": ccg.pk, "status": Scheme.Status.BUSINESS_CASE})
            items.append(
                TodoItem(
                    role=COMMISSIONER,
                    url=f"{reverse('estates:scheme_list')}?{query}",
                    singular="premises scheme at business case, awaiting approval",
                    plural="premises schemes at business case, awaiting approval",
                    count=count,
                    urgency=Urgency.WAITING,
                    note=ccg.name if len(ccgs) > 1 else "",
                )
            )
    return items
