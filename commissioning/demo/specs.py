"""The shapes the demo plans are written in, and the risks every demo plan shares.

Dates in the plans are financial quarters as commissioners write them ('2017/18 Q4'): an
action is due by the last day of its quarter and starts on the first day of its start
quarter. The statuses are as at ``AS_AT``, the end of 2018/19 Q2.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from commissioning.models import Action, Trajectory
from portal.periods import parse_quarter_label
from portal.periods import quarter_end as portal_quarter_end

# The demo plans read as they stood at the end of September 2018.
AS_AT = dt.date(2018, 9, 30)
PLAN_TITLE = "GP Forward View plan"
FIRST_YEAR, LAST_YEAR = 2017, 2018

ACHIEVED = Action.Status.ACHIEVED
IN_PROGRESS = Action.Status.IN_PROGRESS
NOT_STARTED = Action.Status.NOT_STARTED
ON_HOLD = Action.Status.ON_HOLD

PERCENT = Trajectory.Unit.PERCENT
COUNT = Trajectory.Unit.COUNT
FTE = Trajectory.Unit.FTE
POUNDS = Trajectory.Unit.POUNDS


def quarter_start(label: str) -> dt.date:
    """The first day of a quarter written '2017/18 Q4'."""
    return parse_quarter_label(label)


def quarter_end(label: str) -> dt.date:
    """The last day of a quarter written '2017/18 Q4'."""
    return portal_quarter_end(parse_quarter_label(label))


@dataclass(frozen=True)
class MilestoneSpec:
    title: str
    due: dt.date
    completed: dt.date | None = None


@dataclass(frozen=True)
class TrajectorySpec:
    """A measure with (quarter, planned, actual) points; an actual is typed in, or None if not yet known."""

    measure: str
    unit: str
    points: tuple[tuple[str, float | int | None, float | int | None], ...]
    higher_is_better: bool = True

    def values(self) -> list[tuple[dt.date, Decimal | None, Decimal | None]]:
        def decimal(value):
            return None if value is None else Decimal(str(value))

        return [(quarter_start(label), decimal(planned), decimal(actual)) for label, planned, actual in self.points]


@dataclass(frozen=True)
class ActionSpec:
    code: str
    title: str
    chapter: str
    status: str
    due: str
    start: str = "2017/18 Q1"
    description: str = ""
    strategy_reference: str = ""
    lead: str = ""
    group: str = ""
    commitments: tuple[str, ...] = ()
    high_impact_actions: tuple[int, ...] = ()
    clusters: tuple[str, ...] = ()
    rag: str = ""
    rag_reason: str = ""
    milestones: tuple[MilestoneSpec, ...] = ()
    trajectories: tuple[TrajectorySpec, ...] = ()
    #: Its states, oldest first: (date it took effect, status, RAG, reason), the last being the
    #: present ``status`` and ``rag``. Without one the present state holds from the plan's first day.
    timeline: tuple[tuple[dt.date, str, str, str], ...] = ()

    @property
    def start_date(self) -> dt.date:
        return quarter_start(self.start)

    @property
    def due_date(self) -> dt.date:
        return quarter_end(self.due)


@dataclass(frozen=True)
class ActionEdit:
    """A change made to an action after its plan was approved, as model field values, its status
    taking effect on ``effective_on`` (the day it is loaded if not given)."""

    code: str
    changes: dict
    effective_on: dt.date | None = None


@dataclass(frozen=True)
class RiskSpec:
    """A risk and its reviews: the first (date, likelihood, impact) creates it, each later one rescores it."""

    reference: str
    description: str
    owner: str
    mitigations: str
    reviews: tuple[tuple[dt.date, int, int], ...]
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportSpec:
    group: str
    quarter: str
    progress: str
    next_steps: str


@dataclass(frozen=True)
class ApprovalSpec:
    committee: str
    decided_on: dt.date
    minute_reference: str


@dataclass(frozen=True)
class PlanSpec:
    """One CCG's demo plan. ``approval`` approves version 1; what follows it goes into version 2."""

    ods_code: str
    task_groups: tuple[tuple[str, str], ...]
    actions: tuple[ActionSpec, ...]
    risks: tuple[RiskSpec, ...] = ()
    reports: tuple[ReportSpec, ...] = ()
    approval: ApprovalSpec | None = None
    edits_after_approval: tuple[ActionEdit, ...] = ()
    actions_after_approval: tuple[ActionSpec, ...] = ()

    @property
    def all_actions(self) -> tuple[ActionSpec, ...]:
        return self.actions + self.actions_after_approval


# Quarterly risk reviews, 2017/18 Q1 to 2018/19 Q2.
Q1_1718, Q3_1718, Q1_1819, Q2_1819 = dt.date(2017, 6, 30), dt.date(2017, 12, 31), dt.date(2018, 6, 30), AS_AT

# The risks every GPFV plan carried: (description, mitigations).
GP_RECRUITMENT = (
    "GP recruitment does not keep pace with retirements and partners leaving, so practices cannot staff "
    "core hours and the plan's new services.",
    "Local GP retention and new-to-practice schemes; GP Retention Scheme promoted; clinical pharmacists and "
    "other roles take work GPs need not do; interest registered in the international GP recruitment programme.",
)
ESTATES_CAPACITY = (
    "Estates capacity: practice premises are too small for the extra staff and services the plan needs, "
    "and Estates and Technology Transformation Fund schemes slip or are not approved.",
    "Primary care estates strategy with six-facet surveys; ETTF schemes prioritised with NHS England; "
    "interim use of community and acute trust rooms for extended access.",
)
EXTENDED_ACCESS_STAFFING = (
    "Extended access sessions in the evenings and at weekends cannot all be staffed, so coverage falls "
    "short of 100% of the population by October 2018.",
    "Rotas shared across practices through the hubs; nurses, pharmacists and paramedics in the skill mix; "
    "sessional rates agreed with the LMC; uptake and fill rates reviewed monthly.",
)
ONLINE_CONSULTATION_UPTAKE = (
    "IT: patients take up online consultations slowly and practices use them unevenly, so little clinical "
    "time is released and the national funding is under-used.",
    "Practice champions; waiting-room and website publicity; monthly uptake reports per practice; support "
    "visits from the CCG's digital team to practices with low use.",
)
FUNDING_NON_RECURRENT = (
    "Funding is non-recurrent: transformation (£3 per head), training and resilience money ends, and the "
    "changes it paid for stop when it does.",
    "Each scheme funded only with a plan to sustain it; recurrent costs built into the primary care budget "
    "for 2019/20; benefits evaluated before funding ends.",
)


def risk(reference: str, kind: tuple[str, str], owner: str, reviews, actions: tuple[str, ...] = ()) -> RiskSpec:
    description, mitigations = kind
    return RiskSpec(reference, description, owner, mitigations, tuple(reviews), tuple(actions))
