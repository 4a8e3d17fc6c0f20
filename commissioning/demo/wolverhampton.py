"""Wolverhampton CCG (06A): 85 GPFV projects across the five chapters, led by five task and
finish groups, approved by the Primary Care Commissioning Committee in 2017 and changed since.

The practice groups (Primary Care Home 1 and 2, Medical Chambers, Vertical Integration) are
the CCG's own; the project titles, dates, statuses and texts are invented to read like its
programme as at September 2018. Projects are listed per chapter, one line each:

    (title, status, due quarter, High Impact Actions, national commitments, groups of practices, RAG reason)

A RAG reason makes the project amber, or red when it is overdue or written "red: ...".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import NamedTuple

from .specs import (
    ACHIEVED,
    AS_AT,
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
    risk,
)

PCH1, PCH2 = "Primary Care Home 1", "Primary Care Home 2"
CHAMBERS, VERTICAL = "Medical Chambers", "Vertical Integration"
ALL_GROUPS = (PCH1, PCH2, CHAMBERS, VERTICAL)


class Project(NamedTuple):
    title: str
    status: str
    due: str
    high_impact_actions: tuple[int, ...] = ()
    commitments: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    rag_reason: str = ""


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
    "investment": [
        Project("Practice resilience programme: diagnostic support for practices at risk", ACHIEVED, "2017/18 Q3",
                (7,), ("resilience-programme",)),
        Project("Transformation funding (£3 per head): practice plans agreed", ACHIEVED, "2017/18 Q2",
                (5,), ("investment-2-4bn",)),
        Project("Transformation funding 2018/19: second instalment against group plans", IN_PROGRESS, "2018/19 Q3",
                (5, 7), ("investment-2-4bn",), ALL_GROUPS),
        Project("Vulnerable practices: tailored support packages", ACHIEVED, "2017/18 Q4",
                (), ("vulnerable-practices",)),
        Project("Primary care budget: recurrent growth built into the 2018/19 financial plan", ACHIEVED, "2017/18 Q4",
                (), ("investment-2-4bn",)),
        Project("Online consultation funding: allocation agreed with NHS England", ACHIEVED, "2017/18 Q3",
                (2,), ("online-consultations",)),
        Project("Extended access funding (£6 per head) drawn down and contracted", ACHIEVED, "2018/19 Q1",
                (), ("extended-access", "investment-2-4bn")),
        Project("Estates and Technology Transformation Fund: bids submitted and prioritised", ACHIEVED, "2017/18 Q2",
                (), ("premises",)),
        Project("Local enhanced services review: single primary care quality scheme", IN_PROGRESS, "2018/19 Q4",
                (), ("investment-2-4bn",), (),
                "Consultation with the LMC on the scheme specification took longer than planned."),
        Project("Care navigation and medical assistant training funding passed to practices", ACHIEVED, "2017/18 Q4",
                (1, 5), ("practice-staff-training",)),
        Project("Medical Chambers: shared back-office costs", IN_PROGRESS, "2018/19 Q4",
                (7,), ("federations",), (CHAMBERS,)),
        Project("Notional rent reviews brought up to date", ON_HOLD, "2018/19 Q2",
                (), ("premises",), (),
                "Paused for District Valuer capacity; NHS Property Services to restart the reviews in 2019/20."),
    ],
    "workforce": [
        Project("Care navigation training for reception staff", ACHIEVED, "2017/18 Q3",
                (1,), ("practice-staff-training",)),
        Project("Care navigation training, second wave (new starters)", IN_PROGRESS, "2018/19 Q3",
                (1,), ("practice-staff-training",)),
        Project("Medical assistant training: clinical correspondence and coding", ACHIEVED, "2018/19 Q1",
                (5,), ("practice-staff-training",)),
        Project("Primary Care Home 1 shared clinical pharmacist", ACHIEVED, "2017/18 Q4",
                (4,), ("clinical-pharmacists",), (PCH1,)),
        Project("Primary Care Home 2 shared clinical pharmacist", IN_PROGRESS, "2018/19 Q2",
                (4,), ("clinical-pharmacists",), (PCH2,)),
        Project("Clinical pharmacists in Medical Chambers practices (wave 2 bid)", IN_PROGRESS, "2018/19 Q4",
                (4,), ("clinical-pharmacists",), (CHAMBERS,)),
        Project("Locum bank", IN_PROGRESS, "2018/19 Q1",
                (7,), ("5000-more-gps",), (),
                "Indemnity cover for bank GPs not yet agreed; launch moved to November 2018."),
        Project("GP retention scheme", ACHIEVED, "2017/18 Q4",
                (), ("gp-retention",)),
        Project("Practice nurse preceptorship", IN_PROGRESS, "2018/19 Q3",
                (4,), ()),
        Project("International GP recruitment: expression of interest with the Black Country STP", IN_PROGRESS,
                "2018/19 Q4", (), ("5000-more-gps",), (),
                "The national programme is recruiting fewer GPs than expected; no arrivals before spring 2019."),
        Project("NHS GP Health Service promoted to all practices", ACHIEVED, "2017/18 Q2",
                (6,), ("gp-health-service",)),
        Project("Physician associate student placements in practices", IN_PROGRESS, "2018/19 Q4",
                (4,), ()),
        Project("Mental health therapists in general practice (IAPT co-location)", IN_PROGRESS, "2018/19 Q4",
                (4,), ("mental-health-therapists",)),
        Project("Workforce baseline: practice staff census", ACHIEVED, "2017/18 Q1",
                (), ()),
        Project("More GP training practices", NOT_STARTED, "2018/19 Q4",
                (), ("5000-more-gps",)),
        Project("Healthcare assistant apprenticeships", NOT_STARTED, "2018/19 Q4",
                (4,), ()),
        Project("Practice manager development programme", IN_PROGRESS, "2018/19 Q4",
                (10,), ()),
        Project("Newly qualified GP fellowship (two-year posts)", ON_HOLD, "2018/19 Q4",
                (), ("gp-retention",), (),
                "Waiting for the outcome of the local GP retention fund bid (submitted August 2018)."),
        Project("Advanced nurse practitioner training places", IN_PROGRESS, "2018/19 Q3",
                (4,), ()),
        Project("Workforce planning tool for the Primary Care Homes", NOT_STARTED, "2018/19 Q4",
                (4,), (), (PCH1, PCH2)),
    ],
    "workload": [
        Project("Document management / workflow optimisation", ACHIEVED, "2017/18 Q4",
                (5,), ("releasing-time",)),
        Project("Active signposting: practice websites and telephone messages", ACHIEVED, "2017/18 Q3",
                (1,), ("releasing-time",)),
        Project("Fewer missed appointments: text message reminders in all practices", ACHIEVED, "2017/18 Q2",
                (3,), ("releasing-time",)),
        Project("Time for Care: productive general practice quick start in ten practices", ACHIEVED, "2018/19 Q1",
                (5, 10), ("releasing-time",)),
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
                "Premises for the hub not confirmed and two practices have withdrawn; scope under review."),
        Project("Personal productivity: clinical system skills sessions", IN_PROGRESS, "2018/19 Q3",
                (6,), ()),
        Project("Shared home visiting in Primary Care Home 1", IN_PROGRESS, "2018/19 Q4",
                (7,), (), (PCH1,)),
        Project("Acute visiting service pilot", IN_PROGRESS, "2018/19 Q3",
                (7,), (), (VERTICAL,)),
        Project("Frequent attenders review", NOT_STARTED, "2018/19 Q4",
                (9,), ()),
        Project("Peer learning: practice visits through the Time for Care programme", IN_PROGRESS, "2018/19 Q3",
                (10,), ("releasing-time",)),
        Project("Shared templates for fit notes and letters", NOT_STARTED, "2018/19 Q4",
                (5,), ()),
        Project("Care homes: a named practice for each home", IN_PROGRESS, "2018/19 Q2",
                (7,), ()),
        Project("Standard referral forms on the clinical systems", NOT_STARTED, "2018/19 Q4",
                (), ("hospital-interface",)),
        Project("Demand and capacity audit in every practice", ON_HOLD, "2018/19 Q2",
                (5,), (), (),
                "Paused so that practices can concentrate on winter planning; to restart in 2019/20."),
    ],
    "infrastructure": [
        Project("Online consultation rollout (eConsult)", IN_PROGRESS, "2018/19 Q4",
                (2,), ("online-consultations",)),
        Project("Estates: Newbridge surgery scheme", IN_PROGRESS, "2018/19 Q2",
                (), ("premises",)),
        Project("Primary care estates strategy (six-facet surveys)", ACHIEVED, "2017/18 Q3",
                (), ("premises",)),
        Project("Wi-Fi in all GP practices for patients and staff", ACHIEVED, "2018/19 Q1",
                (), ("online-tools",)),
        Project("Record sharing: GP record view for acute and community clinicians", IN_PROGRESS, "2018/19 Q4",
                (7,), ("record-sharing",)),
        Project("One clinical system across Medical Chambers practices", IN_PROGRESS, "2018/19 Q3",
                (7,), ("record-sharing",), (CHAMBERS,)),
        Project("Patient online: 10% of patients registered for online services", ACHIEVED, "2017/18 Q4",
                (2,), ("online-tools",)),
        Project("Electronic Prescription Service release 2 in all practices", ACHIEVED, "2017/18 Q2",
                (5,), ("online-tools",)),
        Project("NHS e-Referral Service: paper referrals switched off", IN_PROGRESS, "2018/19 Q2",
                (), ("hospital-interface",)),
        Project("Video consultations pilot", NOT_STARTED, "2018/19 Q4",
                (2,), ("online-consultations",)),
        Project("Estates: ETTF improvement grants for four practices", IN_PROGRESS, "2018/19 Q1",
                (), ("premises",), (),
                "Two of the four schemes wait for NHS England to approve revised costs."),
        Project("Windows 10 migration and hardware refresh", NOT_STARTED, "2018/19 Q4",
                (6,), ("online-tools",)),
        Project("Telephony: new systems with call queuing", ON_HOLD, "2018/19 Q3",
                (1,), ("online-tools",), (),
                "On hold while a Black Country-wide telephony procurement is explored."),
        Project("Instant messaging between practices", IN_PROGRESS, "2018/19 Q4",
                (6,), ("online-tools",)),
        Project("Extended access hub IT: shared appointment booking across practices", ACHIEVED, "2017/18 Q4",
                (7,), ("extended-access", "record-sharing")),
        Project("Estates: Primary Care Home 2 hub feasibility study", NOT_STARTED, "2018/19 Q4",
                (), ("premises",), (PCH2,)),
        Project("Cyber security: Cyber Essentials in all practices", ACHIEVED, "2017/18 Q2",
                (), ("online-tools",)),
    ],
    "care-redesign": [
        Project("Extended access: evening and weekend appointments in each group of practices", ACHIEVED,
                "2017/18 Q4", (7,), ("extended-access",), ALL_GROUPS),
        Project("Extended access: 100% population coverage (30 minutes per 1,000 patients)", IN_PROGRESS,
                "2018/19 Q3", (7,), ("extended-access",), ALL_GROUPS),
        Project("Primary Care Home 1: multidisciplinary team for frail patients", IN_PROGRESS, "2018/19 Q4",
                (7,), ("federations",), (PCH1,)),
        Project("Primary Care Home 2: multidisciplinary team for frail patients", IN_PROGRESS, "2018/19 Q4",
                (7,), ("federations",), (PCH2,)),
        Project("Vertical Integration: evaluation of practices run with the acute trust", IN_PROGRESS, "2018/19 Q2",
                (7,), ("integrated-contract",), (VERTICAL,)),
        Project("Medical Chambers: group-wide on-the-day urgent appointments", IN_PROGRESS, "2018/19 Q1",
                (7,), ("federations",), (CHAMBERS,),
                "Clinical model agreed in May 2018 but the rota is not yet staffed."),
        Project("Organisational development support for the practice groups", ACHIEVED, "2017/18 Q4",
                (7,), ("federations",), ALL_GROUPS),
        Project("GP streaming at the emergency department front door", ACHIEVED, "2017/18 Q3",
                (7,), ()),
        Project("Community diabetes service delivered by the practice groups", IN_PROGRESS, "2017/18 Q4",
                (7,), (), (),
                "Specification agreed; mobilisation delayed by the recruitment of diabetes specialist nurses."),
        Project("Children's minor illness pathway", NOT_STARTED, "2018/19 Q4",
                (9,), ()),
        Project("Patient participation groups: joint forum across the groups", IN_PROGRESS, "2018/19 Q3",
                (9,), ()),
        Project("Risk stratification tool for case management of the top 2%", NOT_STARTED, "2018/19 Q4",
                (7,), ()),
        Project("Anticoagulation monitoring in general practice", NOT_STARTED, "2018/19 Q4",
                (), ()),
        Project("Community dermatology service", ON_HOLD, "2018/19 Q3",
                (), (), (),
                "red: Procurement stopped when the only bidder withdrew; options paper due to the committee."),
        Project("Population health management pilot", NOT_STARTED, "2018/19 Q4",
                (10,), (), (PCH1,)),
    ],
}

# Added after version 1 was approved, so it shows in version 2 only.
ADDED_AFTER_APPROVAL = {
    "workforce": [
        Project("Local GP retention fund 2018/19: mentoring for newly qualified GPs", IN_PROGRESS, "2018/19 Q4",
                (), ("gp-retention", "5000-more-gps")),
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


def _red(reason: str) -> tuple[str, str]:
    return ("red", reason[len("red: "):]) if reason.startswith("red: ") else ("amber", reason)


def _action(chapter: str, number: int, project: Project) -> ActionSpec:
    prefix, group, leads = CHAPTERS[chapter]
    code = f"{prefix}{number:02d}"
    due = quarter_end(project.due)
    overdue_then = project.status != ACHIEVED and due < AS_AT
    if project.status == ACHIEVED:
        rag, reason = "green", ""
    elif project.rag_reason:
        rag, reason = _red(project.rag_reason)
        rag = "red" if overdue_then else rag
    elif overdue_then or project.status == ON_HOLD:
        raise ValueError(f"Wolverhampton {code} is overdue or on hold as at {AS_AT} and needs a RAG reason.")
    else:
        rag, reason = ("", "") if project.status == NOT_STARTED else ("green", "")
    # Projects not yet started begin in 2018/19 Q3; the rest ran for up to a year before they were due.
    if project.status == NOT_STARTED:
        start = "2018/19 Q3"
    else:
        year, _, quarter = project.due.partition(" Q")
        start = "2017/18 Q1" if year == "2017/18" else f"2017/18 Q{quarter}"
    return ActionSpec(
        code=code,
        title=project.title,
        chapter=chapter,
        status=project.status,
        start=start,
        due=project.due,
        lead=leads[(number - 1) % len(leads)],
        group=group,
        commitments=project.commitments,
        high_impact_actions=project.high_impact_actions,
        clusters=project.clusters,
        rag=rag,
        rag_reason=reason,
        milestones=MILESTONES.get(code, ()),
        trajectories=TRAJECTORIES.get(code, ()),
    )


def _actions(projects: dict[str, list[Project]], first_numbers: dict[str, int] | None = None) -> tuple:
    first_numbers = first_numbers or {}
    return tuple(
        _action(chapter, first_numbers.get(chapter, 1) + i, project)
        for chapter, rows in projects.items()
        for i, project in enumerate(rows)
    )


ACTIONS = _actions(PROJECTS)
#: Projects added after approval join the plan after the April 2018 report (section 3.2).
ADDED_ON = dt.date(2018, 6, 1)
ACTIONS_AFTER_APPROVAL = tuple(
    dataclasses.replace(spec, timeline=((ADDED_ON, spec.status, spec.rag, spec.rag_reason),))
    for spec in _actions(
        ADDED_AFTER_APPROVAL, {chapter: len(PROJECTS[chapter]) + 1 for chapter in ADDED_AFTER_APPROVAL}
    )
)

# Changes made after the committee approved version 1: they make version 2.
EDITS_AFTER_APPROVAL = (
    ActionEdit("WF02", {"status": ACHIEVED, "rag": "green", "rag_reason": ""}),
    ActionEdit("WF15", {"status": IN_PROGRESS, "rag": "green"}),
    ActionEdit(
        "INF02",
        {
            "due_date": quarter_end("2018/19 Q4"),
            "rag": "amber",
            "rag_reason": "Full business case approved seven weeks late; building work now starts in November 2018.",
        },
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
               "Primary Care Home 1's clinical pharmacist in post across all nine practices. GP Retention "
               "Scheme: two GPs joined. First wave of care navigation training finished, 212 staff trained.",
               "Recruit the Primary Care Home 2 pharmacist. Agree indemnity cover for the locum bank."),
    ReportSpec("Workforce", "2018/19 Q1",
               "Medical assistant training finished in 18 practices. The locum bank missed its June launch: "
               "indemnity for bank GPs is still being agreed with NHS Resolution and the LMC.",
               "Launch the locum bank once indemnity is settled. Submit the local GP retention fund bid."),
    ReportSpec("Workforce", "2018/19 Q2",
               "Local GP retention fund bid submitted in August. Second-wave care navigation courses are "
               "full to December. Practice nurse preceptorship has four nurses enrolled.",
               "Decide on the newly qualified GP fellowship when the retention fund outcome is known."),
    ReportSpec("Workload", "2017/18 Q4",
               "Document management live in 24 practices; correspondence handled by trained staff. Text "
               "reminders in all practices; missed appointments down on the year before.",
               "Start the Time for Care quick start with ten practices."),
    ReportSpec("Workload", "2018/19 Q1",
               "Time for Care quick start completed by ten practices; each chose two High Impact Actions. "
               "Prescription ordering hub delayed: no premises agreed.",
               "Review the hub's scope with the practices still committed. Recruit social prescribing link workers."),
    ReportSpec("Workload", "2018/19 Q2",
               "Two social prescribing link workers recruited, start in October. Demand and capacity audit "
               "paused for winter. Named practices agreed for 31 of 36 care homes.",
               "Complete care home alignment. Report link worker referrals from November."),
    ReportSpec("Infrastructure", "2017/18 Q4",
               "eConsult contract signed. Six-facet surveys complete for all practices. Newbridge outline "
               "business case approved.",
               "Pilot eConsult in five practices. Finish the Newbridge full business case."),
    ReportSpec("Infrastructure", "2018/19 Q1",
               "eConsult live in four practices. Practice Wi-Fi installed in all practices. Two ETTF schemes "
               "held up waiting for NHS England to agree revised costs.",
               "Roll eConsult out to the next ten practices. Escalate the ETTF approvals through the STP."),
    ReportSpec("Infrastructure", "2018/19 Q2",
               "eConsult live in 13 practices. Newbridge full business case approved in July. Paper referral "
               "switch-off on track for 1 October.",
               "Agree the Newbridge build start date. Plan the video consultation pilot."),
    ReportSpec("Care Redesign", "2017/18 Q4",
               "Extended access running in all four groups of practices; 54% of the population covered. "
               "GP streaming at the emergency department in place since December.",
               "Extend hub sessions to reach 100% coverage by October 2018."),
    ReportSpec("Care Redesign", "2018/19 Q1",
               "Coverage 71%. Primary Care Home multidisciplinary teams meeting weekly. Community diabetes "
               "service delayed by specialist nurse recruitment.",
               "Staff the Medical Chambers on-the-day rota. Recruit diabetes specialist nurses."),
    ReportSpec("Care Redesign", "2018/19 Q2",
               "Coverage 86%: weekend sessions missing in one group. Dermatology procurement stopped when the "
               "only bidder withdrew.",
               "Reach 100% coverage by December. Options paper on dermatology to the committee in November."),
    ReportSpec("Investment and Finance", "2018/19 Q1",
               "Extended access funding contracted with the four groups. Second instalment of transformation "
               "funding agreed against group plans.",
               "Pay the second instalment once Q2 milestones are evidenced."),
    ReportSpec("Investment and Finance", "2018/19 Q2",
               "Quality scheme specification still with the LMC. Notional rent reviews paused for District "
               "Valuer capacity.",
               "Take the quality scheme to the committee in December for 2019/20."),
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
