"""QOF disease prevalence: each practice's disease registers in one QOF year.

``PREVALENCE_1819_v2.csv`` (NHS Digital, Quality and Outcomes Framework 2018-19) has one
row per practice and indicator group (AF, AST, CAN, ..., 21 groups): the patients on the
register and the list size of the register's list type (TOTAL for all ages, 17OV for
diabetes, 18OV, 16OV, 50OV, 30_74). Each row becomes one ``quality.Prevalence``; a practice
the portal lacks is skipped (load epraccur or qof-organisations first). The import also
stores the registers and list sizes summed over England (every row of the file, whatever
``only_ccgs`` says) and over each CCG imported (``quality.PrevalenceBenchmark``), so that
a practice's prevalence is shown against its CCG and England. The QOF year comes from the
file name (``..._1819_...`` is 2018-19). Prevalence is a published figure, not an edit: it
is written without history, in bulk. Running the same file again changes nothing.
"""

from __future__ import annotations

from collections import defaultdict

from practices.models import Practice
from quality.models import Prevalence, PrevalenceBenchmark

from .base import Importer, RowError
from .columns import Column, Table
from .qof_organisations import year_start
from .report import ImportReport
from .sync import BATCH_SIZE, ModelSync

LIST_TYPE_MAX = 8
GROUP_MAX = 8


class PlainSync(ModelSync):
    """A ModelSync for published figures kept without history (a history row per figure would double the load)."""

    def write(self, report: ImportReport, *, user=None, reason: str = "") -> None:
        changed = [obj for obj in self.by_key.values() if obj.pk is not None and self.is_changed(obj)]
        if self.new:
            self.model.objects.bulk_create(self.new, batch_size=BATCH_SIZE)
        if changed:
            self.model.objects.bulk_update(changed, [f.name for f in self.fields], batch_size=BATCH_SIZE)
        report.records[self.label]["created"] += len(self.new)
        report.records[self.label]["updated"] += len(changed)
        for obj in changed:
            self.original[obj.pk] = self._values(obj)
        self.new = []


class QOFPrevalenceImporter(Importer):
    dataset = "qof-prevalence"
    description = "QOF disease prevalence (PREVALENCE_1819_v2.csv): registers and list sizes per practice"
    columns = [
        Column("PRACTICE_CODE", ("CODE", "ORG_CODE", "PRAC_CODE")),
        Column("INDICATOR_GROUP_CODE", ("GROUP_CODE", "INDICATOR_GROUP", "DISEASE_GROUP_CODE")),
        Column("REGISTER", ("REGISTER_SIZE", "DISEASE_REGISTER")),
        Column("PATIENT_LIST_TYPE", ("LIST_TYPE",), required=False),
        Column("PATIENT_LIST_SIZE", ("LIST_SIZE", "PRACTICE_LIST_SIZE")),
    ]

    def run(self, table: Table) -> None:
        self.table = table
        report = self.report
        year = year_start(report.file_name)
        report.notes.append(f"The QOF year starting {year:%-d %B %Y}.")
        practices = {
            code: (pk, ccg_id, ccg_code)
            for code, pk, ccg_id, ccg_code in Practice.objects.values_list("ods_code", "pk", "ccg_id", "ccg__ods_code")
        }
        scope_ids = [pk for pk, _, ccg_code in practices.values() if self.in_scope(ccg_code)]
        figures = PlainSync(
            Prevalence, "QOF prevalence figures", ["register", "list_type", "list_size"],
            Prevalence.objects.filter(year_start=year, practice_id__in=scope_ids) if self.only_ccgs
            else Prevalence.objects.filter(year_start=year),
            key=lambda p: (p.practice_id, p.group),
        )  # fmt: skip
        england: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        by_ccg: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        seen: dict[tuple[str, str], int] = {}
        outside = unpublished = 0
        for row in table.rows:
            if not row["REGISTER"]:
                # 19 practices of 2018-19 have no figures at all: nothing was published for them.
                unpublished += 1
                report.count("skipped")
                continue
            try:
                code = self.value_practice_code(row, "PRACTICE_CODE")
                group = self.value_required(row, "INDICATOR_GROUP_CODE", max_length=GROUP_MAX).upper()
                register = self.value_count(row, "REGISTER")
                list_size = self.value_count(row, "PATIENT_LIST_SIZE")
                list_type = self.value_text(row, "PATIENT_LIST_TYPE", max_length=LIST_TYPE_MAX).upper() or "TOTAL"
            except RowError as exc:
                report.reject(row.line, str(exc))
                continue
            if register > list_size:
                # Published so (one learning disability register of 2018-19): kept, and said.
                report.warn(row.line, f"{code} {group}: register {register:,} is more than the list size {list_size:,}")
            if (code, group) in seen:
                report.reject(row.line, f"{code} has a second {group} row (first on line {seen[(code, group)]})")
                continue
            seen[(code, group)] = row.line
            national = england[group]
            national[0] += register
            national[1] += list_size
            national[2] += 1
            known = practices.get(code)
            if known is None:
                outside += 1
                report.count("skipped")
                continue
            practice_id, ccg_id, ccg_code = known
            if not self.in_scope(ccg_code):
                report.count("skipped")
                continue
            totals = by_ccg[(ccg_id, group)]
            totals[0] += register
            totals[1] += list_size
            totals[2] += 1
            figure = figures.get_or_add(
                (practice_id, group), practice_id=practice_id, year_start=year, group=group,
                register=register, list_type=list_type, list_size=list_size,
            )  # fmt: skip
            report.count(figures.outcome(figure))
        if unpublished:
            report.notes.append(f"{unpublished:,} rows have no register (nothing published): skipped.")
        if outside:
            report.notes.append(
                f"{outside:,} rows are of practices the portal lacks: skipped, but counted in England's figures."
            )
        self.write(figures)

        benchmarks = PlainSync(
            PrevalenceBenchmark, "prevalence benchmarks", ["register", "list_size", "practices"],
            PrevalenceBenchmark.objects.filter(year_start=year), key=lambda b: (b.ccg_id, b.group),
        )  # fmt: skip
        for group, (register, list_size, count) in england.items():
            benchmarks.get_or_add(
                (None, group), ccg_id=None, year_start=year, group=group,
                register=register, list_size=list_size, practices=count,
            )  # fmt: skip
        for (ccg_id, group), (register, list_size, count) in by_ccg.items():
            benchmarks.get_or_add(
                (ccg_id, group), ccg_id=ccg_id, year_start=year, group=group,
                register=register, list_size=list_size, practices=count,
            )  # fmt: skip
        self.write(benchmarks)
