"""What the pages of one return share: finding it through what the user may see, breadcrumbs."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property

from practices.visibility import roles_of

from ..models import Return
from ..visibility import returns_for


def return_breadcrumbs(user, ret: Return | None = None) -> list[tuple[str, str | None]]:
    roles = roles_of(user)
    if roles.is_admin or ret is not None and ret.collection.ccg_id in roles.commissioner_ccg_ids:
        crumbs = [("Returns", reverse("returns:collection_list"))]
        if ret is not None:
            crumbs.append((ret.collection.title, ret.collection.get_absolute_url()))
    else:
        crumbs = [("Your returns", reverse("returns:my_returns"))]
    if ret is not None:
        crumbs.append((ret.practice.name, ret.get_absolute_url()))
    return crumbs


class ReturnScopedMixin:
    """Views under /returns/return/<pk>/: the return, looked up through what the user may see."""

    @cached_property
    def ret(self) -> Return:
        return get_object_or_404(
            returns_for(self.request.user).select_related("collection__ccg", "practice"), pk=self.kwargs["pk"]
        )

    def get_permission_object(self):
        return self.ret
