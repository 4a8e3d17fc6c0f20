"""What every estates page shares: breadcrumbs, the CCG in the URL, and file exports."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.text import slugify
from django_tables2.export import TableExport

from portal import exports

EXPORT_FORMATS = ("csv", "xlsx")


def estates_breadcrumbs(*more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Home", reverse("practices:home")), ("Estates", reverse("estates:overview")), *more]


def export_table(request, table, name: str) -> HttpResponse | None:
    """The table as a CSV or XLSX download when the query asks for one (``?export=csv``)."""
    file_format = request.GET.get("export")
    if not file_format:
        return None
    if file_format not in EXPORT_FORMATS:
        raise Http404("Exports are CSV or XLSX.")
    # django-tables2 gathers the rows; tablib's own writers would keep a formula live.
    dataset = TableExport(file_format, table, exclude_columns=getattr(table, "export_exclude", ())).dataset
    typed = getattr(table, "export_columns", {})
    headers = [typed.get(heading, exports.Column(heading)) for heading in dataset.headers]
    content = exports.write_table(headers=headers, rows=list(dataset), file_format=file_format, bom=False,
                                  title=name)  # fmt: skip
    return exports.download(content, file_format=file_format, filename=f"{slugify(name)}.{file_format}")


def export_links(request) -> list[tuple[str, str]]:
    """Links to the current page's exports, keeping its filters."""
    links = []
    for file_format in EXPORT_FORMATS:
        query = request.GET.copy()
        query["export"] = file_format
        query.pop("page", None)
        links.append((file_format.upper(), f"{request.path}?{query.urlencode()}"))
    return links
