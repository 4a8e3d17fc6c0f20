"""QOF indicator groups as the practice profile shows them, and prevalence read against the
practice's CCG of the QOF year and England from the stored benchmarks (``PrevalenceBenchmark``).

Prevalence is the disease register divided by the list size of the register's list type
(all ages; 17 and over for diabetes; 18 and over for CKD, depression, epilepsy and obesity;
16 and over for rheumatoid arthritis; 50 and over for osteoporosis; 30-74 for CVD primary
prevention), as NHS Digital publishes it. The GP Forward View plans name four big killers:
diabetes, cardiovascular disease, cancer and COPD.
"""

from __future__ import annotations

from dataclasses import dataclass

from practices.membership import qof_year_ccgs
from practices.models import CCG

from .models import Prevalence, PrevalenceBenchmark

BIG_KILLERS = "The four big killers"
OTHER = "Other disease registers"

#: code -> (name, heading); names from NHS Digital's INDICATOR_MAPPINGS_1819_v2.csv.
GROUPS: dict[str, tuple[str, str]] = {
    "DM": ("Diabetes mellitus", BIG_KILLERS),
    "CHD": ("Coronary heart disease (cardiovascular)", BIG_KILLERS),
    "HYP": ("Hypertension (cardiovascular)", BIG_KILLERS),
    "STIA": ("Stroke and transient ischaemic attack (cardiovascular)", BIG_KILLERS),
    "HF": ("Heart failure (cardiovascular)", BIG_KILLERS),
    "AF": ("Atrial fibrillation (cardiovascular)", BIG_KILLERS),
    "PAD": ("Peripheral arterial disease (cardiovascular)", BIG_KILLERS),
    "CAN": ("Cancer", BIG_KILLERS),
    "COPD": ("Chronic obstructive pulmonary disease", BIG_KILLERS),
    "AST": ("Asthma", OTHER),
    "CKD": ("Chronic kidney disease", OTHER),
    "CVDPP": ("Cardiovascular disease primary prevention", OTHER),
    "DEM": ("Dementia", OTHER),
    "DEP": ("Depression", OTHER),
    "EP": ("Epilepsy", OTHER),
    "LD": ("Learning disability", OTHER),
    "MH": ("Mental health", OTHER),
    "OB": ("Obesity", OTHER),
    "OST": ("Osteoporosis", OTHER),
    "PC": ("Palliative care", OTHER),
    "RA": ("Rheumatoid arthritis", OTHER),
}
LIST_TYPES = {
    "TOTAL": "all ages",
    "17OV": "aged 17 and over",
    "18OV": "aged 18 and over",
    "16OV": "aged 16 and over",
    "50OV": "aged 50 and over",
    "30_74": "aged 30 to 74",
    "45OV": "aged 45 and over",
}


@dataclass(frozen=True)
class PrevalenceLine:
    code: str
    name: str
    heading: str
    register: int
    list_size: int
    list_type: str
    practice: float | None
    ccg: float | None
    england: float | None


@dataclass(frozen=True)
class PracticePrevalence:
    """A practice's prevalence lines of its latest QOF year, and the CCG that year's CCG figures are of."""

    year: str
    ccg: CCG | None
    lines: list[PrevalenceLine]


def practice_prevalence(practice) -> PracticePrevalence:
    """The practice's latest QOF year and its prevalence lines, big killers first, against the CCG the
    practice was in that year (``qof_year_ccgs``), not its CCG of today; four queries."""
    figures = list(Prevalence.objects.filter(practice=practice).order_by("-year_start"))
    if not figures:
        return PracticePrevalence("", None, [])
    year = figures[0].year_start
    figures = [f for f in figures if f.year_start == year]
    ccg_id = qof_year_ccgs(year, [practice.pk]).get(practice.pk)
    benchmarks = {
        (b.ccg_id, b.group): b.percent
        for b in PrevalenceBenchmark.objects.filter(year_start=year, ccg_id__in=[ccg_id] if ccg_id else [])
        | PrevalenceBenchmark.objects.filter(year_start=year, ccg__isnull=True)
    }
    order = list(GROUPS)
    lines = [
        PrevalenceLine(
            code=f.group,
            name=GROUPS.get(f.group, (f.group, OTHER))[0],
            heading=GROUPS.get(f.group, (f.group, OTHER))[1],
            register=f.register,
            list_size=f.list_size,
            list_type=LIST_TYPES.get(f.list_type, f.list_type),
            practice=f.percent,
            ccg=benchmarks.get((ccg_id, f.group)) if ccg_id else None,
            england=benchmarks.get((None, f.group)),
        )
        for f in figures
    ]
    lines.sort(key=lambda line: (line.heading != BIG_KILLERS, order.index(line.code) if line.code in order else 99))
    label = f"{year.year}-{(year.year + 1) % 100:02d}"
    ccg = practice.ccg if ccg_id == practice.ccg_id else CCG.objects.filter(pk=ccg_id).first()
    return PracticePrevalence(label, ccg, lines)
