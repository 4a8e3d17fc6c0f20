"""What funding pages share: looking a CCG up through what the user may see, and breadcrumbs."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.text import slugify

from portal import exports
from practices.models import CCG

from ..exports import CONTENT_TYPES, export_bytes


def funding_breadcrumbs(ccg: CCG | None = None) -> list[tuple[str, str | None]]:
    crumbs = [("Funding", reverse("commissioning:funding_home"))]
    if ccg is not None:
        crumbs.append((f"{ccg.name}", reverse("commissioning:funding_summary", args=[ccg.pk])))
    return crumbs


def download(dataset, *, file_format: str, name: str) -> HttpResponse:
    if file_format not in CONTENT_TYPES:
        raise Http404
    return exports.download(
        export_bytes(dataset, file_format), file_format=file_format, filename=f"{slugify(name)}.{file_format}"
    )
