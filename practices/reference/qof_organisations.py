"""QOF organisation reference: each practice's CCG and each CCG's STP in one QOF year.

``ORGANISATION_REFERENCE_1819_v2.csv`` gives the 2018-19 (GP Forward View era) hierarchy:
it creates or renames STPs and CCGs, creates practices the portal lacks (name and CCG
only; epraccur fills in the rest), and records that each practice was in its CCG on the
first day of the QOF year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from practices.models import STP, CCGMembership, Practice

from .base import Importer, RowError, load_ccgs, load_practices
from .columns import Column, Table
from .sync import ModelSync, close_spans, latest_span, place_span

DEFAULT_YEAR_START = dt.date(2018, 4, 1)


def year_start(file_name: str) -> dt.date:
    """The first day of the QOF year a file name gives (``..._1819_v2.csv`` -> 1 April 2018)."""
    for first, second in re.findall(r"(?<!\d)(\d{2})(\d{2})(?!\d)", file_name):
        if int(second) == int(first) + 1:
            return dt.date(2000 + int(first), 4, 1)
    return DEFAULT_YEAR_START


class QOFOrganisationImporter(Importer):
    dataset = "qof-organisations"
    description = "QOF organisation reference (ORGANISATION_REFERENCE_1819_v2.csv): practice -> CCG -> STP"
    columns = [
        Column("PRACTICE_CODE", ("CODE", "ORG_CODE", "PRAC_CODE")),
        Column("PRACTICE_NAME", ("NAME", "ORG_NAME", "PRAC_NAME")),
        Column("CCG_CODE", ("SUB_ICB_LOCATION_CODE", "CCG", "COMMISSIONER_CODE")),
        Column("CCG_ONS_CODE", ("ONS_CCG_CODE", "CCG_ONS", "ONS_SUB_ICB_LOCATION_CODE"), required=False),
        Column("CCG_NAME", ("SUB_ICB_LOCATION_NAME",)),
        Column("STP_ONS_CODE", ("ONS_STP_CODE", "STP_ONS")),
        Column("STP_NAME", ()),
    ]

    def run(self, table: Table) -> None:
        self.table = table
        report = self.report
        start = year_start(report.file_name)
        report.notes.append(f"Each practice is recorded as in its CCG on {start:%-d %B %Y}, the start of the QOF year.")
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

        seen: dict[str, int] = {}
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

            stp = stps.get_or_add(stp_ons_code, ons_code=stp_ons_code, name=stp_name)
            ccg = ccgs.get_or_add(ccg_code, ods_code=ccg_code, name=ccg_name, stp=stp)
            if ccg_ons_code:
                ccg.ons_code = ccg_ons_code
            practice = practices.get(code) or practices.add(Practice(ods_code=code, name=name, ccg=ccg))
            spans = spans_of[code]
            place_span(
                spans, group_field="ccg", group=ccg, start=start, exact=False,
                make=lambda p=practice, c=ccg: memberships.add(CCGMembership(practice=p, ccg=c, start_date=start)),
            )  # fmt: skip
            close_spans(spans, group_field="ccg")
            practice.ccg = latest_span(spans).ccg
            rows.append((practice, spans))

        for practice, spans in rows:
            if practices.is_new(practice):
                report.count("created")
            elif practices.is_changed(practice) or any(memberships.is_changed(s) for s in spans):
                report.count("updated")
            else:
                report.count("unchanged")
        self.write(stps, ccgs, practices, memberships)
