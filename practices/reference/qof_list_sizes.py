"""QOF practice list sizes: each practice's registered list in one QOF year, from the prevalence file.

``PREVALENCE_1617.csv`` and ``PREVALENCE_1819_v2.csv`` (NHS Digital, Quality and Outcomes
Framework) repeat each practice's whole list (``PATIENT_LIST_TYPE`` TOTAL) on every
register of all ages. One ``ListSize`` total per practice is stored, dated 1 January of the
QOF year's end (1 January 2017 for 2016-17), the list size date QOF uses; the files carry
no date of their own. A practice the portal lacks is skipped. Running the same file again
changes nothing; a revised file of the same QOF year replaces its figures.
"""

from __future__ import annotations

import datetime as dt

from practices.models import ListSize, Practice

from .base import Importer, Layout, RowError, file_headers, recognise_layout
from .columns import Column, Table
from .list_sizes import list_size_sync
from .qof_organisations import year_start

WHOLE_LIST = "TOTAL"

#: The QOF prevalence files' layouts: read here for their list sizes and by ``quality``'s
#: prevalence importer for their registers.
LAYOUTS = [
    Layout(
        "the QOF prevalence file of 2016-17 to 2018-19",
        ("PRACTICE_CODE", "INDICATOR_GROUP_CODE", "REGISTER", "PATIENT_LIST_TYPE", "PATIENT_LIST_SIZE"),
    ),
    Layout(
        "the QOF prevalence file of 2019-20 (GROUP_CODE for INDICATOR_GROUP_CODE)",
        ("PRACTICE_CODE", "GROUP_CODE", "REGISTER", "PATIENT_LIST_TYPE", "PATIENT_LIST_SIZE"),
    ),
]


def qof_list_size_date(year_start_date: dt.date) -> dt.date:
    """1 January of the QOF year's end: 1 January 2017 for the year starting 1 April 2016."""
    return dt.date(year_start_date.year + 1, 1, 1)


def qof_source(year_start_date: dt.date) -> str:
    first = year_start_date.year
    return f"NHS Digital, Quality and Outcomes Framework {first}-{(first + 1) % 100:02d}, practice list size"


class QOFListSizeImporter(Importer):
    dataset = "qof-list-sizes"
    description = "QOF practice list sizes (PREVALENCE_1617.csv, PREVALENCE_1819_v2.csv: the TOTAL list type)"
    columns = [
        Column("PRACTICE_CODE", ("CODE", "ORG_CODE", "PRAC_CODE")),
        Column("PATIENT_LIST_TYPE", ("LIST_TYPE",), required=False),
        Column("PATIENT_LIST_SIZE", ("LIST_SIZE", "PRACTICE_LIST_SIZE")),
    ]

    def run(self, table: Table) -> None:
        self.table = table
        report = self.report
        start = year_start(report.file_name)
        recognise_layout(report, file_headers(table.path), LAYOUTS)
        extract_date = qof_list_size_date(start)
        source = qof_source(start)
        report.notes.append(f"List sizes of the QOF year starting {start:%-d %B %Y}, dated {extract_date:%-d %B %Y}.")
        practices = {
            code: (pk, ccg_code)
            for code, pk, ccg_code in Practice.objects.values_list("ods_code", "pk", "ccg__ods_code")
        }
        sizes = list_size_sync({extract_date}, {source})
        seen: dict[str, tuple[int, int]] = {}
        for row in table.rows:
            if (row["PATIENT_LIST_TYPE"].upper() or WHOLE_LIST) != WHOLE_LIST:
                continue
            code = row["PRACTICE_CODE"].upper()
            known = practices.get(code)
            if known is None or not self.in_scope(known[1]):
                if code not in seen:
                    report.count("skipped")
                seen.setdefault(code, (row.line, -1))
                continue
            try:
                patients = self.value_count(row, "PATIENT_LIST_SIZE")
            except RowError as exc:
                report.reject(row.line, str(exc))
                continue
            if code in seen:
                if seen[code][1] != patients:
                    report.warn(row.line, f"{code}: list size {patients:,} differs from line {seen[code][0]}; "
                                          "the first is kept")  # fmt: skip
                continue
            seen[code] = (row.line, patients)
            size = sizes.get_or_add(
                (known[0], extract_date, ListSize.Sex.ALL, ListSize.ALL_AGES, source),
                practice_id=known[0], extract_date=extract_date, sex=ListSize.Sex.ALL, age_band=ListSize.ALL_AGES,
                patients=patients, source=source, source_file=report.file_name,
            )  # fmt: skip
            report.count(sizes.outcome(size))
        self.write(sizes)
