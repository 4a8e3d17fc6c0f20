"""Writes of the estates area that touch several rows or start a job."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from portal import outbox
from portal.periods import FinancialYear
from practices.models import CCG, Cluster, Practice, Site, User

from .capacity import (
    cluster_figures,
    housing_growth_by_cluster,
    practice_figures,
    project_capacity,
    scheme_additions_by_cluster,
)
from .models import (
    SCHEME_WORKFLOW,
    ClusterCapacity,
    EstatesSettings,
    PracticeCapacity,
    Premises,
    Scheme,
    SchemeStatusChange,
    SchemeStatusError,
)

logger = logging.getLogger(__name__)


def capacity_refresh(*, ccg: CCG, on: dt.date | None = None) -> dict[str, int]:
    """Compute and store the capacity of the CCG's open practices and of its clusters, with
    the projection; replaces the rows stored before, so it is safe to run twice."""
    on = on or timezone.localdate()
    settings = EstatesSettings.for_ccg(ccg)
    practices = Practice.objects.filter(ccg=ccg).open_on(on).exclude(status=Practice.Status.CLOSED)
    figures = practice_figures(practices, on)
    cluster_ids = list(Cluster.objects.filter(ccg=ccg).values_list("pk", flat=True))
    clusters, _ = cluster_figures(cluster_ids, on)
    growth = housing_growth_by_cluster(cluster_ids)
    schemes = scheme_additions_by_cluster(cluster_ids)

    practice_rows = []
    for figure in figures.values():
        space = figure.space.rounded()
        practice_rows.append(
            PracticeCapacity(
                practice_id=figure.practice_id,
                computed_on=on,
                patients=figure.patients,
                list_size_date=figure.list_size_date,
                area_m2=space.area_m2,
                clinical_rooms=space.clinical_rooms,
                sites=space.sites,
                sites_without_details=space.sites_without_details,
            )
        )
    cluster_rows = []
    for cluster in clusters.values():
        if not cluster.practice_ids:
            continue  # no member practices today: nothing to compare or project
        space = cluster.space.rounded()
        base_year = FinancialYear.containing(cluster.as_at or on).start_year
        years = project_capacity(
            base_year=base_year,
            patients=cluster.patients,
            area_m2=space.area_m2,
            clinical_rooms=space.clinical_rooms,
            dwellings_by_year=growth.get(cluster.cluster_id, {}),
            patients_per_dwelling=settings.patients_per_dwelling,
            schemes=schemes.get(cluster.cluster_id, ()),
            years=settings.projection_years,
        )
        for year in years:
            cluster_rows.append(
                ClusterCapacity(
                    cluster_id=cluster.cluster_id,
                    year=year.year,
                    is_projected=year.is_projected,
                    computed_on=on,
                    as_at=cluster.as_at,
                    patients=year.patients,
                    new_dwellings=year.new_dwellings,
                    area_m2=year.area_m2,
                    clinical_rooms=year.clinical_rooms,
                    scheme_area_m2=year.scheme_area_m2,
                    scheme_rooms=year.scheme_rooms,
                    area_guide_per_1000=settings.area_guide_per_1000,
                    rooms_guide_per_1000=settings.rooms_guide_per_1000,
                )
            )
    with transaction.atomic():
        PracticeCapacity.objects.filter(practice__ccg=ccg).delete()
        PracticeCapacity.objects.bulk_create(practice_rows)
        ClusterCapacity.objects.filter(cluster__ccg=ccg).delete()
        ClusterCapacity.objects.bulk_create(cluster_rows)
    return {"practices": len(practice_rows), "cluster_years": len(cluster_rows)}


def capacity_refresh_later(*, ccg_id: int | None) -> None:
    """Queue the CCG's capacity refresh in the current transaction (once per CCG); it is published
    when the transaction commits, or later if the job queue is down (``portal.outbox``)."""
    from .tasks import refresh_capacity

    if ccg_id is None:
        return
    outbox.enqueue(refresh_capacity, args=(ccg_id,), about=CCG(pk=ccg_id), unique=True)


def capacity_refresh_waiting(*, ccg: CCG) -> bool:
    """Whether a refresh of the CCG's capacity is saved but the job queue has not taken it yet."""
    from .tasks import refresh_capacity

    return outbox.waiting(ccg, task=refresh_capacity)


@transaction.atomic
def site_record(*, site: Site, premises: Premises) -> Premises:
    """Save a new site and its premises details together."""
    site.save()
    premises.site = site
    premises.save()
    return premises


def scheme_create(*, scheme: Scheme, user: User | None, on: dt.date | None = None) -> Scheme:
    """Save a new scheme as an idea, with that first status change recorded."""
    on = on or timezone.localdate()
    with transaction.atomic():
        scheme.status = Scheme.Status.IDEA
        scheme.status_changed_on = on
        scheme.save()
        SchemeStatusChange.objects.create(scheme=scheme, from_status="", to_status=scheme.status, on=on, by=user)
    return scheme


def scheme_status_change(
    *, scheme: Scheme, to: str, user: User | None, on: dt.date | None = None, note: str = ""
) -> SchemeStatusChange:
    """Move a scheme to its next status, if the rules allow it.

    Allowed moves are ``SCHEME_WORKFLOW``'s; a scheme needs its cost and share funded
    before approval, and an expected opening date while approved or in build. The date may
    not be before the last change, nor in the future.
    """
    on = on or timezone.localdate()
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        SCHEME_WORKFLOW.check(scheme.status, to)
        missing = scheme.missing_for(to)
        if missing:
            raise SchemeStatusError(f"Before '{Scheme.Status(to).label}', record {_and_join(missing)}.")
        if on > timezone.localdate():
            raise SchemeStatusError("The date of a status change cannot be in the future.")
        if scheme.status_changed_on and on < scheme.status_changed_on:
            raise SchemeStatusError(f"The date cannot be before the last change ({scheme.status_changed_on:%d %b %Y}).")
        change = SCHEME_WORKFLOW.move(scheme, to, by=user, note=note, on=on)
        scheme.status_changed_on = on
        scheme.save(update_fields=["status", "status_changed_on"])
        capacity_refresh_later(ccg_id=scheme.ccg_id)
    return change


def _and_join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
