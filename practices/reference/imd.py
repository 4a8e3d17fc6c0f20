"""The Index of Multiple Deprivation score of each practice, as OHID Fingertips exports it.

Fingertips' indicator export (``all_data/csv/by_indicator_id``, one row per area) gives
indicator 93553, "Deprivation score (IMD 2019)", for England and for each GP practice
(area type "GP"); indicator 91872 is the IMD 2015 score in the same layout. The score is an
average over where the practice's registered patients live; higher is more deprived.

Fingertips publishes no decile, so the import works one out among every practice of the
file (all of England, whatever ``only_ccgs`` imports): practices ranked by their score as
stored (to 3 decimal places), highest first, equal scores sharing the rank of the first of
them, and decile = ceiling(10 x rank / practices ranked). Decile 1 is the most deprived
tenth, as the Ministry of Housing, Communities and Local Government numbers IMD deciles.
England's own rows and rows of a breakdown (a category, a sex) are skipped.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from practices.models import DeprivationScore, Practice

from .base import Importer, RowError
from .columns import Column, Table
from .sync import ModelSync

SCORE_PLACES = Decimal("0.001")
INDEX_NAME = re.compile(r"\bIMD\s*(\d{4})\b", re.IGNORECASE)
PERSONS = {"", "PERSONS", "ALL"}


def national_deciles(scores: dict[str, Decimal]) -> dict[str, int]:
    """Each practice's decile among ``scores`` (1 the highest tenth of scores, 10 the lowest).

    Equal scores share the rank of the first of them, so they share a decile.
    """
    ordered = sorted(scores.values(), reverse=True)
    first_rank: dict[Decimal, int] = {}
    for rank, score in enumerate(ordered, start=1):
        first_rank.setdefault(score, rank)
    count = len(ordered)
    return {code: max(1, math.ceil(10 * first_rank[score] / count)) for code, score in scores.items()}


class DeprivationImporter(Importer):
    dataset = "imd"
    description = "IMD deprivation score by practice (OHID Fingertips indicator export, e.g. indicator 93553)"
    columns = [
        Column("Indicator ID"),
        Column("Indicator Name"),
        Column("Area Code", ("AreaCode",)),
        Column("Area Type", ("AreaType",)),
        Column("Time period", ("Timeperiod", "Period")),
        Column("Value"),
        Column("Parent Code", (), required=False),
        Column("Sex", (), required=False),
        Column("Category Type", (), required=False),
    ]
    not_imported = (
        "Parent Name", "Area Name", "Age", "Category", "Lower CI 95.0 limit", "Upper CI 95.0 limit",
        "Lower CI 99.8 limit", "Upper CI 99.8 limit", "Count", "Denominator", "Value note", "Recent Trend",
        "Compared to England value or percentiles", "Compared to percentiles", "Time period Sortable", "New data",
        "Compared to goal", "Time period range",
    )  # fmt: skip

    def run(self, table: Table) -> None:
        self.table = table
        report = self.report
        self.note_columns(table)
        practices = {
            code: (pk, ccg) for code, pk, ccg in Practice.objects.values_list("ods_code", "pk", "ccg__ods_code")
        }

        # First pass: every practice's score, in scope or not, for the national deciles.
        accepted = []
        seen: dict[tuple[str, str], int] = {}
        for row in table.rows:
            if (
                not row["Area Type"].upper().startswith("GP")
                or row["Category Type"]
                or (row["Sex"].upper() not in PERSONS)
            ):
                report.count("skipped")
                continue
            known = practices.get(row["Area Code"].upper())
            scoped = self.in_scope(known[1] if known else "", row["Parent Code"].upper())
            try:
                code = self.value_practice_code(row, "Area Code")
                index = self.value_index(row)
                period = self.value_required(row, "Time period", max_length=20)
                score = self.value_score(row)
                if (index, code) in seen:
                    raise RowError(
                        f"{self.heading('Area Code')} {code} has a second {index} score"
                        f" (first on line {seen[index, code]})"
                    )
            except RowError as exc:
                if scoped:
                    report.reject(row.line, str(exc))
                else:
                    report.count("skipped")
                continue
            seen[index, code] = row.line
            accepted.append((row, code, index, period, score, known, scoped))

        deciles = {}
        for index in sorted({a[2] for a in accepted}):
            scores = {a[1]: a[4] for a in accepted if a[2] == index}
            deciles[index] = (national_deciles(scores), len(scores))
            report.notes.append(
                f"{index}: deciles worked out among the {len(scores):,} practices of the file"
                " (1 most deprived, 10 least); Fingertips gives no decile."
            )

        existing = DeprivationScore.objects.filter(index__in=list(deciles))
        scores = ModelSync(
            DeprivationScore, "deprivation scores",
            ["score", "decile", "practices_ranked", "period", "source", "source_file"],
            existing, key=lambda s: (s.practice_id, s.index),
        )  # fmt: skip
        for row, code, index, period, score, known, scoped in accepted:
            if not scoped:
                report.count("skipped")
                continue
            if known is None:
                report.reject(
                    row.line, f"{self.heading('Area Code')} {code} is not in the portal: import epraccur first"
                )
                continue
            by_code, ranked = deciles[index]
            source = f"OHID Fingertips indicator {row['Indicator ID']}: {row['Indicator Name']}"[:200]
            record = scores.get_or_add(
                (known[0], index), practice_id=known[0], index=index, score=score, decile=by_code[code],
                practices_ranked=ranked, period=period, source=source, source_file=report.file_name,
            )  # fmt: skip
            report.count(scores.outcome(record))
        self.write(scores)

    def value_index(self, row) -> str:
        match = INDEX_NAME.search(row["Indicator Name"])
        if not match:
            raise RowError(
                f"{self.heading('Indicator Name')} '{row['Indicator Name']}' is not a deprivation score"
                " (such as 'Deprivation score (IMD 2019)')"
            )
        return f"IMD {match.group(1)}"

    def value_score(self, row) -> Decimal:
        value = self.value_required(row, "Value")
        try:
            score = Decimal(value.replace(",", ""))
        except InvalidOperation:
            raise RowError(f"{self.heading('Value')} '{value}' is not a number") from None
        if not score.is_finite() or not 0 <= score <= 100:
            raise RowError(f"{self.heading('Value')} '{value}' is not an IMD score (0 to 100)")
        return score.quantize(SCORE_PLACES)
