"""Norfolk: North Norfolk CCG (06V) and South Norfolk CCG (06Y).

From their plans: the £3 per head practice transformation funding (North Norfolk, 172,083
patients x £3 = £516,249, with £516,000 in the plan; South Norfolk £710,000), reception and
clerical training in care navigation in 2016/17 (£15,000 and £20,000), and practice
resilience. Payment profiles, leads, statuses and reports are invented.
"""

from __future__ import annotations

import datetime as dt

from .specs import (
    ACHIEVED,
    ESTATES_CAPACITY,
    EXTENDED_ACCESS_STAFFING,
    FUNDING_NON_RECURRENT,
    GP_RECRUITMENT,
    IN_PROGRESS,
    PERCENT,
    POUNDS,
    Q1_1718,
    Q1_1819,
    Q2_1819,
    Q3_1718,
    ActionSpec,
    MilestoneSpec,
    PlanSpec,
    ReportSpec,
    TrajectorySpec,
    risk,
)

TRANSFORMATION = "Practice Transformation"
WORKFORCE = "Workforce"
ACCESS = "Access and Resilience"

TASK_GROUPS = (
    (TRANSFORMATION, "Head of Primary Care"),
    (WORKFORCE, "GP Clinical Lead"),
    (ACCESS, "Director of Commissioning"),
)

CCGS = {
    "06V": {
        "localities": ("Fakenham and Holt", "Cromer and North Walsham", "Aylsham and Drayton", "Broads"),
        "funding": "£3 per registered patient: 172,083 patients x £3 = £516,249, with £516,000 in the plan, "
        "paid in four instalments against practice plans.",
        # (quarter, planned, actual): transformation funding paid to practices, cumulative £
        "payments": (("2017/18 Q2", 129_000, 129_000), ("2017/18 Q4", 258_000, 258_000),
                     ("2018/19 Q2", 387_000, 371_500), ("2018/19 Q4", 516_000, None)),
        "training": "£15,000",
    },
    "06Y": {
        "localities": ("Diss and Harleston", "Thetford and Attleborough", "Dereham and Watton",
                       "Wymondham and Hingham", "Norwich South"),
        "funding": "£3 per registered patient, £710,000 in the plan, paid in four instalments against "
        "practice plans.",
        "payments": (("2017/18 Q2", 177_500, 177_500), ("2017/18 Q4", 355_000, 355_000),
                     ("2018/19 Q2", 532_500, 519_800), ("2018/19 Q4", 710_000, None)),
        "training": "£20,000",
    },
}

EXTENDED_ACCESS = TrajectorySpec(
    "Extended access coverage",
    PERCENT,
    (("2017/18 Q4", 20, 18), ("2018/19 Q1", 50, 46), ("2018/19 Q2", 80, 75), ("2018/19 Q3", 100, None)),
)


