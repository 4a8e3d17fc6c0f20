"""The home page sends each person to where their work is."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ..visibility import roles_of


@login_required
def home(request):
    roles = roles_of(request.user)
    if roles.is_admin:
        return redirect("practices:stp_list")
    if len(roles.commissioner_ccg_ids) == 1:
        return redirect("practices:ccg_detail", pk=next(iter(roles.commissioner_ccg_ids)))
    if roles.commissioner_ccg_ids:
        return redirect("practices:stp_list")
    if len(roles.governing_body_ccg_ids) == 1:
        return redirect("dashboards:ccg", pk=next(iter(roles.governing_body_ccg_ids)))
    if roles.governing_body_ccg_ids:
        return redirect("dashboards:index")
    if len(roles.practice_ids) == 1:
        return redirect("practices:practice_detail", pk=next(iter(roles.practice_ids)))
    if roles.practice_ids:
        return redirect("practices:practice_list")
    return render(request, "practices/no_access.html")
