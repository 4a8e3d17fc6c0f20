"""QOF organisation reference: each practice's CCG and each CCG's STP in one QOF year.

``ORGANISATION_REFERENCE_1617.csv`` (2016-17) and ``ORGANISATION_REFERENCE_1819_v2.csv``
(2018-19) give the hierarchy NHS Digital summed that year's figures under. The import
creates CCGs and STPs the portal lacks from the file's own codes and names (a CCG dissolved
since keeps its code, name and history), creates practices the portal lacks (name and CCG
only; epraccur fills in the rest), records that each practice was in its CCG on the first
day of the QOF year (a dated ``CCGMembership``, added to what the portal holds, never
replacing a later one) and the year's own assignment (``QOFYearMembership``), which the
year's CCG figures are summed by. A file older than a year already loaded adds its year's
memberships but leaves today's CCG and STP names as the newer file gave them.

The two releases name the same columns differently (2016-17: CCG_GEOGRAPHY_CODE, STP_CODE,
SUBREGION_*; 2018-19: CCG_ONS_CODE, STP_ONS_CODE, REGIONAL_LOCAL_OFFICE_*); each is
recognised by its columns. The QOF year comes from the publisher's file name
(``..._1617...``), since the files carry none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from django.db.models import Max

from practices.models import CCG, STP, CCGMembership, Practice, QOFYearMembership

from .base import Importer, Layout, RowError, file_headers, load_ccgs, load_practices, recognise_layout
from .columns import Column, ReferenceFileError, Table
from .sync import ModelSync, PlainSync, close_spans, latest_span, place_span

_COMMON = ("PRACTICE_CODE", "PRACTICE_NAME", "CCG_CODE", "CCG_NAME", "STP_NAME", "REGION_CODE", "REGION_NAME")
LAYOUTS = [
    Layout(
        "the QOF organisation reference of 2016-17",
        (*_COMMON, "CCG_GEOGRAPHY_CODE", "STP_CODE", "SUBREGION_CODE", "SUBREGION_GEOGRAPHY_CODE",
         "SUBREGION_NAME", "REGION_GEOGRAPHY_CODE", "COUNTRY", "REVISED_MAXIMUM_POINTS"),
    ),
    Layout(
        "the QOF organisation reference of 2018-19",
        (*_COMMON, "CCG_ONS_CODE", "STP_ONS_CODE", "REGIONAL_LOCAL_OFFICE_CODE", "REGIONAL_LOCAL_OFFICE_ONS_CODE",
         "REGIONAL_LOCAL_OFFICE_NAME", "REGION_ONS_CODE", "COUNTRY", "REVISED_MAXIMUM_POINTS"),
    ),
]  # fmt: skip


def year_start(file_name: str) -> dt.date:
    """The first day of the QOF year a publisher's file name gives (``..._1819_v2.csv`` -> 1 April 2018).

    Raises ``ReferenceFileError`` when the name gives no year: the files carry none, and
    guessing one would put a year's figures under another.
    """
    for first, second in re.findall(r"(?<!\d)(\d{2})(\d{2})(?!\d)", file_name):
        if int(second) == (int(first) + 1) % 100:
            return dt.date(2000 + int(first), 4, 1)
    raise ReferenceFileError(
        f"{file_name} does not say which QOF year it is: name it as NHS Digital does,"
        " with the year's two-digit years (PREVALENCE_1617.csv, ORGANISATION_REFERENCE_1819_v2.csv)."
    )


def year_label(start: dt.date) -> str:
    return f"{start.year}-{(start.year + 1) % 100:02d}"


class QOFOrganisationImporter(Importer):
    dataset = "qof-organisations"
    description = "QOF organisation reference (ORGANISATION_REFERENCE_1617.csv, _1819_v2.csv): practice -> CCG -> STP"
    columns = [
        Column("PRACTICE_CODE", ("CODE", "ORG_CODE", "PRAC_CODE")),
        Column("PRACTICE_NAME", ("NAME", "ORG_NAME", "PRAC_NAME")),
        Column("CCG_CODE", ("SUB_ICB_LOCATION_CODE", "CCG", "COMMISSIONER_CODE")),
        Column(
            "CCG_ONS_CODE",
            ("ONS_CCG_CODE", "CCG_ONS", "ONS_SUB_ICB_LOCATION_CODE", "CCG_GEOGRAPHY_CODE"),
            required=False,
        ),
        Column("CCG_NAME", ("SUB_ICB_LOCATION_NAME",)),
        # 2016-17 calls the STP's ONS code (E54...) STP_CODE.
        Column("STP_ONS_CODE", ("ONS_STP_CODE", "STP_ONS", "STP_CODE")),
        Column("STP_NAME", ()),
    ]

    def run(self, table: Table) -> None:
        self.table = table
        report = self.report
        start = year_start(report.file_name)
        recognise_layout(report, file_headers(table.path), LAYOUTS)
        report.notes.append(
            f"QOF {year_label(start)}: each practice is recorded as in its CCG on {start:%-d %B %Y},"
            " the start of the QOF year, and its figures of that year are summed under that CCG."
        )
        # CCGs keep the names of their latest QOF year loaded, STPs of the latest of all: an older file does not rename.
        by_ccg = QOFYearMembership.objects.values("ccg_id").annotate(latest=Max("year_start"))
        latest_year = dict(by_ccg.values_list("ccg_id", "latest"))
        stps_newest = start >= max(latest_year.values(), default=start)
        stps = ModelSync(STP, "STP footprints", ["name"], STP.objects.all(), key=lambda s: s.ons_code)
        ccgs = load_ccgs(["name", "ons_code", "stp"])
        for ccg in ccgs.by_key.values():
            if ccg.stp_id:
                ccg.stp = stps.by_pk[ccg.stp_id]
        practices = load_practices(["ccg"], ccgs)
        memberships = ModelSync(
            CCGMembership, "CCG memberships", ["ccg", "start_date", "end_date"], CCGMembership.objects.all(), key=id
        )
        spans_of: dict[str, list[CCGMembership]] = defaultdict(list)
        for membership in memberships.by_key.values():
            membership.ccg = ccgs.by_pk[membership.ccg_id]
            spans_of[practices.by_pk[membership.practice_id].ods_code].append(membership)
        year_memberships = PlainSync(
            QOFYearMembership, "QOF year memberships", ["ccg", "source_file"],
            QOFYearMembership.objects.filter(year_start=start).select_related("practice"),
            key=lambda m: m.practice.ods_code,
        )  # fmt: skip
        for year_membership in year_memberships.by_key.values():
            year_membership.ccg = ccgs.by_pk[year_membership.ccg_id]

        seen: dict[str, int] = {}
        renamed_stps: set[str] = set()
        rows = []
        for row in table.rows:
            if not self.in_scope(row["CCG_CODE"].upper()):
                report.count("skipped")
                continue
            try:
                code = self.value_practice_code(row, "PRACTICE_CODE")
                name = self.value_required(row, "PRACTICE_NAME", max_length=200)
                ccg_code = self.value_ccg_code(row, "CCG_CODE")
                ccg_name = self.value_required(row, "CCG_NAME", max_length=200)
                ccg_ons_code = self.value_ons_code(row, "CCG_ONS_CODE", required=False)
                stp_ons_code = self.value_ons_code(row, "STP_ONS_CODE")
                stp_name = self.value_required(row, "STP_NAME", max_length=200)
            except RowError as exc:
                report.reject(row.line, str(exc))
                continue
            if code in seen:
                report.reject(
                    row.line, f"{self.heading('PRACTICE_CODE')} {code} appears again (first on line {seen[code]})"
                )
                continue
            seen[code] = row.line

            ccg = ccgs.get(ccg_code)
            newest = ccg is None or ccg.pk is None or latest_year.get(ccg.pk, start) <= start
            stp = stps.get(stp_ons_code)
            if stp is None:
                stp = stps.add(STP(ons_code=stp_ons_code, name=stp_name))
            elif stps_newest and stp_ons_code not in renamed_stps:
                stp.name = stp_name
                renamed_stps.add(stp_ons_code)
            if ccg is None:
                ccg = ccgs.add(CCG(ods_code=ccg_code, name=ccg_name, stp=stp, ons_code=ccg_ons_code))
            elif newest:
                ccg.name, ccg.stp = ccg_name, stp
                if ccg_ons_code:
                    ccg.ons_code = ccg_ons_code
            elif ccg.name == ccg.ods_code:
                ccg.name = ccg_name  # a placeholder named by its code (epraccur) gets its name
            practice = practices.get(code) or practices.add(Practice(ods_code=code, name=name, ccg=ccg))
            spans = spans_of[code]
            place_span(
                spans, group_field="ccg", group=ccg, start=start, exact=False,
                make=lambda p=practice, c=ccg: memberships.add(CCGMembership(practice=p, ccg=c, start_date=start)),
            )  # fmt: skip
            close_spans(spans, group_field="ccg")
            practice.ccg = latest_span(spans).ccg
            year_membership = year_memberships.get_or_add(
                code, practice=practice, ccg=ccg, year_start=start, source_file=report.file_name
            )
            rows.append((practice, spans, year_membership))

        for practice, spans, year_membership in rows:
            if practices.is_new(practice):
                report.count("created")
            elif (
                practices.is_changed(practice)
                or any(memberships.is_changed(s) for s in spans)
                or year_memberships.is_changed(year_membership)
            ):
                report.count("updated")
            else:
                report.count("unchanged")
        self.write(stps, ccgs, practices, memberships)
        year_memberships.write(report)
