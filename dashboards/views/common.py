"""What the dashboard pages share: the period and cluster filters, and CSV downloads."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import urlencode
from django.utils.text import slugify

from portal import exports
from portal.asat import PARAMETER, AsAt, as_at_from
from practices.models import CCG, Cluster

from .. import selectors as s
from ..tables import Table


def chosen_period(request, ccg: CCG) -> tuple[s.Period, list[s.Period]]:
    """The quarter asked for in ``?period=``, if the CCG has it; else the quarter of the ``?on=`` date
    asked for, if it has that one; else the latest with figures."""
    options = s.period_options(ccg)
    asked = s.Period.parse(request.GET.get("period"))
    if asked is not None and asked in options:
        return asked, options
    as_at = chosen_as_at(request)
    if not as_at.is_default and (of_date := s.Period.containing(as_at.on)) in options:
        return of_date, options
    return s.default_period(ccg, options), options


def chosen_as_at(request) -> AsAt:
    """``?on=``: the day the dashboard is read as at (today unless asked); statuses and overdue are
    counted on the earlier of it and the quarter's last day."""
    return as_at_from(request, label="Show the dashboard as at")


def filter_query(period: s.Period, as_at: AsAt, **others) -> str:
    """The page's filters as a query string, for its CSV links: the period, ``?on=`` unless it is
    the default, and any ``others`` that are set."""
    params = {"period": period.value}
    if not as_at.is_default:
        params[PARAMETER] = as_at.on.isoformat()
    params.update({name: value for name, value in others.items() if value})
    return urlencode(params)


def chosen_cluster(request, clusters: list[Cluster]) -> Cluster | None:
    try:
        wanted = int(request.GET.get("cluster", ""))
    except ValueError:
        return None
    return next((c for c in clusters if c.pk == wanted), None)


def csv_response(table: Table, *, name: str) -> HttpResponse:
    return exports.download(table.to_csv().encode("utf-8"), file_format="csv", filename=f"{slugify(name)}.csv")
