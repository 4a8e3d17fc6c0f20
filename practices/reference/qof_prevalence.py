"""QOF disease prevalence: each practice's disease registers in one QOF year.

``PREVALENCE_1617.csv`` and ``PREVALENCE_1819_v2.csv`` (NHS Digital, Quality and Outcomes
Framework 2016-17 and 2018-19, one layout) have one row per practice and indicator group
(AF, AST, CAN, ..., 21 groups): the patients on the register and the list size of the
register's list type (TOTAL for all ages, 17OV for diabetes, 18OV, 16OV, 50OV, 30_74). Each
row becomes one ``quality.Prevalence``; a practice the portal lacks is skipped (load
epraccur or qof-organisations first). The import also stores the registers and list sizes
summed over England (every row of the file, whatever ``only_ccgs`` says) and over each CCG
of that year (``quality.PrevalenceBenchmark``): a practice counts under the CCG of the QOF
year (``practices.membership.qof_year_ccgs``: the year's organisation reference, or the
membership valid on the year's first day), never its CCG of today, so a CCG formed later
gets no figure for the year and a dissolved one keeps its own. The QOF year comes from the
publisher's file name (``..._1819_...`` is 2018-19). Prevalence is a published figure, not
an edit: it is written without history, in bulk. Running the same file again changes nothing.
"""

from __future__ import annotations

from collections import defaultdict

from practices.membership import qof_year_ccgs
from practices.models import CCG, Practice
from quality.models import Prevalence, PrevalenceBenchmark

from .base import Importer, Layout, RowError, file_headers, recognise_layout
from .columns import Column, Table
from .qof_organisations import year_label, year_start
from .sync import PlainSync

LIST_TYPE_MAX = 8
GROUP_MAX = 8
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
        recognise_layout(report, file_headers(table.path), LAYOUTS)
        report.notes.append(
            f"QOF {year_label(year)}, the year starting {year:%-d %B %Y}: CCG figures are summed under each"
            " practice's CCG of that year."
        )
        rows = Practice.objects.values_list("ods_code", "pk", "ccg__ods_code")
        practices = {code: (pk, ccg_code) for code, pk, ccg_code in rows}
        year_ccg = qof_year_ccgs(year)
        ccg_codes = dict(CCG.objects.values_list("pk", "ods_code"))
        in_scope_ids = [
            pk for pk, ccg_code in practices.values() if self.in_scope(ccg_code, ccg_codes.get(year_ccg.get(pk)))
        ]
        figures = PlainSync(
            Prevalence, "QOF prevalence figures", ["register", "list_type", "list_size"],
            Prevalence.objects.filter(year_start=year, practice_id__in=in_scope_ids) if self.only_ccgs
            else Prevalence.objects.filter(year_start=year),
            key=lambda p: (p.practice_id, p.group),
        )  # fmt: skip
        england: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        by_ccg: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        scoped_ccgs: set[int] = set()
        seen: dict[tuple[str, str], int] = {}
        outside = unpublished = 0
        without_ccg: set[str] = set()
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
            practice_id, ccg_code = known
            ccg_id = year_ccg.get(practice_id)
            scoped = self.in_scope(ccg_code, ccg_codes.get(ccg_id))
            if ccg_id is None:
                without_ccg.add(code)
            else:
                # The year's CCG sums every practice of it the portal holds, in scope or not.
                totals = by_ccg[(ccg_id, group)]
                totals[0] += register
                totals[1] += list_size
                totals[2] += 1
                if scoped:
                    scoped_ccgs.add(ccg_id)
            if not scoped:
                report.count("skipped")
                continue
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
        if without_ccg:
            report.notes.append(
                f"{len(without_ccg):,} practices had no CCG in QOF {year_label(year)} (no organisation reference of"
                f" the year and no membership on {year:%-d %B %Y}): counted in England's figures only."
            )
        self.write(figures)

        existing = PrevalenceBenchmark.objects.filter(year_start=year)
        if self.only_ccgs:
            existing = existing.filter(ccg_id__in=scoped_ccgs) | existing.filter(ccg__isnull=True)
        benchmarks = PlainSync(
            PrevalenceBenchmark, "prevalence benchmarks", ["register", "list_size", "practices"],
            existing, key=lambda b: (b.ccg_id, b.group),
        )  # fmt: skip
        for group, (register, list_size, count) in england.items():
            benchmarks.get_or_add(
                (None, group), ccg_id=None, year_start=year, group=group,
                register=register, list_size=list_size, practices=count,
            )  # fmt: skip
        wanted = {(None, group) for group in england}
        for (ccg_id, group), (register, list_size, count) in by_ccg.items():
            if ccg_id not in scoped_ccgs and self.only_ccgs:
                continue
            wanted.add((ccg_id, group))
            benchmarks.get_or_add(
                (ccg_id, group), ccg_id=ccg_id, year_start=year, group=group,
                register=register, list_size=list_size, practices=count,
            )  # fmt: skip
        # A CCG's figure of the year that no longer sums (written under another CCG of the year before).
        stale = [b.pk for key, b in benchmarks.by_key.items() if key not in wanted and b.pk is not None]
        if stale:
            PrevalenceBenchmark.objects.filter(pk__in=stale).delete()
            report.records["prevalence benchmarks"]["deleted"] += len(stale)
            report.notes.append(f"{len(stale):,} CCG figures of the year no longer sum under their CCG: removed.")
            for key in [key for key in benchmarks.by_key if key not in wanted]:
                del benchmarks.by_key[key]
        self.write(benchmarks)
