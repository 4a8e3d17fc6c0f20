"""ODS ``epraccur``: every GP practice in England and Wales, with its commissioner.

The file has no header row and 27 columns in a fixed order (NHS Digital's ODS
specification), in every release loaded so far (mid-2018 and December 2019): it is
recognised by that shape, not by its name. Only prescribing setting 4 (GP practice) rows in
England are imported; others are counted as skipped. Each practice gets a dated CCG
membership from its commissioner's join date, added to those the portal holds (an older
file's memberships stay when a newer file moves the practice), and ``Practice.ccg`` is the
CCG of its latest membership.

ODS files state no extract date: the latest date in the file is taken as its date
(``Practice.ods_file_date``). A file older than the one a practice's details came from adds
the memberships the newer file does not cover but leaves the practice's name, address,
status and the dates of memberships the newer file gives as the newer file gave them. A CCG
none of whose open practices is still in it, and whose practices moved to another CCG, is
recorded as dissolved on the day they moved and merged into the CCG most of them moved to
(``CCG.merged_into``), whichever order the files are loaded in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from pathlib import Path

from practices.models import CCG, CCGMembership, Practice

from .base import Importer, RowError, load_ccgs, load_practices, majority
from .columns import ReferenceFileError, Row, Table, parse_date, read_positional
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
    "telephone", "status", "open_date", "close_date", "ccg", "ods_file_date",
]  # fmt: skip
DATE_FIELDS = ("open_date", "close_date", "join_date", "left_date")
ODS_DATE = re.compile(r"^(19|20)\d{6}$")


def file_date(table: Table) -> dt.date | None:
    """The latest date the file names (ODS dates, YYYYMMDD, sort as text)."""
    latest = max((row[f] for row in table.rows for f in DATE_FIELDS if ODS_DATE.match(row[f])), default="")
    try:
        return parse_date(latest) if latest else None
    except ValueError:
        return None


def check_shape(table: Table) -> None:
    """Refuse a 27-column file that is not epraccur (another ODS file, or the columns moved)."""
    first = next(iter(table.rows))
    problems = []
    if first["status"].upper() not in STATUSES:
        problems.append(f"column 13 (Status Code) reads '{first['status']}', not A, C, D or P")
    if first["open_date"] and not ODS_DATE.match(first["open_date"]):
        problems.append(f"column 11 (Open Date) reads '{first['open_date']}', not a date such as 19740401")
    if not first["prescribing_setting"].isdigit():
        problems.append(f"column 26 (Prescribing Setting) reads '{first['prescribing_setting']}', not a number")
    if problems:
        raise ReferenceFileError(
            f"{table.path.name} has 27 columns but is not laid out as ODS epraccur: on line {first.line} "
            + "; ".join(problems)
            + "."
        )


class EpraccurImporter(Importer):
    dataset = "epraccur"
    description = "ODS GP practices (epraccur.csv, no header row)"

    def read(self, path: Path) -> Table:
        table = read_positional(path, [name for name, _ in FIELDS], header_names=["Organisation Code", "Code"])
        table.headings = {name: f"{label} (column {i})" for i, (name, label) in enumerate(FIELDS, 1)}
        check_shape(table)
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
        dated = file_date(table)
        report.notes.append(
            "Recognised by its shape as ODS epraccur (27 columns, no header row). The file states no extract date;"
            + (f" its latest date, {dated:%-d %B %Y}, is taken as its date." if dated else " it names no dates.")
        )
        ccgs = load_ccgs(["name", "merged_into", "dissolved_on"])
        for ccg in ccgs.by_key.values():
            if ccg.merged_into_id:
                ccg.merged_into = ccgs.by_pk[ccg.merged_into_id]
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
        older = 0
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
            practice = practices.get(code)
            older_file = bool(practice and dated and practice.ods_file_date and practice.ods_file_date > dated)
            if practice is None:
                practice = practices.add(Practice(ccg=ccg, ods_file_date=dated, **values))
            elif older_file:
                older += 1  # a newer file gave its details: keep them, add only this file's memberships
            else:
                for name, value in values.items():
                    setattr(practice, name, value)
                practice.ods_file_date = dated
            spans = spans_of[code]
            place_span(
                spans, group_field="ccg", group=ccg, start=clean["join_date"], end=clean["left_date"], exact=True,
                keep=older_file,
                make=lambda p=practice, c=ccg, s=clean["join_date"], e=clean["left_date"]: memberships.add(
                    CCGMembership(practice=p, ccg=c, start_date=s, end_date=e)
                ),
            )  # fmt: skip
            close_spans(spans, group_field="ccg")
            practice.ccg = latest_span(spans).ccg
            rows.append((practice, spans))

        if older:
            report.notes.append(
                f"{older:,} practices have details from a newer ODS file: their name, address and status were kept;"
                " this file's CCG memberships were added."
            )
        self.record_dissolved(ccgs, practices, spans_of)
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

    def record_dissolved(self, ccgs, practices, spans_of: dict[str, list[CCGMembership]]) -> None:
        """Mark each CCG that its open practices have all left for another CCG as dissolved and merged."""
        still_in: set[int] = set()
        moved_to: dict[int, Counter] = defaultdict(Counter)
        for code, spans in spans_of.items():
            practice = practices.get(code)
            closed = practice is not None and practice.status == Practice.Status.CLOSED
            ordered = sorted(spans, key=lambda s: s.start_date)
            for span, following in zip(ordered, [*ordered[1:], None], strict=True):
                if span.end_date is None:
                    if not closed:
                        still_in.add(id(span.ccg))
                elif following is not None and following.start_date == span.end_date and following.ccg is not span.ccg:
                    moved_to[id(span.ccg)][(following.ccg.ods_code, span.end_date)] += 1
        merged = []
        for ccg in ccgs.by_key.values():
            moves = moved_to.get(id(ccg))
            if moves and id(ccg) not in still_in:
                by_ccg = Counter()
                for (code, _), n in moves.items():
                    by_ccg[code] += n
                into = ccgs.get(majority(by_ccg, key=str))
                on = max(day for (code, day) in moves if code == into.ods_code)
                if ccg.merged_into is not into or ccg.dissolved_on != on:
                    merged.append(f"{ccg.ods_code} into {into.ods_code} on {on:%-d %B %Y}")
                ccg.merged_into, ccg.dissolved_on = into, on
            elif ccg.merged_into is not None and id(ccg) in still_in:
                ccg.merged_into, ccg.dissolved_on = None, None
        if merged:
            self.report.notes.append(
                f"{len(merged)} CCGs were dissolved, their practices moving to another CCG: {', '.join(merged)}."
            )
