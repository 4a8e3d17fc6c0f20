"""What the dashboard pages share: the period and cluster filters, and CSV downloads."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.text import slugify

from portal import exports
from practices.models import CCG, Cluster

from .. import selectors as s
from ..tables import Table


def chosen_period(request, ccg: CCG) -> tuple[s.Period, list[s.Period]]:
    """The quarter asked for in ``?period=``, if the CCG has it; else the latest with figures."""
    options = s.period_options(ccg)
    asked = s.Period.parse(request.GET.get("period"))
    if asked is not None and asked in options:
        return asked, options
    return s.default_period(ccg, options), options


def chosen_cluster(request, clusters: list[Cluster]) -> Cluster | None:
    try:
        wanted = int(request.GET.get("cluster", ""))
    except ValueError:
        return None
    return next((c for c in clusters if c.pk == wanted), None)


def csv_response(table: Table, *, name: str) -> HttpResponse:
    return exports.download(table.to_csv().encode("utf-8"), file_format="csv", filename=f"{slugify(name)}.csv")
