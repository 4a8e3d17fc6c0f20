"""Luton CCG (06P): the GPFV plan as the CCG wrote it, objective by objective, with the
trajectories it committed to (e-consultation, extended access, NHS e-Referral Service).

The targets the plan states are kept (e-consultation for 50% of patients by 2018/19 Q1,
extended access for 50% of the population by 2017/18 Q4 and 100% by 2018/19 Q4, e-referral
utilisation of 51% by March 2017); the quarters between them, the actuals, leads, milestones
and reports are invented. Action codes follow the plan: PC01 is an objective's lead action, PC01/06 the
sixth action under it. Actions are attached to Luton's four clusters where they are loaded.
"""

from __future__ import annotations

import datetime as dt

from .specs import (
    ACHIEVED,
    ESTATES_CAPACITY,
    EXTENDED_ACCESS_STAFFING,
    FTE,
    FUNDING_NON_RECURRENT,
    GP_RECRUITMENT,
    IN_PROGRESS,
    NOT_STARTED,
    ONLINE_CONSULTATION_UPTAKE,
    PERCENT,
    Q1_1718,
    Q1_1819,
    Q2_1819,
    Q3_1718,
    ActionSpec,
    ApprovalSpec,
    MilestoneSpec,
    PlanSpec,
    ReportSpec,
    TrajectorySpec,
    risk,
)

CLUSTERS = ("Luton Central", "Luton South and East", "Luton North", "Luton West")

ACCESS = "Access"
WORKFORCE = "Workforce and Workload"
INFRASTRUCTURE = "Infrastructure and Estates"
FINANCE = "Finance and Resilience"

TASK_GROUPS = (
    (ACCESS, "Associate Director of Primary Care"),
    (WORKFORCE, "GP Clinical Lead for Workforce"),
    (INFRASTRUCTURE, "Head of IM&T"),
    (FINANCE, "Deputy Chief Finance Officer"),
)

EXTENDED_ACCESS = TrajectorySpec(
    "Extended access coverage",
    PERCENT,
    (
        ("2017/18 Q1", 0, 0), ("2017/18 Q2", 10, 10), ("2017/18 Q3", 30, 28), ("2017/18 Q4", 50, 50),
        ("2018/19 Q1", 60, 63), ("2018/19 Q2", 75, 74), ("2018/19 Q3", 90, None), ("2018/19 Q4", 100, None),
    ),
)
E_CONSULTATION = TrajectorySpec(
    "Patients offered e-consultation by their practice",
    PERCENT,
    (
        ("2017/18 Q3", 10, 8), ("2017/18 Q4", 30, 27), ("2018/19 Q1", 50, 52),
        ("2018/19 Q2", 65, 61), ("2018/19 Q3", 80, None), ("2018/19 Q4", 100, None),
    ),
)
E_REFERRAL = TrajectorySpec(
    "NHS e-Referral Service utilisation",
    PERCENT,
    (
        ("2016/17 Q4", 51, 53), ("2017/18 Q2", 65, 61), ("2017/18 Q4", 80, 78),
        ("2018/19 Q2", 100, 97),
    ),
)
CLINICAL_PHARMACISTS = TrajectorySpec(
    "Clinical pharmacists in post",
    FTE,
    (("2017/18 Q2", 1, 1), ("2017/18 Q4", 2, 2), ("2018/19 Q2", 4, 3), ("2018/19 Q4", 6, None)),
)

