"""Every create page of the portal, found in the URLconf, with its URL kwargs filled in.

A page counts as a create page when its view is a ``CreateView`` or its URL name ends in
``_create``, ``_add`` or ``_new``, or its route ends in ``new/``; a new page is picked up
without touching this module. Its kwargs are filled from one set of Luton objects that
Luton's commissioner, governing body, the Luton practice's manager and the administrator
may all reach. A kwarg nobody has filled fails the test with its name, so a new kind of
parent is added here, never skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic.edit import CreateView

from returns.registry import return_types

from .commissioning.factories import ActionFactory, PlanFactory
from .commissioning.funding.factories import FundingStreamFactory
from .commissioning.funding.factories import SchemeFactory as FundingSchemeFactory
from .estates.factories import SchemeFactory as EstatesSchemeFactory
from .factories import SiteFactory

NAME_ENDINGS = ("_create", "_add", "_new")
SKIPPED_NAMESPACES = ("admin",)  # Django's own admin, tested by Django
# Pages that take their parent in the query string, so that a plain GET form can choose it:
# URL name to (query parameter, the kwarg whose value it takes).
QUERY_PARENTS = {"estates:scheme_create": ("ccg", "ccg_pk")}


@dataclass(frozen=True)
class CreatePage:
    name: str  # namespaced URL name, "quality:contract_event_create"
    route: str  # "quality/practices/<int:practice_pk>/contract-events/new/"
    kwargs: tuple[str, ...]


def _walk(patterns, route="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, route + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield route + str(pattern.pattern), f"{namespace}:{pattern.name}" if namespace else pattern.name, pattern


def _is_create_page(route: str, name: str, pattern: URLPattern) -> bool:
    view_class = getattr(pattern.callback, "view_class", None)
    return (
        (view_class is not None and issubclass(view_class, CreateView))
        or name.endswith(NAME_ENDINGS)
        or route.endswith("new/")
    )


def create_pages() -> list[CreatePage]:
    pages = []
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if name.split(":")[0] in SKIPPED_NAMESPACES or not _is_create_page(route, name, pattern):
            continue
        pages.append(CreatePage(name=name, route=route, kwargs=tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))))
    return pages


def create_page_objects(*, ccg, practice, cluster) -> dict[str, list]:
    """The values each URL kwarg takes: ``kwarg`` or ``namespace:kwarg`` to a list of values.

    A list with several values (the return types) opens the page once for each.
    """
    plan = PlanFactory(ccg=ccg, first_year=2017, last_year=2019)
    action = ActionFactory(plan=plan)
    stream = FundingStreamFactory(code="create-pages-stream", ccg=ccg)
    site = SiteFactory(practice=practice)
    return {
        "ccg_pk": [ccg.pk],
        "practice_pk": [practice.pk],
        "cluster_pk": [cluster.pk],
        "plan_pk": [plan.pk],
        "action_pk": [action.pk],
        "stream_pk": [stream.pk],
        "site_pk": [site.pk],
        "type_key": [t.key for t in return_types()],
        "commissioning:pk": [FundingSchemeFactory(ccg=ccg, stream=stream, population_date=dt.date(2017, 1, 1)).pk],
        "estates:pk": [EstatesSchemeFactory(ccg=ccg).pk],
    }


def create_page_urls(objects: dict[str, list]) -> list[tuple[CreatePage, str]]:
    """Every create page with every combination of its kwargs' values, as (page, path)."""
    urls = []
    for page in create_pages():
        namespace = page.name.split(":")[0]
        combinations = [{}]
        for kwarg in page.kwargs:
            values = objects.get(f"{namespace}:{kwarg}", objects.get(kwarg))
            if values is None:
                raise LookupError(f"{page.name} ({page.route}) takes {kwarg!r}: add its value to create_page_objects")
            combinations = [{**combination, kwarg: value} for combination in combinations for value in values]
        query = ""
        if page.name in QUERY_PARENTS:
            parameter, kwarg = QUERY_PARENTS[page.name]
            query = f"?{parameter}={objects[kwarg][0]}"
        urls.extend((page, reverse(page.name, kwargs=combination) + query) for combination in combinations)
    return urls
