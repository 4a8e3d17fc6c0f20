"""Appointments in General Practice (NHS Digital, "GPAD"): the CCG-level monthly CSV.

NHS Digital publishes, from March 2019, one row per commissioner, month, appointment
status (Attended, DNA, Unknown), staff type (GP, Other Practice staff, Unknown), mode
(Face-to-Face, Telephone, Video/Online, Home Visit, Unknown) and time from booking to
appointment, with the count of appointments. Each figure is stored as published, under the
commissioner code the file gives (``access.PublishedAppointments``), so nothing of the file
is summed away; the pages add them up.

The releases of 2021 give the CCGs of April 2021: the merged CCGs (D2P2L, M1J4Y, 26A, ...)
stand for their predecessors, months before the merger included. Such a code is kept as it
is; ``access.published`` says which of the portal's CCGs it covers (those with that code,
and those whose successor sub-ICB location has it). ``only_ccgs`` takes either the code
itself or the code of a CCG it covers. Later releases call the code SUB_ICB_LOCATION_CODE
and spell the month APPOINTMENT_MONTH; both are read. Running the same file again changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from practices.models import CCG
from practices.reference.base import Importer, RowError
from practices.reference.columns import Column, Table
from practices.reference.sync import ModelSync

from .models import PublishedAppointments
from .published import MERGERS

Status = PublishedAppointments.Status
Mode = PublishedAppointments.Mode

#: Each published spelling (lower case, letters only) and what it is.
STATUSES = {"attended": Status.ATTENDED, "dna": Status.DNA, "didnotattend": Status.DNA, "unknown": Status.UNKNOWN}
MODES = {
    "facetoface": Mode.FACE_TO_FACE,
    "telephone": Mode.TELEPHONE,
    "videoonline": Mode.ONLINE,
    "videoconferenceonline": Mode.ONLINE,
    "online": Mode.ONLINE,
    "homevisit": Mode.HOME_VISIT,
    "unknown": Mode.UNKNOWN,
}
MONTHS = {name: number for number, name in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1
)}  # fmt: skip
MONTH_STYLES = (
    re.compile(r"^(?P<month>[A-Z]{3})[- ]?(?P<year>\d{4})$"),  # MAR2019, Mar-2019
    re.compile(r"^(?P<month>[A-Z]{3})[- ](?P<year>\d{2})$"),  # Mar-19
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})(-01)?$"),  # 2019-03, 2019-03-01
)
FIRST_MONTH = dt.date(2018, 1, 1)


def letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def parse_month(text: str) -> dt.date:
    """The first day of the month 'MAR2019', 'Mar-19' or '2019-03' names."""
    value = text.strip().upper()
    for style in MONTH_STYLES:
        match = style.match(value)
        if not match:
            continue
        month = match["month"]
        number = MONTHS.get(month) if month.isalpha() else int(month)
        year = int(match["year"])
        year = 2000 + year if year < 100 else year
        if number and 1 <= number <= 12:
            return dt.date(year, number, 1)
    raise ValueError(f"'{text}' is not a month such as MAR2019")


def coverage() -> dict[str, set[str]]:
    """Each commissioner code a file may give, and the codes of the CCGs it covers: a CCG's own
    code covers it, a merged CCG's code its former CCGs (``access.published.MERGERS``), and a
    sub-ICB location's code the CCGs the practice map says it took over."""
    covered: dict[str, set[str]] = {code: set(before) for code, before in MERGERS.items()}
    for code, successor in CCG.objects.values_list("ods_code", "successor__ods_code"):
        covered.setdefault(code, set()).add(code)
        if successor:
            covered.setdefault(successor, set()).add(code)
    return covered