def _actions(ccg: dict) -> tuple[ActionSpec, ...]:
    localities = ccg["localities"]
    return (
        ActionSpec(
            "INV01", "Practice transformation funding (£3 per head, non-recurrent)", "investment", IN_PROGRESS,
            "2018/19 Q4", description=ccg["funding"], lead="Head of Primary Care", group=TRANSFORMATION,
            commitments=("investment-2-4bn",), high_impact_actions=(5, 7), clusters=localities, rag="amber",
            rag_reason="The third instalment is held back for practices whose plans have not shown progress.",
            milestones=(
                MilestoneSpec("Practice plans approved", dt.date(2017, 7, 31), dt.date(2017, 7, 26)),
                MilestoneSpec("Mid-point review of practice plans", dt.date(2018, 4, 30), dt.date(2018, 5, 10)),
                MilestoneSpec("Final instalment paid", dt.date(2019, 3, 31)),
            ),
            trajectories=(TrajectorySpec("Transformation funding paid to practices (cumulative)", POUNDS,
                                         ccg["payments"]),),
        ),
        ActionSpec(
            "WF01", "Reception and clerical training: care navigation", "workforce", ACHIEVED, "2016/17 Q4",
            start="2016/17 Q4",
            description=f"{ccg['training']} of the 2016/17 training allocation for reception and clerical staff "
            "to signpost patients to the right service first time.",
            lead="Primary Care Workforce Lead", group=WORKFORCE, commitments=("practice-staff-training",),
            high_impact_actions=(1,), rag="green",
        ),
        ActionSpec(
            "WF02", "Clinical correspondence training for clerical staff", "workforce", ACHIEVED, "2017/18 Q4",
            lead="Primary Care Workforce Lead", group=WORKFORCE, commitments=("practice-staff-training",),
            high_impact_actions=(5,), rag="green",
        ),
        ActionSpec(
            "WF03", "GP recruitment and retention: new-to-practice fellowships", "workforce", IN_PROGRESS,
            "2018/19 Q4", start="2018/19 Q1", lead="GP Clinical Lead", group=WORKFORCE,
            commitments=("5000-more-gps", "gp-retention"), rag="green",
        ),
        ActionSpec(
            "INV02", "Practice resilience: support for practices at risk", "investment", IN_PROGRESS, "2018/19 Q4",
            lead="Primary Care Contracts Manager", group=ACCESS,
            commitments=("resilience-programme", "vulnerable-practices"), rag="green",
        ),
        ActionSpec(
            "WL01", "Resilience: workload audit and Time for Care in small practices", "workload", ACHIEVED,
            "2018/19 Q1", start="2017/18 Q3", lead="Primary Care Transformation Manager", group=ACCESS,
            commitments=("releasing-time",), high_impact_actions=(5, 7), rag="green",
        ),
        ActionSpec(
            "CR01", "Extended access through locality hubs", "care-redesign", IN_PROGRESS, "2018/19 Q3",
            start="2017/18 Q3", lead="Director of Commissioning", group=ACCESS, commitments=("extended-access",),
            high_impact_actions=(7,), clusters=localities, rag="amber",
            rag_reason="Rural hubs struggle to fill weekend sessions; coverage 75% against 80% at September.",
            trajectories=(EXTENDED_ACCESS,),
        ),
        ActionSpec(
            "INF01", "Online consultations: pilot in eight practices", "infrastructure", IN_PROGRESS, "2018/19 Q4",
            start="2018/19 Q1", lead="Head of IT", group=TRANSFORMATION, commitments=("online-consultations",),
            high_impact_actions=(2,), rag="green",
        ),
    )


RISKS = (
    risk("R01", FUNDING_NON_RECURRENT, "Head of Primary Care",
         ((Q1_1718, 4, 3), (Q3_1718, 3, 3), (Q2_1819, 4, 3)), ("INV01",)),
    risk("R02", GP_RECRUITMENT, "GP Clinical Lead",
         ((Q1_1718, 4, 5), (Q1_1819, 4, 4)), ("WF03",)),
    risk("R03", EXTENDED_ACCESS_STAFFING, "Director of Commissioning",
         ((Q3_1718, 3, 3), (Q2_1819, 4, 3)), ("CR01",)),
    risk("R04", ESTATES_CAPACITY, "Head of Primary Care",
         ((Q1_1718, 2, 3), (Q1_1819, 3, 3))),
)

REPORTS = (
    ReportSpec(TRANSFORMATION, "2018/19 Q1",
               "Mid-point review of practice transformation plans done; most practices have used the funding "
               "for care navigation, correspondence management and shared working with neighbours.",
               "Pay the third instalment to practices whose plans show progress."),
    ReportSpec(TRANSFORMATION, "2018/19 Q2",
               "Third instalment paid to all but two practices, which have agreed revised plans. Online "
               "consultation pilot live in five of eight practices.",
               "Bring the pilot to all eight practices; evaluate it in Q4."),
    ReportSpec(WORKFORCE, "2018/19 Q1",
               "Clinical correspondence training evaluated: practices report GP time saved on letters. "
               "New-to-practice fellowship posts advertised.",
               "Appoint the first fellows."),
    ReportSpec(WORKFORCE, "2018/19 Q2",
               "Two fellows appointed, starting in October and January.",
               "Plan a second round of care navigation training for new reception staff."),
    ReportSpec(ACCESS, "2018/19 Q1",
               "Extended access from the locality hubs covers 46% of the population. Two practices in the "
               "resilience programme have completed their action plans.",
               "Open the remaining hubs; recruit to weekend sessions."),
    ReportSpec(ACCESS, "2018/19 Q2",
               "Coverage 75% against 80%: rural weekend sessions hard to fill.",
               "Share weekend sessions across neighbouring localities to reach 100% by December."),
)


def _plan(ods_code: str) -> PlanSpec:
    return PlanSpec(
        ods_code=ods_code,
        task_groups=TASK_GROUPS,
        actions=_actions(CCGS[ods_code]),
        risks=RISKS,
        reports=REPORTS,
    )


PLANS = (_plan("06V"), _plan("06Y"))
