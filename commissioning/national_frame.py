"""The national frame of the General Practice Forward View (NHS England, April 2016):
its five chapters, the national commitments under each, and the 10 High Impact Actions.

Loaded by a data migration; commissioners can add to it in the admin.
"""

CHAPTERS = [
    ("investment", "Investment"),
    ("workforce", "Workforce"),
    ("workload", "Workload"),
    ("infrastructure", "Infrastructure"),
    ("care-redesign", "Care Redesign"),
]

# (chapter code, commitment code, title, national figure, unit)
COMMITMENTS = [
    (
        "investment",
        "investment-2-4bn",
        "Increase recurrent investment in general practice by £2.4 billion a year by 2020/21",
        2_400_000_000,
        "£ a year",
    ),
    (
        "investment",
        "resilience-programme",
        "A practice resilience programme for struggling practices",
        40_000_000,
        "£ over 4 years",
    ),
    ("investment", "vulnerable-practices", "Support for vulnerable practices", 10_000_000, "£"),
    ("workforce", "5000-more-gps", "Add 5,000 more GPs to the workforce by 2020", 5000, "GPs"),
    ("workforce", "mental-health-therapists", "3,000 practice-based mental health therapists", 3000, "therapists"),
    (
        "workforce",
        "clinical-pharmacists",
        "1,500 co-funded clinical pharmacists in general practice",
        1500,
        "clinical pharmacists",
    ),
    (
        "workforce",
        "practice-staff-training",
        "Training for care navigators and medical assistants",
        45_000_000,
        "£ over 5 years",
    ),
    (
        "workforce",
        "gp-health-service",
        "Support for GPs with burnout and stress (NHS GP Health Service)",
        19_500_000,
        "£ over 5 years",
    ),
    ("workforce", "gp-retention", "Retain GPs in practice (GP Retention Scheme)", None, ""),
    ("workload", "streamlined-cqc", "Streamlined CQC inspection", None, ""),
    ("workload", "hospital-interface", "Limit administrative burden at the hospital/GP interface", None, ""),
    ("workload", "releasing-time", "Release time for care through the 10 High Impact Actions", 30_000_000, "£"),
    (
        "infrastructure",
        "premises",
        "Premises upgrades with up to 100% reimbursement (ETTF)",
        900_000_000,
        "£ over 5 years",
    ),
    ("infrastructure", "online-tools", "Technology for online tools and appointments", None, ""),
    (
        "infrastructure",
        "online-consultations",
        "Online consultation systems in every practice",
        45_000_000,
        "£ over 3 years",
    ),
    ("infrastructure", "record-sharing", "Record sharing across care settings", None, ""),
    (
        "care-redesign",
        "extended-access",
        "Extended access in the evenings and at weekends, in and out of hours",
        100,
        "% of population",
    ),
    ("care-redesign", "federations", "Support for federations and super-partnerships", None, ""),
    (
        "care-redesign",
        "integrated-contract",
        "A voluntary contract for integrated primary and community services",
        None,
        "",
    ),
]

HIGH_IMPACT_ACTIONS = [
    (1, "Active signposting", "Care navigators direct patients to the most appropriate source of help."),
    (2, "New consultation types", "Telephone, e-mail and online consultations where they suit the patient."),
    (3, "Reduce DNAs", "Fewer appointments missed, with easier cancelling and reminders."),
    (4, "Develop the team", "Broaden the team: pharmacists, physician associates, therapists."),
    (5, "Productive workflows", "Introduce new ways of working that free up time."),
    (6, "Personal productivity", "Support staff to use technology and manage their own time."),
    (7, "Partnership working", "Work at scale with other practices and providers."),
    (8, "Social prescribing", "Refer patients to community services that meet non-medical needs."),
    (9, "Support self-care", "Help patients look after themselves and use other services."),
    (10, "Develop QI expertise", "Build quality improvement skills in the practice."),
]


def load_national_frame(Chapter, NationalCommitment, HighImpactAction) -> None:  # noqa: N803
    """Create what is missing of the frame; rows a commissioner added or edited are left alone.

    Takes the model classes so that the data migration can pass its historical models.
    """
    chapters = {}
    for order, (code, name) in enumerate(CHAPTERS, start=1):
        chapters[code], _ = Chapter.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for order, (chapter, code, title, figure, unit) in enumerate(COMMITMENTS, start=1):
        NationalCommitment.objects.get_or_create(
            code=code,
            defaults={
                "chapter": chapters[chapter],
                "title": title,
                "national_figure": figure,
                "unit": unit,
                "order": order,
            },
        )
    for number, name, description in HIGH_IMPACT_ACTIONS:
        HighImpactAction.objects.get_or_create(number=number, defaults={"name": name, "description": description})