class AppointmentsImporter(Importer):
    dataset = "appointments"
    description = "Appointments in General Practice, CCG level, monthly (NHS Digital, from March 2019)"
    columns = [
        Column("CCG_CODE", ("SUB_ICB_LOCATION_CODE", "COMMISSIONER_CODE")),
        Column("CCG_NAME", ("SUB_ICB_LOCATION_NAME", "COMMISSIONER_NAME")),
        Column("Appointment_Month", ("APPOINTMENT_MONTH", "APPOINTMENT_MONTH_START_DATE")),
        Column("APPT_STATUS", ("APPOINTMENT_STATUS",)),
        Column("HCP_TYPE", ("HEALTHCARE_PROFESSIONAL_TYPE",)),
        Column("APPT_MODE", ("APPOINTMENT_MODE",)),
        Column("TIME_BETWEEN_BOOK_AND_APPT", ("TIME_BETWEEN_BOOKING_AND_APPOINTMENT",)),
        Column("COUNT_OF_APPOINTMENTS", ("COUNT_OF_APPTS",)),
    ]
    not_imported = (
        "CCG_ONS_CODE", "STP_ONS", "STPNM", "REGION_ONS_CODE", "REGION_NAME", "SUB_ICB_LOCATION_ONS_CODE",
        "ICB_ONS_CODE", "ICB_NAME", "ICB_CODE", "REGION_CODE",
    )  # fmt: skip

    def run(self, table: Table) -> None:
        self.table = table
        report = self.report
        self.note_columns(table)
        covered = coverage()
        parsed: dict[tuple, list] = {}
        for row in table.rows:
            raw_code = row["CCG_CODE"].upper()
            if self.only_ccgs is not None and not self.in_scope(raw_code, *covered.get(raw_code, ())):
                report.count("skipped")
                continue
            try:
                code = self.value_ccg_code(row, "CCG_CODE")
                name = self.value_required(row, "CCG_NAME", max_length=200)
                month = self.value_month(row)
                status = self.value_choice(row, "APPT_STATUS", STATUSES)
                mode = self.value_choice(row, "APPT_MODE", MODES)
                staff = self.value_required(row, "HCP_TYPE", max_length=40)
                wait = " ".join(self.value_required(row, "TIME_BETWEEN_BOOK_AND_APPT", max_length=40).split())
                count = self.value_count(row, "COUNT_OF_APPOINTMENTS")
            except RowError as exc:
                report.reject(row.line, str(exc))
                continue
            key = (code, month, status, staff, mode, wait)
            if key in parsed:
                # A merged CCG's months before its merger: one row per predecessor under the merged code.
                parsed[key][1] += count
                parsed[key][2] += 1
            else:
                parsed[key] = [name, count, 1]
        summed = sum(rows - 1 for _, _, rows in parsed.values() if rows > 1)
        if summed:
            merged = sorted({key[0] for key, (_, _, rows) in parsed.items() if rows > 1})
            report.notes.append(
                f"{summed:,} rows give a figure of the same code, month, status, staff type, mode and time from"
                f" booking as another row ({', '.join(merged)}: the predecessor CCGs' figures, published under the"
                " merged CCG's code for the months before the merger); they are added together."
            )

        unlinked = sorted({key[0] for key in parsed} - set(covered))
        if unlinked:
            report.notes.append(
                f"No CCG in the portal has or was taken over by {', '.join(unlinked)}: their figures are kept under"
                " the code the file gives and shown once a CCG is linked to it (import the practice map)."
            )
        codes = {key[0] for key in parsed}
        figures = ModelSync(
            PublishedAppointments, "published appointment figures", ["ccg_name", "appointments", "source_file"],
            PublishedAppointments.objects.filter(ccg_code__in=codes),
            key=lambda f: (f.ccg_code, f.month, f.status, f.staff_type, f.mode, f.time_from_booking),
        )  # fmt: skip
        for key, (name, count, rows) in parsed.items():
            code, month, status, staff, mode, wait = key
            record = figures.get_or_add(
                key, ccg_code=code, ccg_name=name, month=month, status=status, staff_type=staff, mode=mode,
                time_from_booking=wait, appointments=count, source_file=report.file_name,
            )  # fmt: skip
            for _ in range(rows):
                report.count(figures.outcome(record))
        self.write(figures)
        if parsed:
            months = sorted({key[1] for key in parsed})
            report.notes.append(
                f"Months {months[0]:%B %Y} to {months[-1]:%B %Y}; "
                f"{sum(count for _, count, _ in parsed.values()):,} appointments in all."
            )

    def value_month(self, row) -> dt.date:
        text = self.value_required(row, "Appointment_Month")
        try:
            month = parse_month(text)
        except ValueError as exc:
            raise RowError(f"{self.heading('Appointment_Month')} {exc}") from None
        if month < FIRST_MONTH or month > timezone.localdate().replace(day=1):
            raise RowError(f"{self.heading('Appointment_Month')} '{text}' is outside the months NHS Digital publishes")
        return month

    def value_choice(self, row, column: str, choices: dict) -> str:
        text = self.value_required(row, column)
        try:
            return choices[letters(text)]
        except KeyError:
            known = ", ".join(sorted({c.label for c in choices.values()}))
            raise RowError(f"{self.heading(column)} '{text}' is not one of the published values ({known})") from None
