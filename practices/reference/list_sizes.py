"""Patients Registered at a GP Practice: the registered list size of each practice.

One ``ListSize`` per practice, extract date, sex and age band, saying which file it came
from (``source_file``): a file's second run replaces only its own figures. The totals file
(``gp-reg-pat-prac-all.csv``) gives sex ``ALL`` and age ``ALL``; the files broken down by
sex and age band store those rows as well.

Each release is recognised by its columns (the report says which, or that none matched):
the CCG era's totals file names the commissioner CCG_CODE and ONS_CCG_CODE (January 2021),
the ICB era's SUB_ICB_LOCATION_CODE and ONS_SUB_ICB_LOCATION_CODE and writes its extract date
as 2026-04-01 (April 2026). Both are read by the same column names; the commissioner code
is only used to choose the rows of ``only_ccgs``.
"""

from __future__ import annotations

import re

from practices.models import ListSize, Practice

from .base import Importer, Layout, RowError, file_headers, recognise_layout
from .columns import Column, Table, parse_date
from .sync import ModelSync

SEXES = {
    "ALL": ListSize.Sex.ALL, "PERSONS": ListSize.Sex.ALL, "P": ListSize.Sex.ALL,
    "MALE": ListSize.Sex.MALE, "MALES": ListSize.Sex.MALE, "M": ListSize.Sex.MALE,
    "FEMALE": ListSize.Sex.FEMALE, "FEMALES": ListSize.Sex.FEMALE, "F": ListSize.Sex.FEMALE,
}  # fmt: skip
AGE_BAND = re.compile(r"^(\d{1,3})(?:[_-](\d{1,3})|\+)?$")


TOTALS = ("SEX", "AGE", "NUMBER_OF_PATIENTS")
LAYOUTS = (
    Layout(
        "Patients Registered at a GP Practice, totals, CCG era (as January 2021)",
        ("PUBLICATION", "EXTRACT_DATE", "TYPE", "CCG_CODE", "ONS_CCG_CODE", "CODE", "POSTCODE", *TOTALS),
    ),
    Layout(
        "Patients Registered at a GP Practice, totals, ICB era with sub-ICB locations (as April 2026)",
        (
            "PUBLICATION", "EXTRACT_DATE", "TYPE", "SUB_ICB_LOCATION_CODE", "ONS_SUB_ICB_LOCATION_CODE", "CODE",
            "POSTCODE", *TOTALS,
        ),
    ),
)  # fmt: skip


def list_size_sync(dates, sources) -> ModelSync:
    """The list sizes of these publications on these dates, keyed as the importers add them.

    A figure is one publication's (``source``): a revised file of the same publication
    replaces it, and another publication counting the same day sits beside it.
    """
    return ModelSync(
        ListSize, "list sizes", ["patients", "source_file"],
        ListSize.objects.filter(extract_date__in=dates, source__in=sources),
        key=lambda s: (s.practice_id, s.extract_date, s.sex, s.age_band, s.source),
    )  # fmt: skip


def source_for(extract_date) -> str:
    return f"NHS Digital, Patients Registered at a GP Practice, {extract_date:%B %Y}"


def age_band(value: str) -> str:
    """``ALL`` -> ``all``; ``0_4`` -> ``0-4``; ``95+`` and single years as they are."""
    value = value.strip().upper()
    if value in ("", "ALL", "ALL_AGES"):
        return ListSize.ALL_AGES
    match = AGE_BAND.match(value.replace(" ", ""))
    if not match:
        raise ValueError
    low, high = match.groups()
    if high is not None:
        return f"{int(low)}-{int(high)}"
    return f"{int(low)}+" if value.endswith("+") else str(int(low))


class ListSizeImporter(Importer):
    dataset = "list-sizes"
    description = "Patients Registered at a GP Practice (gp-reg-pat-prac-all.csv and the by-age files)"
    columns = [
        Column("EXTRACT_DATE", ("DATE",)),
        Column("CODE", ("PRACTICE_CODE", "ORG_CODE", "PRAC_CODE")),
        Column("NUMBER_OF_PATIENTS", ("PATIENTS", "NUMBER_OF_PATIENTS_REGISTERED", "REGISTERED_PATIENTS")),
        Column("SEX", (), required=False),
        Column("AGE", ("AGE_GROUP_5", "AGE_BAND", "AGE_GROUP"), required=False),
        Column("CCG_CODE", ("SUB_ICB_LOCATION_CODE", "COMMISSIONER_CODE"), required=False),
        Column("TYPE", ("ORG_TYPE",), required=False),
    ]
    not_imported = ("PUBLICATION", "ONS_CCG_CODE", "ONS_SUB_ICB_LOCATION_CODE", "POSTCODE")

    def run(self, table: Table) -> None:
        self.table = table
        recognise_layout(self.report, file_headers(table.path), LAYOUTS)
        self.note_columns(table)
        report = self.report
        practices = {
            code: (pk, ccg_code)
            for code, pk, ccg_code in Practice.objects.values_list("ods_code", "pk", "ccg__ods_code")
        }
        dates = set()
        for value in {row["EXTRACT_DATE"] for row in table.rows}:
            try:
                dates.add(parse_date(value))
            except ValueError:
                pass
        sizes = list_size_sync(dates, {source_for(d) for d in dates})

        seen: dict[tuple, int] = {}
        for row in table.rows:
            if row["TYPE"] and row["TYPE"].upper() not in ("GP", "PRACTICE"):
                report.count("skipped")
                continue
            code = row["CODE"].upper()
            known = practices.get(code)
            if not self.in_scope(row["CCG_CODE"].upper(), known[1] if known else ""):
                report.count("skipped")
                continue
            try:
                code = self.value_practice_code(row, "CODE")
                extract_date = self.value_date(row, "EXTRACT_DATE", required=True)
                patients = self.value_count(row, "NUMBER_OF_PATIENTS")
                sex = SEXES.get(row["SEX"].upper() or "ALL")
                if sex is None:
                    raise RowError(f"{self.heading('SEX')} '{row['SEX']}' is not ALL, MALE or FEMALE")
                try:
                    band = age_band(row["AGE"])
                except ValueError:
                    raise RowError(f"{self.heading('AGE')} '{row['AGE']}' is not an age or age band") from None
                if known is None:
                    raise RowError(f"{self.heading('CODE')} {code} is not in the portal: import epraccur first")
            except RowError as exc:
                report.reject(row.line, str(exc))
                continue
            key = (known[0], extract_date, sex, band)
            if key in seen:
                report.reject(
                    row.line, f"{code} has a second figure for {extract_date:%d %b %Y} (first on line {seen[key]})"
                )
                continue
            seen[key] = row.line
            source = source_for(extract_date)
            size = sizes.get_or_add(
                (*key, source), practice_id=known[0], extract_date=extract_date, sex=sex, age_band=band,
                patients=patients, source=source, source_file=report.file_name,
            )  # fmt: skip
            report.count(sizes.outcome(size))
        self.write(sizes)
