"""Hand-made data for the dashboards: Luton's plan for 2017/18-2018/19 with actions,
trajectories and risks, a workforce collection for 2018/19 Q3, funding for 2018/19 and
stored metric values, on 20 January 2019."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning.funding.models import FundingStream, Scheme, SchemeAmount, SchemeSpend
from commissioning.funding.streams import load_funding_streams
from commissioning.models import (
    Action,
    Chapter,
    HighImpactAction,
    NationalCommitment,
    Risk,
    StreamRate,
    TrajectoryPoint,
)
from commissioning.national_frame import load_national_frame
from returns.models import Collection, Return
from tests.commissioning.factories import ActionFactory, PlanFactory, RiskFactory, TrajectoryFactory
from tests.commissioning.funding.factories import AllocationFactory, SchemeFactory

from .helpers import Q2, Q3, TODAY, make_practices, make_return, metric_value, set_today


@pytest.fixture(autouse=True)
def reference(db):
    """The national frame and funding streams come from data migrations, which a flush removes."""
    load_national_frame(Chapter, NationalCommitment, HighImpactAction)
    load_funding_streams(FundingStream, StreamRate)


@pytest.fixture
def chromium(settings):
    """Board reports printed to PDF by Debian's Chromium, as on the worker (the test settings make none)."""
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not shutil.which(path):
        pytest.fail(f"No Chromium at {path}: run `make test`, which installs Debian's chromium.")
    settings.BOARD_REPORT_CHROMIUM = path
    return path


@pytest.fixture
def today(time_machine):
    set_today(time_machine, TODAY)
    return TODAY


@pytest.fixture
def luton_plan(luton):
    return PlanFactory(ccg=luton, title="Luton GP Forward View plan", first_year=2017, last_year=2018)


@pytest.fixture
def plan_actions(luton_plan):
    """Two workforce actions (one overdue and red), one achieved care redesign action."""
    access = Chapter.objects.get(code="care-redesign")
    return {
        "on_time": ActionFactory(plan=luton_plan, local_code="PC01", due_date=dt.date(2019, 3, 31)),
        "overdue": ActionFactory(
            plan=luton_plan, local_code="PC02", title="Recruit clinical pharmacists", due_date=dt.date(2018, 11, 30),
            rag=Action.RAG.RED, rag_reason="No applicants at the first advert",
        ),
        "achieved": ActionFactory(
            plan=luton_plan, local_code="PC03", chapter=access, due_date=dt.date(2018, 9, 30),
            status=Action.Status.ACHIEVED,
        ),
    }  # fmt: skip


@pytest.fixture
def trajectories(plan_actions):
    """Extended access coverage: 110% of plan in Q3 (on track); GP FTE: 80% of plan (off track)."""
    coverage = TrajectoryFactory(action=plan_actions["on_time"], measure="Extended access coverage")
    TrajectoryPoint.objects.create(trajectory=coverage, period=Q2, planned=Decimal("50"), actual=Decimal("40"),
                                   actual_source="typed")  # fmt: skip
    TrajectoryPoint.objects.create(trajectory=coverage, period=Q3, planned=Decimal("60"), actual=Decimal("66"),
                                   actual_source="typed")  # fmt: skip
    gps = TrajectoryFactory(action=plan_actions["overdue"], measure="GP FTE in post", unit="fte")
    TrajectoryPoint.objects.create(trajectory=gps, period=Q3, planned=Decimal("10"), actual=Decimal("8"),
                                   actual_source="typed")  # fmt: skip
    TrajectoryPoint.objects.create(trajectory=gps, period=dt.date(2019, 1, 1), planned=Decimal("12"))
    return {"coverage": coverage, "gps": gps}


@pytest.fixture
def risks(luton_plan):
    """Three risks entered in the register on 1 June 2018, so that they are in it as at the quarters shown."""
    made = {
        "extreme": RiskFactory(plan=luton_plan, reference="R01", likelihood=4, impact=4),
        "moderate": RiskFactory(plan=luton_plan, reference="R02", likelihood=2, impact=3),
        "closed": RiskFactory(plan=luton_plan, reference="R03", likelihood=5, impact=5, status="closed"),
    }
    entered = timezone.make_aware(dt.datetime(2018, 6, 1, 12))
    Risk.history.filter(id__in=[r.pk for r in made.values()]).update(history_date=entered)
    return made


@pytest.fixture
def workforce_collection(luton, luton_practice, luton_cluster):
    """2018/19 Q3 workforce census, due 15 January 2019: one accepted, one submitted, one never submitted."""
    second, third = make_practices(luton, luton_cluster, 2)
    collection = Collection.objects.create(
        ccg=luton, return_type="workforce", period_start=Q3, due_date=dt.date(2019, 1, 15)
    )
    make_return(collection, luton_practice, Return.Status.ACCEPTED, submitted_on=dt.date(2019, 1, 10))
    make_return(collection, second, Return.Status.SUBMITTED, submitted_on=dt.date(2019, 1, 14))
    missing = make_return(collection, third, Return.Status.NOT_STARTED)
    return {"collection": collection, "missing": missing, "practices": [luton_practice, second, third]}


@pytest.fixture
def funding(luton, luton_practice, alice):
    """2018/19: £100,000 allocated, £40,000 committed by an approved scheme, £10,000 spent."""
    stream = FundingStream.objects.get(code="practice-transformational-support")
    AllocationFactory(stream=stream, ccg=luton, financial_year=2018, amount=Decimal("100000.00"))
    scheme = SchemeFactory(ccg=luton, stream=stream, title="Care navigation", practices=[luton_practice])
    SchemeAmount.objects.create(scheme=scheme, financial_year=2018, amount=Decimal("40000.00"))
    Scheme.objects.filter(pk=scheme.pk).update(
        status=Scheme.APPROVED[0], committee="Primary Care Commissioning Committee", decided_on=dt.date(2018, 6, 1),
        decision_recorded_at=timezone.now(), decision_recorded_by=alice,
    )  # fmt: skip
    SchemeSpend.objects.create(scheme=scheme, quarter=Q3, actual=Decimal("10000.00"))
    return stream


@pytest.fixture
def workforce_metrics(luton, luton_cluster, luton_practice):
    """The engine's GP FTE per 1,000 patients for 2018/19 Q3: the practice, its cluster and the CCG."""
    metric_value(luton_practice, "gp_fte_per_1000", Q3, 0.6, numerator=5.7, denominator=9500, practices_counted=1)
    metric_value(luton_cluster, "gp_fte_per_1000", Q3, 0.6, numerator=5.7, denominator=9500, practices_counted=1)
    metric_value(luton, "gp_fte_per_1000", Q3, 0.55, numerator=11.0, denominator=20000, practices_counted=2)
    metric_value(luton_cluster, "vacancy_rate", Q3, 4.0, numerator=0.2, denominator=5.0, practices_counted=1)
