"""Wolverhampton CCG (06A): 85 GPFV projects across the five chapters, led by five task and
finish groups, approved by the Primary Care Commissioning Committee in 2017 and changed since.

The CCG's report to the Health and Wellbeing Board (``shared/seeds/004``, section 3.2) gives the
programme as reported in April 2018, by chapter (not started / achieved and closed / in progress
/ overdue / total): Investment 0/6/1/0/7, Workforce 9/3/15/0/27, Workload 4/6/15/0/25,
Infrastructure 6/6/9/0/21, Care Redesign 1/0/4/0/5, 20/21/44/0/85 in all. The demo holds
exactly those counts as at ``REPORTED_ON`` (30 April 2018): each project's status then is its
``april`` status, taken from 1 April 2018 at the latest, and nothing is due before it that is not
achieved by then.

The report names no project, so the titles are invented, drawing where it can on the work its
Appendix 1 describes (the International GP Recruitment and CCT Fellowship applications, the
careers webpage and job description library, the CEPN contract, the workforce dashboard and HEE
workforce planning money, two-way texting, the shared care record, the clinical system migration,
the e-consultation and video pilot, void space, the Newbridge and East Park ETTF schemes,
improving access at group level, the home visiting pilot, the frailty MDTs, targeted peer review,
Advice and Guidance, practice dashboards, MDT meetings and Sound Doctor). The practice groups
(Primary Care Home 1 and 2, Medical Chambers, Vertical Integration) are the CCG's own. The
statuses after April 2018 (``later``: achieved, achieved late, put on hold, overdue) and every
date and text are illustrative, written to read like the programme as at September 2018.
Projects are listed per chapter, one line each:

    (title, status in April 2018, due quarter, High Impact Actions, national commitments,
     groups of practices, later states as (date, status, RAG reason))

A RAG reason makes the state amber, or red when it is past the due date or written "red: ...".
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from .specs import (
    ACHIEVED,
    ESTATES_CAPACITY,
    EXTENDED_ACCESS_STAFFING,
    FUNDING_NON_RECURRENT,
    GP_RECRUITMENT,
    IN_PROGRESS,
    NOT_STARTED,
    ON_HOLD,
    ONLINE_CONSULTATION_UPTAKE,
    PERCENT,
    Q1_1718,
    Q1_1819,
    Q2_1819,
    Q3_1718,
    ActionEdit,
    ActionSpec,
    ApprovalSpec,
    MilestoneSpec,
    PlanSpec,
    ReportSpec,
    TrajectorySpec,
    quarter_end,
    quarter_start,
    risk,
)

PCH1, PCH2 = "Primary Care Home 1", "Primary Care Home 2"
CHAMBERS, VERTICAL = "Medical Chambers", "Vertical Integration"
ALL_GROUPS = (PCH1, PCH2, CHAMBERS, VERTICAL)

#: The date of the CCG's report (section 3.2: "as reported in April 2018").
REPORTED_ON = dt.date(2018, 4, 30)
#: The plan's first day: every project of version 1 is in the plan from it.
PLAN_START = dt.date(2017, 4, 1)


class Project(NamedTuple):
    title: str
    april: str
    due: str
    high_impact_actions: tuple[int, ...] = ()
    commitments: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    later: tuple[tuple[dt.date, str, str], ...] = ()


def d(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


# chapter code: (code prefix, task and finish group, leads taken in turn)
CHAPTERS = {
    "investment": ("INV", "Investment and Finance", ("Head of Primary Care Finance", "Primary Care Contracts Manager")),
    "workforce": ("WF", "Workforce", ("Primary Care Workforce Lead", "GP Clinical Lead for Workforce")),
    "workload": ("WL", "Workload", ("GP Clinical Lead for Primary Care", "Primary Care Transformation Manager")),
    "infrastructure": ("INF", "Infrastructure", ("Estates and IT Programme Manager", "Head of Digital Primary Care")),
    "care-redesign": ("CR", "Care Redesign", ("Head of Primary Care", "Primary Care Home Programme Manager")),
}

TASK_GROUPS = (
    ("Investment and Finance", "Chief Finance Officer"),
    ("Workforce", "GP Clinical Lead for Workforce"),
    ("Workload", "GP Clinical Lead for Primary Care"),
    ("Infrastructure", "Head of Digital Primary Care"),
    ("Care Redesign", "Director of Strategy and Transformation"),
)

PROJECTS: dict[str, list[Project]] = {
    # April 2018: 0 not started, 6 achieved, 1 in progress, 7 in all.
    "investment": [
        Project("Practice resilience programme: diagnostic support for practices at risk", ACHIEVED, "2017/18 Q3",
                (7,), ("resilience-programme",)),
        Project("Transformation funding (£3 per head): practice plans agreed", ACHIEVED, "2017/18 Q2",
                (5,), ("investment-2-4bn",)),
        Project("Transformation funding 2018/19: second instalment against group delivery plans", IN_PROGRESS,
                "2018/19 Q3", (5, 7), ("investment-2-4bn",), ALL_GROUPS),
        Project("Vulnerable practices: tailored support packages", ACHIEVED, "2017/18 Q4",
                (), ("vulnerable-practices",)),
        Project("Primary care budget: recurrent growth built into the 2018/19 financial plan", ACHIEVED, "2017/18 Q4",
                (), ("investment-2-4bn",)),
        Project("Online consultation funding: allocation agreed with NHS England", ACHIEVED, "2017/18 Q3",
                (2,), ("online-consultations",)),
        Project("Estates and Technology Transformation Fund: bids submitted and prioritised", ACHIEVED, "2017/18 Q2",
                (), ("premises",)),
    ],
    # April 2018: 9 not started, 3 achieved, 15 in progress (with WF27, added in February 2018), 27 in all.
    "workforce": [
        Project("Care navigation training for reception staff", ACHIEVED, "2017/18 Q3",
                (1,), ("practice-staff-training",)),
        Project("Care navigation training, second wave (new starters)", IN_PROGRESS, "2018/19 Q3",
                (1,), ("practice-staff-training",)),
        Project("Medical assistant training: clinical correspondence and coding", IN_PROGRESS, "2018/19 Q1",
                (5,), ("practice-staff-training",),
                later=((d(2018, 6, 22), ACHIEVED, ""),)),
        Project("Primary Care Home 1 shared clinical pharmacist", IN_PROGRESS, "2018/19 Q1",
                (4,), ("clinical-pharmacists",), (PCH1,),
                later=((d(2018, 5, 15), ACHIEVED, ""),)),
        Project("Primary Care Home 2 shared clinical pharmacist", NOT_STARTED, "2018/19 Q2",
                (4,), ("clinical-pharmacists",), (PCH2,),
                later=((d(2018, 6, 4), IN_PROGRESS, ""), (d(2018, 9, 17), ACHIEVED, ""))),
        Project("Clinical pharmacists in Medical Chambers practices (wave 2 bid)", IN_PROGRESS, "2018/19 Q4",
                (4,), ("clinical-pharmacists",), (CHAMBERS,)),
        Project("Locum bank", IN_PROGRESS, "2018/19 Q1",
                (7,), ("5000-more-gps",), (),
                later=((d(2018, 7, 2), IN_PROGRESS,
                        "Indemnity cover for bank GPs not yet agreed; launch moved to November 2018."),)),
        Project("GP retention scheme", ACHIEVED, "2017/18 Q4",
                (), ("gp-retention",)),
        Project("Practice nurse preceptorship", NOT_STARTED, "2018/19 Q4",
                (4,), (),
                later=((d(2018, 7, 2), IN_PROGRESS, ""),)),
        Project("International GP Recruitment: application with the Black Country STP (submitted February 2018)",
                IN_PROGRESS, "2018/19 Q4", (), ("5000-more-gps",), (),
                later=((d(2018, 8, 1), IN_PROGRESS,
                        "The national programme is recruiting fewer GPs than expected; no arrivals before spring "
                        "2019."),)),
        Project("NHS GP Health Service promoted to all practices", ACHIEVED, "2017/18 Q2",
                (6,), ("gp-health-service",)),
        Project("Physician associate student placements in practices", NOT_STARTED, "2018/19 Q4",
                (4,), (),
                later=((d(2018, 9, 3), IN_PROGRESS, ""),)),
        Project("Mental health therapists in general practice: a better interface with mental health services",
                IN_PROGRESS, "2018/19 Q4", (4,), ("mental-health-therapists",)),
        Project("Workforce dashboard: GP, nursing, pharmacist and admin figures from NHS Digital", IN_PROGRESS,
                "2018/19 Q2", (), (),
                later=((d(2018, 7, 20), ACHIEVED, ""),)),
        Project("More GP training practices", NOT_STARTED, "2018/19 Q4",
                (), ("5000-more-gps",)),
        Project("Healthcare assistant apprenticeships", NOT_STARTED, "2018/19 Q4",
                (4,), ()),
        Project("Practice manager development programme", IN_PROGRESS, "2018/19 Q4",
                (10,), ()),
        Project("CCT Fellowship: two-year posts for newly qualified GPs", NOT_STARTED, "2018/19 Q4",
                (), ("gp-retention",), (),
                later=((d(2018, 8, 20), ON_HOLD,
                        "Waiting for NHS England's decision on the fellowship application and the local GP "
                        "retention fund bid (submitted August 2018)."),)),
        Project("Advanced nurse practitioner training places", IN_PROGRESS, "2018/19 Q3",
                (4,), ()),
        Project("Workforce planning tool for the Primary Care Homes", NOT_STARTED, "2018/19 Q4",
                (4,), (), (PCH1, PCH2)),
        Project("Primary care careers webpage: case studies, videos and vacancies linked to the RCGP", IN_PROGRESS,
                "2018/19 Q2", (), ("5000-more-gps",),
                later=((d(2018, 6, 15), ACHIEVED, ""),)),
        Project("Recruitment campaign: social media and recruitment fairs", IN_PROGRESS, "2018/19 Q4",
                (), ("5000-more-gps",)),
        Project("Job description library for primary care roles", IN_PROGRESS, "2018/19 Q1",
                (4,), (),
                later=((d(2018, 5, 25), ACHIEVED, ""),)),
        Project("Community Education Provider Network: training hub contract for 2018/19", IN_PROGRESS,
                "2018/19 Q2", (10,), ("practice-staff-training",),
                later=((d(2018, 9, 14), ACHIEVED, ""),)),
        Project("Make Every Contact Count resources for practices", NOT_STARTED, "2018/19 Q2",
                (9,), (),
                later=((d(2018, 6, 8), ACHIEVED, ""),)),
        Project("Survey of practice staff trained in 2017/18, with its analysis report", NOT_STARTED, "2018/19 Q2",
                (), ("practice-staff-training",),
                later=((d(2018, 5, 8), IN_PROGRESS, ""), (d(2018, 6, 26), ACHIEVED, ""))),
    ],
    # April 2018: 4 not started, 6 achieved, 15 in progress, 25 in all.
    "workload": [
        Project("Document management / workflow optimisation", ACHIEVED, "2017/18 Q4",
                (5,), ("releasing-time",)),
        Project("Active signposting: practice websites and telephone messages", ACHIEVED, "2017/18 Q3",
                (1,), ("releasing-time",)),
        Project("Fewer missed appointments: text message reminders in all practices", ACHIEVED, "2017/18 Q2",
                (3,), ("releasing-time",)),
        Project("Time for Care: productive general practice quick start in ten practices", IN_PROGRESS, "2018/19 Q1",
                (5, 10), ("releasing-time",),
                later=((d(2018, 6, 28), ACHIEVED, ""),)),
        Project("Social prescribing link workers", IN_PROGRESS, "2018/19 Q4",
                (8,), ("releasing-time",)),
        Project("Self-care: minor ailments scheme with community pharmacies", IN_PROGRESS, "2018/19 Q4",
                (9,), ()),
        Project("Hospital/GP interface: discharge and onward referral requirements monitored", ACHIEVED,
                "2017/18 Q4", (), ("hospital-interface",)),
        Project("Streamlined CQC inspections: preparation support for practices", ACHIEVED, "2017/18 Q3",
                (), ("streamlined-cqc",)),
        Project("Quality improvement training for practice teams", IN_PROGRESS, "2018/19 Q3",
                (10,), ("releasing-time",)),
        Project("Telephone consultations and triage: pilot in two practices", ACHIEVED, "2017/18 Q4",
                (2,), ("releasing-time",)),
        Project("Repeat prescription ordering hub", IN_PROGRESS, "2018/19 Q1",
                (5,), (), (),
                later=((d(2018, 7, 10), ON_HOLD,
                        "Premises for the hub not confirmed and two practices have withdrawn; scope under review."),)),
        Project("Personal productivity: clinical system skills sessions", IN_PROGRESS, "2018/19 Q3",
                (6,), ()),
        Project("Home visiting pilot in Primary Care Home 1, with the Royal Wolverhampton Trust", IN_PROGRESS,
                "2018/19 Q4", (7,), (), (PCH1,)),
        Project("Acute visiting service pilot", IN_PROGRESS, "2018/19 Q3",
                (7,), (), (VERTICAL,)),
        Project("Frequent attenders review", NOT_STARTED, "2018/19 Q4",
                (9,), ()),
        Project("Peer learning: practice visits through the Time for Care programme", IN_PROGRESS, "2018/19 Q3",
                (10,), ("releasing-time",)),
        Project("Shared templates for fit notes and letters", NOT_STARTED, "2018/19 Q4",
                (5,), ()),
        Project("Care homes: a named practice for each home (Primary InReach review)", IN_PROGRESS, "2018/19 Q2",
                (7,), (), (),
                later=((d(2018, 10, 1), IN_PROGRESS,
                        "Five of the 36 care homes are still without a named practice; now due by December."),)),
        Project("Standard referral forms on the clinical systems", NOT_STARTED, "2018/19 Q4",
                (), ("hospital-interface",)),
        Project("Demand and capacity audit in every practice", NOT_STARTED, "2018/19 Q4",
                (5,), (), (),
                later=((d(2018, 9, 10), ON_HOLD,
                        "Paused so that practices can concentrate on winter planning; to restart in 2019/20."),)),
        Project("Targeted peer review: a programme of meetings in every practice group for 2018/19", IN_PROGRESS,
                "2018/19 Q4", (10,), ()),
        Project("Advice and Guidance: more use of consultant advice before referral", IN_PROGRESS, "2018/19 Q2",
                (), ("hospital-interface",),
                later=((d(2018, 9, 21), ACHIEVED, ""),)),
        Project("Practice level dashboards: QOF, commissioned services and activity", IN_PROGRESS, "2018/19 Q3",
                (10,), ()),
        Project("Multidisciplinary team meetings: service specification for GP input", IN_PROGRESS, "2018/19 Q2",
                (7,), (),
                later=((d(2018, 7, 31), ACHIEVED, ""),)),
        Project("Sound Doctor self-help videos, in languages other than English", IN_PROGRESS, "2018/19 Q3",
                (9,), ()),
    ],
    # April 2018: 6 not started, 6 achieved, 9 in progress, 21 in all.
    "infrastructure": [
        Project("Online consultation rollout (eConsult)", IN_PROGRESS, "2018/19 Q4",
                (2,), ("online-consultations",)),
        Project("Estates: Newbridge surgery scheme", IN_PROGRESS, "2018/19 Q2",
                (), ("premises",)),
        Project("Primary care estates strategy (six-facet surveys)", ACHIEVED, "2017/18 Q3",
                (), ("premises",)),
        Project("Wi-Fi in all GP practices for patients and staff", IN_PROGRESS, "2018/19 Q1",
                (), ("online-tools",),
                later=((d(2018, 7, 2), IN_PROGRESS, "Cabling at eight practices not finished by June."),
                       (d(2018, 8, 15), ACHIEVED, ""))),
        Project("Shared care record: GP record view for acute and community clinicians", IN_PROGRESS, "2018/19 Q4",
                (7,), ("record-sharing",)),
        Project("One clinical system across Medical Chambers practices", IN_PROGRESS, "2018/19 Q3",
                (7,), ("record-sharing",), (CHAMBERS,)),
        Project("Patient online: 10% of patients registered for online services", ACHIEVED, "2017/18 Q4",
                (2,), ("online-tools",)),
        Project("Electronic Prescription Service release 2 in all practices", ACHIEVED, "2017/18 Q2",
                (5,), ("online-tools",)),
        Project("NHS e-Referral Service: paper referrals switched off", IN_PROGRESS, "2018/19 Q3",
                (), ("hospital-interface",),
                later=((d(2018, 10, 1), ACHIEVED, ""),)),
        Project("Online triage and video consultations pilot", NOT_STARTED, "2018/19 Q4",
                (2,), ("online-consultations",)),
        Project("Estates: ETTF improvement grants for four practices", IN_PROGRESS, "2018/19 Q3",
                (), ("premises",), (),
                later=((d(2018, 7, 16), IN_PROGRESS,
                        "Two of the four schemes wait for NHS England to approve revised costs."),)),
        Project("Windows 10 migration and hardware refresh", NOT_STARTED, "2018/19 Q4",
                (6,), ("online-tools",)),
        Project("Telephony: new systems with call queuing", NOT_STARTED, "2018/19 Q4",
                (1,), ("online-tools",), (),
                later=((d(2018, 8, 6), ON_HOLD,
                        "On hold while a Black Country-wide telephony procurement is explored."),)),
        Project("Instant messaging between practices", NOT_STARTED, "2018/19 Q4",
                (6,), ("online-tools",)),
        Project("Extended access hub IT: shared appointment booking across practices", ACHIEVED, "2017/18 Q4",
                (7,), ("extended-access", "record-sharing")),
        Project("Estates: Primary Care Home 2 hub feasibility study", NOT_STARTED, "2018/19 Q4",
                (), ("premises",), (PCH2,)),
        Project("Cyber security: Cyber Essentials in all practices", ACHIEVED, "2017/18 Q2",
                (), ("online-tools",)),
        Project("Estates: void space in health centres brought back into use", ACHIEVED, "2017/18 Q4",
                (), ("premises",)),
        Project("Two-way text messaging in all practices", IN_PROGRESS, "2018/19 Q1",
                (3,), ("online-tools",),
                later=((d(2018, 5, 31), ACHIEVED, ""),)),
        Project("GP appointment access utilisation tool (deployed by NHS England)", NOT_STARTED, "2018/19 Q4",
                (), ("extended-access",)),
        Project("Estates: East Park surgery scheme", IN_PROGRESS, "2018/19 Q4",
                (), ("premises",)),
    ],
    # April 2018: 1 not started, 0 achieved, 4 in progress, 5 in all.
    "care-redesign": [
        Project("Extended access: 30 minutes per 1,000 patients in each group of practices by September 2018",
                IN_PROGRESS, "2018/19 Q2", (7,), ("extended-access",), ALL_GROUPS,
                later=((d(2018, 9, 28), ACHIEVED, ""),)),
        Project("Extended access: 100% population coverage, evenings and weekends", IN_PROGRESS,
                "2018/19 Q3", (7,), ("extended-access",), ALL_GROUPS),
        Project("Primary Care Home 1: multidisciplinary team for frail patients (frailty pilot)", IN_PROGRESS,
                "2018/19 Q4", (7,), ("federations",), (PCH1,)),
        Project("Primary Care Home 2: multidisciplinary team for frail patients", IN_PROGRESS, "2018/19 Q1",
                (7,), ("federations",), (PCH2,),
                later=((d(2018, 7, 2), IN_PROGRESS,
                        "Community matron post vacant since May; the team's weekly meetings stopped in July."),)),
        Project("Population health management pilot", NOT_STARTED, "2018/19 Q4",
                (10,), (), (PCH1,)),
    ],
}

#: Added to the plan in February 2018, after version 1 was approved, so it is in version 2 only;
#: it is one of the 85 projects the April 2018 report counts.
ADDED_ON = dt.date(2018, 2, 1)
ADDED_AFTER_APPROVAL = {
    "workforce": [
        Project("Workforce planning support funded by Health Education England (£10,000)", IN_PROGRESS,
                "2018/19 Q4", (), ("5000-more-gps",)),
    ],
}

# A few of the projects carry milestones and a trajectory.
MILESTONES = {
    "INF01": (
        MilestoneSpec("Supplier contract signed", dt.date(2018, 3, 31), dt.date(2018, 3, 14)),
        MilestoneSpec("First ten practices live", dt.date(2018, 7, 31), dt.date(2018, 8, 20)),
        MilestoneSpec("All practices live", dt.date(2019, 3, 31)),
    ),
    "INF02": (
        MilestoneSpec("Outline business case approved", dt.date(2017, 12, 31), dt.date(2017, 12, 5)),
        MilestoneSpec("Full business case approved", dt.date(2018, 6, 30), dt.date(2018, 7, 24)),
        MilestoneSpec("Building work starts", dt.date(2018, 9, 30)),
    ),
    "CR02": (
        MilestoneSpec("Hub rotas cover every weekday evening", dt.date(2018, 6, 30), dt.date(2018, 6, 25)),
        MilestoneSpec("Weekend and bank holiday sessions in all four groups", dt.date(2018, 10, 1)),
    ),
}
TRAJECTORIES = {
    "INF01": (
        TrajectorySpec(
            "Practices live with online consultation",
            PERCENT,
            (("2018/19 Q1", 10, 9), ("2018/19 Q2", 35, 32), ("2018/19 Q3", 70, None), ("2018/19 Q4", 100, None)),
        ),
    ),
    "CR02": (
        TrajectorySpec(
            "Extended access coverage",
            PERCENT,
            (
                ("2017/18 Q3", 25, 22), ("2017/18 Q4", 50, 54), ("2018/19 Q1", 70, 71),
                ("2018/19 Q2", 90, 86), ("2018/19 Q3", 100, None),
            ),
        ),
    ),
}


def _rag(status: str, reason: str, on: dt.date, due: dt.date) -> tuple[str, str]:
    """A state's RAG: none before it starts, green when achieved or going well, amber with a
    reason, red with a reason written "red: ..." or given after the due date has passed."""
    if status == NOT_STARTED:
        return "", ""
    if status == ACHIEVED:
        return "green", ""
    if not reason:
        if status == ON_HOLD:
            raise ValueError("A project on hold needs a RAG reason.")
        return "green", ""
    if reason.startswith("red: "):
        return "red", reason[len("red: "):]
    return ("red" if on > due else "amber"), reason


def _start(project: Project) -> str:
    """Projects not started in April 2018 begin in 2018/19 Q2; the rest ran for up to a year before they were due."""
    if project.april == NOT_STARTED:
        return "2018/19 Q2"
    year, _, quarter = project.due.partition(" Q")
    return "2017/18 Q1" if year == "2017/18" else f"2017/18 Q{quarter}"


def _timeline(project: Project, start: str, since: dt.date) -> tuple[tuple[dt.date, str, str, str], ...]:
    """Its states from ``since``: not started until it starts, in progress, achieved two weeks
    before its due date if it was by April 2018, then its ``later`` states."""
    due = quarter_end(project.due)
    began = max(quarter_start(start), since)
    states = []
    if project.april == NOT_STARTED or began > since:
        states.append((since, NOT_STARTED, "", ""))
    if project.april != NOT_STARTED:
        states.append((began, IN_PROGRESS, "green", ""))
    if project.april == ACHIEVED:
        states.append((due - dt.timedelta(days=14), ACHIEVED, "green", ""))
    for day, status, reason in project.later:
        states.append((day, status, *_rag(status, reason, day, due)))
    days = [day for day, *_ in states]
    if days != sorted(set(days)) or any(REPORTED_ON.replace(day=1) <= day <= REPORTED_ON for day in days):
        raise ValueError(f"{project.title}: its states must be in date order, none in April 2018.")
    return tuple(states)


def _action(chapter: str, number: int, project: Project, since: dt.date = PLAN_START) -> ActionSpec:
    prefix, group, leads = CHAPTERS[chapter]
    code = f"{prefix}{number:02d}"
    start = _start(project)
    timeline = _timeline(project, start, since)
    _, status, rag, rag_reason = timeline[-1]
    return ActionSpec(
        code=code,
        title=project.title,
        chapter=chapter,
        status=status,
        start=start,
        due=project.due,
        lead=leads[(number - 1) % len(leads)],
        group=group,
        commitments=project.commitments,
        high_impact_actions=project.high_impact_actions,
        clusters=project.clusters,
        rag=rag,
        rag_reason=rag_reason,
        milestones=MILESTONES.get(code, ()),
        trajectories=TRAJECTORIES.get(code, ()),
        timeline=timeline,
    )


ACTIONS = tuple(
    _action(chapter, number, project)
    for chapter, rows in PROJECTS.items()
    for number, project in enumerate(rows, start=1)
)
ACTIONS_AFTER_APPROVAL = tuple(
    _action(chapter, len(PROJECTS[chapter]) + number, project, since=ADDED_ON)
    for chapter, rows in ADDED_AFTER_APPROVAL.items()
    for number, project in enumerate(rows, start=1)
)

# Changes made after the committee approved version 1: they make version 2. The statuses took
# effect on the dates given (illustrative), though typed when the demo is loaded.
EDITS_AFTER_APPROVAL = (
    ActionEdit("WF02", {"status": ACHIEVED, "rag": "green", "rag_reason": ""}, dt.date(2018, 9, 24)),
    ActionEdit("WF15", {"status": IN_PROGRESS, "rag": "green"}, dt.date(2018, 9, 3)),
    ActionEdit(
        "INF02",
        {
            "due_date": quarter_end("2018/19 Q4"),
            "rag": "amber",
            "rag_reason": "Full business case approved seven weeks late; building work now starts in November 2018.",
        },
        dt.date(2018, 7, 24),
    ),
    ActionEdit("INF01", {"title": "Online consultation rollout (eConsult) to every practice"}),
)

RISKS = (
    risk("R01", GP_RECRUITMENT, "GP Clinical Lead for Workforce",
         ((Q1_1718, 4, 4), (Q3_1718, 4, 5), (Q1_1819, 4, 4), (Q2_1819, 3, 4)), ("WF07", "WF08", "WF10")),
    risk("R02", ESTATES_CAPACITY, "Estates and IT Programme Manager",
         ((Q1_1718, 3, 4), (Q1_1819, 4, 4)), ("INF02", "INF11")),
    risk("R03", EXTENDED_ACCESS_STAFFING, "Head of Primary Care",
         ((Q1_1718, 4, 3), (Q3_1718, 3, 3), (Q2_1819, 3, 4)), ("CR01", "CR02")),
    risk("R04", ONLINE_CONSULTATION_UPTAKE, "Head of Digital Primary Care",
         ((Q3_1718, 4, 3), (Q1_1819, 3, 3)), ("INF01",)),
    risk("R05", FUNDING_NON_RECURRENT, "Head of Primary Care Finance",
         ((Q1_1718, 3, 3), (Q2_1819, 4, 3)), ("INV02", "INV03")),
)

REPORTS = (
    ReportSpec("Workforce", "2017/18 Q4",
               "International GP Recruitment application submitted in February. GP Retention Scheme: two GPs "
               "joined. First wave of care navigation training finished, 212 staff trained. Primary Care Home 1's "
               "clinical pharmacist started in March.",
               "Submit the CCT Fellowship application. Recruit the Primary Care Home 2 pharmacist. Agree indemnity "
               "cover for the locum bank."),
    ReportSpec("Workforce", "2018/19 Q1",
               "Medical assistant training finished in 18 practices. Careers webpage and job description library "
               "live. The locum bank missed its June launch: indemnity for bank GPs is still being agreed with NHS "
               "Resolution and the LMC.",
               "Launch the locum bank once indemnity is settled. Submit the local GP retention fund bid."),
    ReportSpec("Workforce", "2018/19 Q2",
               "Local GP retention fund bid submitted in August; CCT fellowship on hold until NHS England decides. "
               "Second-wave care navigation courses are full to December. Practice nurse preceptorship has four "
               "nurses enrolled.",
               "Decide on the CCT fellowship when the outcomes are known."),
    ReportSpec("Workload", "2017/18 Q4",
               "Document management live in 24 practices; correspondence handled by trained staff. Text "
               "reminders in all practices; missed appointments down on the year before. Targeted peer review "
               "specification approved.",
               "Start the Time for Care quick start with ten practices. Business case for Advice and Guidance."),
    ReportSpec("Workload", "2018/19 Q1",
               "Time for Care quick start completed by ten practices; each chose two High Impact Actions. "
               "Prescription ordering hub delayed: no premises agreed.",
               "Review the hub's scope with the practices still committed. Recruit social prescribing link workers."),
    ReportSpec("Workload", "2018/19 Q2",
               "Two social prescribing link workers recruited, start in October. Demand and capacity audit "
               "paused for winter. Named practices agreed for 31 of 36 care homes.",
               "Complete care home alignment. Report link worker referrals from November."),
    ReportSpec("Infrastructure", "2017/18 Q4",
               "eConsult contract signed. Six-facet surveys complete for all practices; void space targets met. "
               "Newbridge outline business case approved; Newbridge and East Park meet the ETTF criteria.",
               "Pilot eConsult in five practices. Finish the Newbridge full business case."),
    ReportSpec("Infrastructure", "2018/19 Q1",
               "eConsult live in four practices. Two-way texting in every practice. Practice Wi-Fi in 30 of 38 "
               "practices: cabling at the other eight is late. Two ETTF schemes held up waiting for NHS England to "
               "agree revised costs.",
               "Roll eConsult out to the next ten practices. Escalate the ETTF approvals through the STP."),
    ReportSpec("Infrastructure", "2018/19 Q2",
               "eConsult live in 13 practices. Wi-Fi finished in August, six weeks late. Newbridge full business "
               "case approved in July. Paper referral switch-off on track for 1 October.",
               "Agree the Newbridge build start date. Plan the video consultation pilot."),
    ReportSpec("Care Redesign", "2017/18 Q4",
               "Extended access running in all four groups of practices; 54% of the population covered. Improving "
               "access for 2018/19 approved: 30 minutes per 1,000 patients in each group by September 2018.",
               "Extend hub sessions to reach 100% coverage by October 2018."),
    ReportSpec("Care Redesign", "2018/19 Q1",
               "Coverage 71%. Primary Care Home multidisciplinary teams meeting weekly, but Primary Care Home 2's "
               "community matron post is vacant.",
               "Recruit the matron. Evaluate the frailty pilot in Primary Care Home 1."),
    ReportSpec("Care Redesign", "2018/19 Q2",
               "30 minutes per 1,000 patients reached in every group in September. Coverage 86%: weekend sessions "
               "missing in one group. Primary Care Home 2's team has not met since July.",
               "Reach 100% coverage by December. Restart the Primary Care Home 2 team once the matron starts."),
    ReportSpec("Investment and Finance", "2018/19 Q1",
               "Extended access funding contracted with the four groups. Second instalment of transformation "
               "funding agreed against group delivery plans.",
               "Pay the second instalment once Q2 milestones are evidenced."),
    ReportSpec("Investment and Finance", "2018/19 Q2",
               "Q2 milestones evidenced by three of the four groups; their second instalments paid.",
               "Pay the fourth group once its milestones are evidenced; build recurrent costs into the 2019/20 "
               "budget."),
)

PLAN = PlanSpec(
    ods_code="06A",
    task_groups=TASK_GROUPS,
    actions=ACTIONS,
    risks=RISKS,
    reports=REPORTS,
    approval=ApprovalSpec("Primary Care Commissioning Committee", dt.date(2017, 10, 3), "PCC/17/094"),
    edits_after_approval=EDITS_AFTER_APPROVAL,
    actions_after_approval=ACTIONS_AFTER_APPROVAL,
)
