"""The home page: what needs the person signed in today, for each role they hold, most urgent
first (``portal.todo``: each area registers its part), and the pages where their work is."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from portal import todo

from ..models import CCG, Practice
from ..visibility import RoleSet, roles_of


@dataclass
class HomeSection:
    """The to-dos of one role the person holds, under a heading that names its organisations."""

    role: str
    heading: str
    items: list[todo.TodoItem] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


def _names(rows) -> str:
    names = [row.name for row in rows]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def home_sections(roles: RoleSet, items: list[todo.TodoItem]) -> list[HomeSection]:
    """One section per role held, in the order practice, commissioning, governing body, administration;
    its links are the pages of its organisations (the navigation has the rest)."""
    sections = []
    if roles.practice_ids:
        practices = list(Practice.objects.filter(pk__in=roles.practice_ids).order_by("name"))
        links = [(p.name, reverse("practices:practice_detail", args=[p.pk])) for p in practices]
        sections.append(HomeSection(todo.PRACTICE_MANAGER, f"As practice manager of {_names(practices)}", links=links))
    if roles.commissioner_ccg_ids:
        ccgs = list(CCG.objects.filter(pk__in=roles.commissioner_ccg_ids).order_by("name"))
        links = [(c.name, reverse("practices:ccg_detail", args=[c.pk])) for c in ccgs]
        sections.append(HomeSection(todo.COMMISSIONER, f"As commissioner for {_names(ccgs)}", links=links))
    if roles.governing_body_ccg_ids:
        ccgs = list(CCG.objects.filter(pk__in=roles.governing_body_ccg_ids).order_by("name"))
        links = [(f"{c.name} dashboard", reverse("dashboards:ccg", args=[c.pk])) for c in ccgs]
        sections.append(HomeSection(todo.GOVERNING_BODY, f"As governing body member of {_names(ccgs)}", links=links))
    if roles.is_admin:
        sections.append(HomeSection(todo.ADMINISTRATOR, "As administrator of the portal"))
    by_role = {section.role: section for section in sections}
    for item in items:
        if item.role in by_role:
            by_role[item.role].items.append(item)
    return sections


@login_required
def home(request):
    roles = roles_of(request.user)
    if not (roles.is_admin or roles.ccg_ids or roles.practice_ids):
        return render(request, "practices/no_access.html")
    today = timezone.localdate()
    sections = home_sections(roles, todo.items_for(request.user, today))
    return render(
        request,
        "practices/home.html",
        {"today": today, "sections": sections, "nothing": not any(section.items for section in sections)},
    )