ACTIONS = (
    ActionSpec(
        "PC01", "Extended access: evening and weekend appointments in every cluster", "care-redesign",
        IN_PROGRESS, "2018/19 Q4",
        description="Hubs in each cluster offering routine appointments 6.30pm-8pm on weekdays and at weekends, "
        "reaching 50% of the population by March 2018 and 100% by March 2019.",
        strategy_reference="Objective 1.3 - page 22", lead="Associate Director of Primary Care", group=ACCESS,
        commitments=("extended-access",), high_impact_actions=(7,), clusters=CLUSTERS, rag="green",
        milestones=(
            MilestoneSpec("Hub model agreed by the four clusters", dt.date(2017, 6, 30), dt.date(2017, 6, 21)),
            MilestoneSpec("First hub open (Luton Central)", dt.date(2017, 10, 2), dt.date(2017, 10, 2)),
            MilestoneSpec("Hubs open in two clusters", dt.date(2018, 1, 31), dt.date(2018, 2, 12)),
            MilestoneSpec("Weekend sessions in all four clusters", dt.date(2018, 10, 1)),
            MilestoneSpec("100% of the population covered", dt.date(2019, 3, 31)),
        ),
        trajectories=(EXTENDED_ACCESS,),
    ),
    ActionSpec(
        "PC01/02", "Extended access: appointments bookable by NHS 111", "care-redesign", IN_PROGRESS, "2018/19 Q3",
        start="2018/19 Q1", strategy_reference="Objective 1.3 - page 23", lead="Urgent Care Commissioning Manager",
        group=ACCESS, commitments=("extended-access",), high_impact_actions=(1,), rag="amber",
        rag_reason="Direct booking depends on the NHS 111 provider's system upgrade, now due in November 2018.",
    ),
    ActionSpec(
        "PC01/06", "Extended access: tell patients (websites, posters, text messages)", "care-redesign", ACHIEVED,
        "2017/18 Q4", start="2017/18 Q3", strategy_reference="Objective 1.4 - page 24",
        lead="Communications and Engagement Manager", group=ACCESS, commitments=("extended-access",),
        high_impact_actions=(1,), rag="green",
    ),
    ActionSpec(
        "PC02", "Online consultations (e-consultation) in every practice", "infrastructure", IN_PROGRESS,
        "2018/19 Q4", start="2017/18 Q3",
        description="E-consultation offered to 50% of patients by 2018/19 Q1, rising to every practice by March 2019.",
        strategy_reference="Objective 2.1 - page 27", lead="Head of IM&T", group=INFRASTRUCTURE,
        commitments=("online-consultations",), high_impact_actions=(2,), clusters=CLUSTERS, rag="green",
        milestones=(
            MilestoneSpec("Supplier chosen through the national framework", dt.date(2017, 9, 30), dt.date(2017, 9, 18)),
            MilestoneSpec("Practices offering it to 50% of patients", dt.date(2018, 6, 30), dt.date(2018, 6, 29)),
        ),
        trajectories=(E_CONSULTATION,),
    ),
    ActionSpec(
        "PC02/03", "Patient online: appointments and repeat prescriptions online", "infrastructure", ACHIEVED,
        "2017/18 Q4", strategy_reference="Objective 2.2 - page 28", lead="Head of IM&T", group=INFRASTRUCTURE,
        commitments=("online-tools",), high_impact_actions=(2,), rag="green",
    ),
    ActionSpec(
        "PC03", "NHS e-Referral Service utilisation", "infrastructure", IN_PROGRESS, "2018/19 Q2",
        description="51% of first outpatient referrals by e-RS by March 2017; all by the paper switch-off in "
        "October 2018.",
        strategy_reference="Objective 2.4 - page 30", lead="Planned Care Commissioning Manager",
        group=INFRASTRUCTURE, commitments=("hospital-interface",), rag="green", trajectories=(E_REFERRAL,),
    ),
    ActionSpec(
        "PC04", "Care navigation training for reception teams", "workforce", ACHIEVED, "2017/18 Q3",
        strategy_reference="Objective 3.1 - page 34", lead="Primary Care Workforce Lead", group=WORKFORCE,
        commitments=("practice-staff-training",), high_impact_actions=(1,), clusters=CLUSTERS, rag="green",
        milestones=(
            MilestoneSpec("Training provider commissioned", dt.date(2017, 6, 30), dt.date(2017, 6, 12)),
            MilestoneSpec(
                "Every practice has two trained care navigators", dt.date(2017, 12, 31), dt.date(2017, 12, 8)
            ),
        ),
    ),
    ActionSpec(
        "PC04/02", "Medical assistants: clinical correspondence training", "workforce", IN_PROGRESS, "2018/19 Q3",
        start="2018/19 Q1", strategy_reference="Objective 3.1 - page 35", lead="Primary Care Workforce Lead",
        group=WORKFORCE, commitments=("practice-staff-training",), high_impact_actions=(5,), rag="green",
    ),
    ActionSpec(
        "PC05", "Clinical pharmacists in each cluster", "workforce", IN_PROGRESS, "2018/19 Q4",
        strategy_reference="Objective 3.2 - page 36", lead="Head of Medicines Optimisation", group=WORKFORCE,
        commitments=("clinical-pharmacists",), high_impact_actions=(4,), clusters=CLUSTERS, rag="amber",
        rag_reason="Luton West's pharmacist post was re-advertised twice; 3 of 4 FTE in post at September 2018.",
        trajectories=(CLINICAL_PHARMACISTS,),
    ),
    ActionSpec(
        "PC06", "GP recruitment and retention: Luton GP fellowship", "workforce", IN_PROGRESS, "2018/19 Q4",
        strategy_reference="Objective 3.4 - page 38", lead="GP Clinical Lead for Workforce", group=WORKFORCE,
        commitments=("5000-more-gps", "gp-retention"), rag="amber",
        rag_reason="Four fellows recruited against a target of six.",
    ),
    ActionSpec(
        "PC07", "Practice resilience: support for vulnerable practices", "investment", ACHIEVED, "2018/19 Q1",
        strategy_reference="Objective 4.1 - page 41", lead="Primary Care Contracts Manager", group=FINANCE,
        commitments=("resilience-programme", "vulnerable-practices"), rag="green",
    ),
    ActionSpec(
        "PC08", "Transformation funding: cluster development plans", "investment", ACHIEVED, "2017/18 Q4",
        strategy_reference="Objective 4.2 - page 42", lead="Deputy Chief Finance Officer", group=FINANCE,
        commitments=("investment-2-4bn", "federations"), high_impact_actions=(7,), clusters=CLUSTERS, rag="green",
    ),
    ActionSpec(
        "PC09", "Estates: primary care hub business case (ETTF)", "infrastructure", IN_PROGRESS, "2018/19 Q4",
        strategy_reference="Objective 5.1 - page 45", lead="Estates Programme Manager", group=INFRASTRUCTURE,
        commitments=("premises",), clusters=("Luton South and East",), rag="amber",
        rag_reason="NHS England asked for a revised value-for-money case; decision now expected in January 2019.",
    ),
    ActionSpec(
        "PC10", "Releasing time for care: Time for Care programme", "workload", IN_PROGRESS, "2018/19 Q3",
        start="2017/18 Q3", strategy_reference="Objective 3.5 - page 39",
        lead="Primary Care Transformation Manager", group=WORKFORCE, commitments=("releasing-time",),
        high_impact_actions=(5, 10), rag="green",
    ),
    ActionSpec(
        "PC11", "Social prescribing service for Luton", "workload", NOT_STARTED, "2018/19 Q4", start="2018/19 Q3",
        strategy_reference="Objective 1.6 - page 25", lead="Associate Director of Primary Care", group=ACCESS,
        high_impact_actions=(8,),
    ),
    ActionSpec(
        "PC12", "Cluster multidisciplinary teams for patients with complex needs", "care-redesign", IN_PROGRESS,
        "2018/19 Q4", start="2017/18 Q2", strategy_reference="Objective 1.5 - page 24",
        lead="Associate Director of Primary Care", group=ACCESS, commitments=("federations",),
        high_impact_actions=(7,), clusters=CLUSTERS, rag="green",
    ),
)

