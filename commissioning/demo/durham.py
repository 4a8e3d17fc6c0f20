"""County Durham: North Durham CCG (00J) and Durham Dales, Easington and Sedgefield CCG
(00D), which planned the GP Forward View together and wrote one plan each.

From their plans: the Career Start GP scheme (two-year posts for newly qualified GPs with a
portfolio, to recruit and keep GPs), Specialist Practice Managers who support vulnerable
practices, and the GP federations, one per locality, delivering extended access. Figures,
dates, leads and reports are invented.

The planning documents give DDES as 00C; in every NHS reference file 00C is Darlington
CCG and DDES is 00D, which is the code the demo loads it under.
"""

from __future__ import annotations

import datetime as dt

from .specs import (
    ACHIEVED,
    COUNT,
    ESTATES_CAPACITY,
    EXTENDED_ACCESS_STAFFING,
    FUNDING_NON_RECURRENT,
    GP_RECRUITMENT,
    IN_PROGRESS,
    PERCENT,
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

WORKFORCE = "Workforce"
RESILIENCE = "Resilience"
ACCESS = "Access and Federations"

TASK_GROUPS = (
    (WORKFORCE, "GP Clinical Lead for Workforce"),
    (RESILIENCE, "Head of Primary Care"),
    (ACCESS, "Director of Commissioning"),
)

# Per CCG: its localities (one GP federation each) and the Career Start GPs planned and in post.
CCGS = {
    "00J": {
        "name": "North Durham",
        "localities": ("Chester-le-Street", "Derwentside", "Durham City"),
        # (quarter, planned, actual): Career Start GPs in post
        "career_start": (("2017/18 Q2", 8, 8), ("2018/19 Q2", 14, 12), ("2018/19 Q4", 16, None)),
    },
    "00D": {
        "name": "Durham Dales, Easington and Sedgefield",
        "localities": ("Durham Dales", "Easington", "Sedgefield"),
        "career_start": (("2017/18 Q2", 10, 10), ("2018/19 Q2", 16, 15), ("2018/19 Q4", 18, None)),
    },
}

EXTENDED_ACCESS = TrajectorySpec(
    "Extended access coverage",
    PERCENT,
    (("2017/18 Q3", 25, 25), ("2017/18 Q4", 50, 52), ("2018/19 Q1", 75, 78), ("2018/19 Q2", 90, 92),
     ("2018/19 Q3", 100, None)),
)


def _actions(localities: tuple[str, ...], career_start: tuple) -> tuple[ActionSpec, ...]:
    return (
        ActionSpec(
            "WF01", "Career Start GP scheme: two-year posts for newly qualified GPs", "workforce", IN_PROGRESS,
            "2018/19 Q4",
            description="Salaried two-year posts for newly qualified GPs in practices that find it hard to "
            "recruit, with a portfolio: a funded session a week for a special interest, teaching or quality "
            "improvement, and mentoring and peer support. Run jointly by the two County Durham CCGs to recruit "
            "GPs and keep them in the county.",
            lead="GP Clinical Lead for Workforce", group=WORKFORCE, commitments=("5000-more-gps", "gp-retention"),
            high_impact_actions=(4,), rag="amber",
            rag_reason="Fewer applicants than places for the 2018 cohort; posts re-advertised for February 2019.",
            milestones=(
                MilestoneSpec("2017 cohort in post", dt.date(2017, 8, 31), dt.date(2017, 8, 7)),
                MilestoneSpec("2018 cohort in post", dt.date(2018, 8, 31), dt.date(2018, 8, 6)),
                MilestoneSpec("Retention of the first cohorts reviewed", dt.date(2019, 3, 31)),
            ),
            trajectories=(TrajectorySpec("Career Start GPs in post", COUNT, career_start),),
        ),
        ActionSpec(
            "WF02", "Career Start for practice nurses: one-year posts with mentoring", "workforce", IN_PROGRESS,
            "2018/19 Q4", start="2018/19 Q1", lead="Primary Care Workforce Lead", group=WORKFORCE,
            high_impact_actions=(4,), rag="green",
        ),
        ActionSpec(
            "WF03", "Care navigation training for reception staff", "workforce", ACHIEVED, "2017/18 Q4",
            lead="Primary Care Workforce Lead", group=WORKFORCE, commitments=("practice-staff-training",),
            high_impact_actions=(1,), rag="green",
        ),
        ActionSpec(
            "INV01", "Specialist Practice Managers supporting vulnerable practices", "investment", IN_PROGRESS,
            "2018/19 Q4",
            description="Experienced practice managers employed by the CCGs work with practices found "
            "vulnerable (through the resilience programme, a CQC rating or a partner leaving) for up to six "
            "months, to put management, finance and staffing on a sound footing.",
            lead="Head of Primary Care", group=RESILIENCE,
            commitments=("vulnerable-practices", "resilience-programme"), high_impact_actions=(7,), rag="green",
            milestones=(
                MilestoneSpec("Specialist Practice Managers appointed", dt.date(2017, 9, 30), dt.date(2017, 9, 4)),
                MilestoneSpec("Support plans agreed with the first practices", dt.date(2017, 12, 31),
                              dt.date(2017, 12, 14)),
                MilestoneSpec("Evaluation to the committee", dt.date(2019, 1, 31)),
            ),
        ),
        ActionSpec(
            "INV02", "Practice resilience programme: diagnostics and action plans", "investment", ACHIEVED,
            "2017/18 Q4", lead="Primary Care Contracts Manager", group=RESILIENCE,
            commitments=("resilience-programme",), rag="green",
        ),
        ActionSpec(
            "CR01", "Extended access delivered by the GP federations", "care-redesign", IN_PROGRESS, "2018/19 Q3",
            start="2017/18 Q3",
            description="Each locality's GP federation runs evening and weekend appointments for all its "
            "practices' patients from shared hubs, reaching the whole population by October 2018.",
            lead="Director of Commissioning", group=ACCESS, commitments=("extended-access", "federations"),
            high_impact_actions=(7,), clusters=localities, rag="green", trajectories=(EXTENDED_ACCESS,),
        ),
        ActionSpec(
            "CR02", "GP federations: organisational development and shared back office", "care-redesign", ACHIEVED,
            "2017/18 Q4", lead="Director of Commissioning", group=ACCESS, commitments=("federations",),
            high_impact_actions=(7,), clusters=localities, rag="green",
        ),
        ActionSpec(
            "INF01", "Online consultations in every practice", "infrastructure", IN_PROGRESS, "2018/19 Q4",
            start="2018/19 Q1", lead="Digital Primary Care Lead", group=ACCESS,
            commitments=("online-consultations",), high_impact_actions=(2,), rag="amber",
            rag_reason="Patient uptake low in the first practices live; publicity campaign planned.",
        ),
        ActionSpec(
            "INF02", "Estates: ETTF improvement schemes", "infrastructure", IN_PROGRESS, "2018/19 Q4",
            lead="Estates Programme Manager", group=RESILIENCE, commitments=("premises",), rag="green",
        ),
        ActionSpec(
            "WL01", "Time for Care: active signposting and correspondence management", "workload", ACHIEVED,
            "2018/19 Q1", start="2017/18 Q3", lead="Primary Care Transformation Manager", group=WORKFORCE,
            commitments=("releasing-time",), high_impact_actions=(1, 5), rag="green",
        ),
    )


RISKS = (
    risk("R01", GP_RECRUITMENT, "GP Clinical Lead for Workforce",
         ((Q1_1718, 5, 4), (Q3_1718, 4, 4), (Q2_1819, 4, 4)), ("WF01",)),
    risk("R02", EXTENDED_ACCESS_STAFFING, "Director of Commissioning",
         ((Q3_1718, 4, 3), (Q1_1819, 3, 3)), ("CR01",)),
    risk("R03", FUNDING_NON_RECURRENT, "Head of Primary Care",
         ((Q1_1718, 3, 3), (Q2_1819, 4, 3)), ("INV01",)),
    risk("R04", ESTATES_CAPACITY, "Estates Programme Manager",
         ((Q1_1718, 3, 3), (Q1_1819, 3, 4)), ("INF02",)),
)


def _reports(localities: tuple[str, ...]) -> tuple[ReportSpec, ...]:
    federations = ", ".join(localities[:-1]) + f" and {localities[-1]}"
    return (
        ReportSpec(WORKFORCE, "2018/19 Q1",
                   "Career Start 2018 cohort offers made; interviews held jointly with the other County Durham "
                   "CCG. Practice nurse Career Start posts advertised.",
                   "Induct the 2018 cohort in August. Appoint the first Career Start nurses."),
        ReportSpec(WORKFORCE, "2018/19 Q2",
                   "2018 Career Start cohort in post, two places unfilled. First cohort: all but one GP still "
                   "working in County Durham practices.",
                   "Re-advertise the unfilled places for February 2019. Write up the retention review."),
        ReportSpec(RESILIENCE, "2018/19 Q1",
                   "Specialist Practice Managers supporting three practices; one practice's support closed "
                   "after its CQC re-inspection rated it good.",
                   "Agree support plans with two practices referred in June."),
        ReportSpec(RESILIENCE, "2018/19 Q2",
                   "Five practices supported so far. ETTF improvement schemes on programme.",
                   "Prepare the evaluation of the Specialist Practice Manager role for January."),
        ReportSpec(ACCESS, "2018/19 Q1",
                   f"Extended access from the {federations} federations covers 78% of the population.",
                   "Add weekend sessions to reach 100% by 1 October."),
        ReportSpec(ACCESS, "2018/19 Q2",
                   "Coverage 92%; every federation has a Saturday hub. Online consultations live in the first "
                   "practices, with low patient uptake so far.",
                   "Complete Sunday cover. Publicise online consultations in waiting rooms and on websites."),
    )


def _plan(ods_code: str) -> PlanSpec:
    ccg = CCGS[ods_code]
    return PlanSpec(
        ods_code=ods_code,
        task_groups=TASK_GROUPS,
        actions=_actions(ccg["localities"], ccg["career_start"]),
        risks=RISKS,
        reports=_reports(ccg["localities"]),
    )


PLANS = (_plan("00J"), _plan("00D"))
