"""ODS ``epraccur``: every GP practice in England and Wales, with its commissioner.

The file has no header row and 27 columns in a fixed order (NHS Digital's ODS
specification). Only prescribing setting 4 (GP practice) rows in England are imported;
others are counted as skipped. Each practice gets a dated CCG membership from its
commissioner's join date, and ``Practice.ccg`` is the CCG of its latest membership.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from practices.models import CCG, CCGMembership, Practice

from .base import Importer, RowError, load_ccgs, load_practices
from .columns import Row, Table, read_positional
from .sync import ModelSync, close_spans, latest_span, place_span

# (name, what the ODS specification calls it), in file order.
FIELDS = [
    ("code", "Organisation Code"),
    ("name", "Name"),
    ("national_grouping", "National Grouping"),
    ("high_level_health_geography", "High Level Health Geography"),
    ("address_1", "Address Line 1"),
    ("address_2", "Address Line 2"),
    ("address_3", "Address Line 3"),
    ("address_4", "Address Line 4"),
    ("address_5", "Address Line 5"),
    ("postcode", "Postcode"),
    ("open_date", "Open Date"),
    ("close_date", "Close Date"),
    ("status", "Status Code"),
    ("sub_type", "Organisation Sub-Type Code"),
    ("commissioner", "Commissioner"),
    ("join_date", "Join Provider/Purchaser Date"),
    ("left_date", "Left Provider/Purchaser Date"),
    ("telephone", "Contact Telephone Number"),
    ("null_19", "Null"),
    ("null_20", "Null"),
    ("null_21", "Null"),
    ("amended", "Amended Record Indicator"),
    ("null_23", "Null"),
    ("provider_purchaser", "Provider/Purchaser"),
    ("null_25", "Null"),
    ("prescribing_setting", "Prescribing Setting"),
    ("null_27", "Null"),
]
GP_PRACTICE_SETTING = "4"
WALES = "W00"
STATUSES = {
    "A": Practice.Status.ACTIVE,
    "C": Practice.Status.CLOSED,
    "D": Practice.Status.DORMANT,
    "P": Practice.Status.PROPOSED,
}
PRACTICE_FIELDS = [
    "name", "address_line_1", "address_line_2", "town", "county", "postcode",
    "telephone", "status", "open_date", "close_date", "ccg",
]  # fmt: skip


class EpraccurImporter(Importer):
    dataset = "epraccur"
    description = "ODS GP practices (epraccur.csv, no header row)"

    def read(self, path: Path) -> Table:
        table = read_positional(path, [name for name, _ in FIELDS], header_names=["Organisation Code", "Code"])
        table.headings = {name: f"{label} (column {i})" for i, (name, label) in enumerate(FIELDS, 1)}
        return table

    def clean(self, row: Row) -> dict:
        code = self.value_practice_code(row, "code")
        status = row["status"].upper()
        if status not in STATUSES:
            raise RowError(f"{self.heading('status')} '{row['status']}' is not A, C, D or P")
        values = {
            "ods_code": code,
            "name": self.value_required(row, "name", max_length=200),
            "address_line_1": self.value_text(row, "address_1", max_length=200),
            "address_line_2": self.value_text(row, "address_2", max_length=200),
            "town": self.value_text(row, "address_3", max_length=100),
            "county": self.value_text(row, "address_4", max_length=100),
            "telephone": self.value_text(row, "telephone", max_length=30),
            "status": STATUSES[status],
            "open_date": self.value_date(row, "open_date"),
            "close_date": self.value_date(row, "close_date"),
        }
        if values["open_date"] and values["close_date"] and values["close_date"] < values["open_date"]:
            raise RowError(f"{self.heading('close_date')} is before its {self.heading('open_date')}")
        commissioner = self.value_ccg_code(row, "commissioner")
        join_date = self.value_date(row, "join_date")
        if join_date is None:
            raise RowError(f"{self.heading('join_date')} is empty")
        left_date = self.value_date(row, "left_date")
        if left_date is not None and left_date <= join_date:
            raise RowError(f"{self.heading('left_date')} is not after its {self.heading('join_date')}")
        values["postcode"] = self.value_postcode(row, "postcode")
        return {"practice": values, "commissioner": commissioner, "join_date": join_date, "left_date": left_date}

    def run(self, table: Table) -> None:
        self.table = table
        report = self.report
        ccgs = load_ccgs(["name"])
        practices = load_practices(PRACTICE_FIELDS, ccgs)
        memberships = ModelSync(
            CCGMembership, "CCG memberships", ["ccg", "start_date", "end_date"],
            CCGMembership.objects.all(), key=id,
        )  # fmt: skip
        spans_of: dict[str, list[CCGMembership]] = defaultdict(list)
        for membership in memberships.by_key.values():
            membership.ccg = ccgs.by_pk[membership.ccg_id]
            spans_of[practices.by_pk[membership.practice_id].ods_code].append(membership)

        seen: dict[str, int] = {}
        placeholders: list[str] = []
        rows: list[tuple[Practice, list[CCGMembership]]] = []
        for row in table.rows:
            if row["prescribing_setting"] != GP_PRACTICE_SETTING or row["national_grouping"].upper() == WALES:
                report.count("skipped")
                continue
            if not self.in_scope(row["commissioner"].upper()):
                report.count("skipped")
                continue
            try:
                clean = self.clean(row)
            except RowError as exc:
                report.reject(row.line, str(exc))
                continue
            values = clean["practice"]
            code = values["ods_code"]
            if code in seen:
                report.reject(row.line, f"{self.heading('code')} {code} appears again (first on line {seen[code]})")
                continue
            seen[code] = row.line

            ccg = ccgs.get(clean["commissioner"])
            if ccg is None:
                ccg = ccgs.add(CCG(ods_code=clean["commissioner"], name=clean["commissioner"]))
                placeholders.append(ccg.ods_code)
            practice = practices.get_or_add(code, ccg=ccg, **values)
            spans = spans_of[code]
            place_span(
                spans, group_field="ccg", group=ccg, start=clean["join_date"], end=clean["left_date"], exact=True,
                make=lambda p=practice, c=ccg, s=clean["join_date"], e=clean["left_date"]: memberships.add(
                    CCGMembership(practice=p, ccg=c, start_date=s, end_date=e)
                ),
            )  # fmt: skip
            close_spans(spans, group_field="ccg")
            practice.ccg = latest_span(spans).ccg
            rows.append((practice, spans))

        if placeholders:
            report.notes.append(
                f"{len(placeholders)} commissioners were not in the portal and were added as CCGs named by"
                f" their codes: {', '.join(sorted(placeholders))}. Import qof-organisations to name them."
            )
        for practice, spans in rows:
            if practices.is_new(practice):
                report.count("created")
            elif practices.is_changed(practice) or any(memberships.is_changed(s) for s in spans):
                report.count("updated")
            else:
                report.count("unchanged")
        self.write(ccgs, practices, memberships)