RISKS = (
    risk("R01", GP_RECRUITMENT, "GP Clinical Lead for Workforce",
         ((Q1_1718, 4, 4), (Q3_1718, 4, 4), (Q2_1819, 3, 4)), ("PC06",)),
    risk("R02", EXTENDED_ACCESS_STAFFING, "Associate Director of Primary Care",
         ((Q1_1718, 4, 4), (Q1_1819, 3, 4)), ("PC01",)),
    risk("R03", ONLINE_CONSULTATION_UPTAKE, "Head of IM&T",
         ((Q3_1718, 3, 3), (Q2_1819, 4, 3)), ("PC02",)),
    risk("R04", ESTATES_CAPACITY, "Estates Programme Manager",
         ((Q1_1718, 3, 4), (Q1_1819, 4, 4)), ("PC09",)),
    risk("R05", FUNDING_NON_RECURRENT, "Deputy Chief Finance Officer",
         ((Q1_1718, 3, 3), (Q2_1819, 3, 4)), ("PC08",)),
)

REPORTS = (
    ReportSpec(ACCESS, "2018/19 Q1",
               "Hubs open in Luton Central, North and West; coverage 63% against a plan of 60%. Publicity "
               "campaign finished.",
               "Open the Luton South and East hub. Agree NHS 111 direct booking with the provider."),
    ReportSpec(ACCESS, "2018/19 Q2",
               "Coverage 74% against 75%: weekend sessions not yet filled in one cluster. Cluster MDTs meeting "
               "monthly in all four clusters.",
               "Fill weekend rotas from October. Scope the social prescribing service with the council."),
    ReportSpec(WORKFORCE, "2018/19 Q1",
               "Medical assistant training started with 14 practices. Three clinical pharmacists in post. "
               "Four GP fellows started in post.",
               "Re-advertise the Luton West pharmacist post. Run the second Time for Care learning session."),
    ReportSpec(WORKFORCE, "2018/19 Q2",
               "Time for Care: nine practices have introduced active signposting and correspondence "
               "management. Pharmacist post in Luton West still vacant.",
               "Interview for Luton West in October. Plan the 2019 fellowship intake."),
    ReportSpec(INFRASTRUCTURE, "2018/19 Q1",
               "E-consultation offered to 52% of patients, above the 50% target. e-RS utilisation 94%.",
               "Bring the remaining practices onto e-consultation. Prepare for the paper switch-off."),
    ReportSpec(INFRASTRUCTURE, "2018/19 Q2",
               "E-consultation at 61% against 65%. e-RS at 97%; paper switch-off ready. Hub business case "
               "returned by NHS England for a revised value-for-money case.",
               "Resubmit the hub business case. Support the four practices not yet offering e-consultation."),
    ReportSpec(FINANCE, "2018/19 Q1",
               "Resilience support finished for the three practices identified in 2017; all now stable.",
               "Review resilience needs for 2019/20 with the LMC."),
    ReportSpec(FINANCE, "2018/19 Q2",
               "Extended access and online consultation spend on plan. Cluster development funding fully "
               "spent and evaluated.",
               "Set the 2019/20 primary care budget with recurrent extended access costs."),
)

PLAN = PlanSpec(
    ods_code="06P",
    task_groups=TASK_GROUPS,
    actions=ACTIONS,
    risks=RISKS,
    reports=REPORTS,
    approval=ApprovalSpec("Primary Care Commissioning Committee", dt.date(2017, 5, 24), "PCCC 17/05 item 7"),
)
