"""ODS ePCN: the Primary Care Networks designated from July 2019 and their core member practices.

The workbook (``ePCN.xlsx``, ODS, quarterly from December 2019) has a sheet of PCNs
(``PCN Details``: code, name, the CCG the PCN belongs to, open and close dates) and a sheet
of the practices in each (``PCN Core Partner Details``: the practice, its PCN, and the dates
the relationship starts and ends). Each PCN becomes a cluster of kind ``pcn`` under its CCG
(a CCG the portal lacks is created from the code and name the file gives), and each core
partner a membership of it dated as ODS dates it (the first release dates nearly all of them
1 October 2019, though PCNs began on 1 July 2019).

ODS's dates are facts: a membership of the same PCN the portal holds (for instance from the
2025 practice map) takes the file's start date. A later membership is never erased: a
practice's membership of another PCN that starts after the file's date ends this one then,
and an end date the portal holds is kept unless the file gives one. A PCN the portal
already holds keeps its name and CCG (the later practice map names PCNs as they are now).
Practices must already be in the portal (import epraccur first).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from practices.models import CCG, Cluster, ClusterMembership, Practice

from .base import Importer, RowError, load_ccgs
from .columns import Column, Table, read_sheet
from .practice_map import PCN_CODE
from .sync import ModelSync, close_spans

PCN_SHEET = "PCN Details"
PARTNER_SHEET = "PCN Core Partner Details"


@dataclass
class Workbook:
    """The two sheets of an ePCN workbook that the import reads."""

    pcns: Table
    partners: Table


def place_designation(
    spans: list, *, cluster: Cluster, start: dt.date, end: dt.date | None, make: Callable[[], ClusterMembership]
) -> ClusterMembership:
    """Record in one practice's PCN memberships that ODS dates its membership of ``cluster`` from
    ``start`` (to ``end``, if the file ends it).

    A membership of the same PCN still open on ``start``, or starting after it but before any
    membership of another PCN does, is that membership: it takes the file's start (and end,
    if given). A membership of another PCN that starts on ``start`` is taken to have been
    corrected to this one. The caller runs :func:`close_spans` afterwards.
    """
    next_elsewhere = min(
        (s.start_date for s in spans if s.cluster is not cluster and s.start_date > start), default=None
    )
    same = sorted(
        (
            s for s in spans
            if s.cluster is cluster
            and (s.end_date is None or s.end_date > start)
            and (next_elsewhere is None or s.start_date < next_elsewhere)
        ),
        key=lambda s: s.start_date,
    )  # fmt: skip
    span = same[0] if same else next((s for s in spans if s.start_date == start), None)
    if span is None:
        span = make()
        spans.append(span)
    span.cluster, span.start_date = cluster, start
    if end is not None:
        span.end_date = end
    return span


class PCNDesignationImporter(Importer):
    dataset = "pcn-designations"
    description = "ODS ePCN workbook: PCNs and their core member practices (ePCN.xlsx)"
    file_type = ".xlsx"
    pcn_columns = [
        Column("PCN Code"),
        Column("PCN Name"),
        Column(
            "Current Clinical Commissioning Group Code",
            ("Current Sub ICB Location Code", "Clinical Commissioning Group Code", "CCG Code"),
        ),
        Column("Clinical Commissioning Group Name", ("Current Sub ICB Location Name", "CCG Name")),
        Column("Close Date", ("Close Date (YYYYMMDD)",), required=False),
    ]
    partner_columns = [
        Column("Partner Organisation Code", ("Practice Code",)),
        Column("PCN Code"),
        Column("Practice Parent CCG Code", ("Practice Parent Sub ICB Location Code",), required=False),
        Column("PCN Parent CCG Code", ("PCN Parent Sub ICB Location Code",), required=False),
        Column("Practice to PCN Relationship Start Date", ("Start Date",)),
        Column("Practice to PCN Relationship End Date", ("End Date",), required=False),
    ]
    columns = [*pcn_columns, *partner_columns]
    not_imported = (
        "Open Date (YYYYMMDD)", "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4",
        "Address Line 5", "Postcode",
        "Partner Name", "Practice Parent CCG Name", "PCN Name", "PCN Parent CCG Name",
        "Practice CCG and PCN CCG match?",
    )  # fmt: skip

    def read(self, path: Path) -> Workbook:
        return Workbook(
            pcns=read_sheet(path, self.pcn_columns, sheet=PCN_SHEET),
            partners=read_sheet(path, self.partner_columns, sheet=PARTNER_SHEET),
        )

    def reject(self, sheet: str, line: int, reason: str) -> None:
        self.report.reject(line, f"sheet '{sheet}': {reason}")

    def run(self, workbook: Workbook) -> None:
        report = self.report
        self.note_columns(workbook.pcns, columns=self.pcn_columns, where=f"Sheet '{PCN_SHEET}'")
        self.note_columns(workbook.partners, columns=self.partner_columns, where=f"Sheet '{PARTNER_SHEET}'")
        ccgs = load_ccgs(["name"])
        practices = {}
        for practice in Practice.objects.only("pk", "ods_code", "ccg_id"):
            practice.ccg = ccgs.by_pk[practice.ccg_id]
            practices[practice.ods_code] = practice

        # The PCNs, by code.
        self.table = workbook.pcns
        pcns: dict[str, tuple[str, str, str, dt.date | None]] = {}
        pcn_lines: dict[str, int] = {}
        for row in workbook.pcns.rows:
            try:
                code = self.value_pcn_code(row, "PCN Code")
                name = self.value_required(row, "PCN Name", max_length=180)
                ccg_code = self.value_ccg_code(row, "Current Clinical Commissioning Group Code")
                ccg_name = self.value_required(row, "Clinical Commissioning Group Name", max_length=200)
                close_date = self.value_date(row, "Close Date")
                if code in pcn_lines:
                    raise RowError(f"{self.heading('PCN Code')} {code} appears again (first on row {pcn_lines[code]})")
            except RowError as exc:
                if self.in_scope(row["Current Clinical Commissioning Group Code"].upper()):
                    self.reject(PCN_SHEET, row.line, str(exc))
                continue
            pcn_lines[code] = row.line
            pcns[code] = (name, ccg_code, ccg_name, close_date)

        # The core partners: which practice is in which PCN, from when.
        self.table = workbook.partners
        accepted = []
        seen: dict[tuple[str, dt.date], int] = {}
        for row in workbook.partners.rows:
            practice = practices.get(row["Partner Organisation Code"].upper())
            pcn = pcns.get(row["PCN Code"].upper())
            if not self.in_scope(
                row["Practice Parent CCG Code"].upper(),
                row["PCN Parent CCG Code"].upper(),
                practice.ccg.ods_code if practice else "",
            ):
                report.count("skipped")
                continue
            try:
                code = self.value_practice_code(row, "Partner Organisation Code")
                pcn_code = self.value_pcn_code(row, "PCN Code")
                start = self.value_date(row, "Practice to PCN Relationship Start Date", required=True)
                end = self.value_date(row, "Practice to PCN Relationship End Date") or (pcn[3] if pcn else None)
                if end is not None and end <= start:
                    raise RowError(
                        f"{self.heading('Practice to PCN Relationship End Date')} {end:%d %b %Y} is not after"
                        f" {self.heading('Practice to PCN Relationship Start Date')} {start:%d %b %Y}"
                    )
                if pcn is None:
                    raise RowError(f"{self.heading('PCN Code')} {pcn_code} is not on the sheet '{PCN_SHEET}'")
                if practice is None:
                    raise RowError(
                        f"{self.heading('Partner Organisation Code')} {code} is not in the portal:"
                        " import epraccur first"
                    )
                if (code, start) in seen:
                    raise RowError(f"{code} has a second PCN from {start:%d %b %Y} (first on row {seen[code, start]})")
            except RowError as exc:
                self.reject(PARTNER_SHEET, row.line, str(exc))
                continue
            seen[code, start] = row.line
            accepted.append((practice, pcn_code, start, end))

        clusters = self.place_pcns(pcns, {pcn_code for _p, pcn_code, _s, _e in accepted}, ccgs)
        memberships = ModelSync(
            ClusterMembership, "PCN memberships", ["cluster", "start_date", "end_date"],
            ClusterMembership.objects.filter(cluster__kind=Cluster.Kind.PRIMARY_CARE_NETWORK),
            key=id,
        )  # fmt: skip
        spans_of: dict[int, list[ClusterMembership]] = defaultdict(list)
        for membership in memberships.by_key.values():
            membership.cluster = clusters.by_pk[membership.cluster_id]
            spans_of[membership.practice_id].append(membership)
        touched = []
        for practice, pcn_code, start, end in sorted(accepted, key=lambda a: (a[0].ods_code, a[2])):
            spans = spans_of[practice.pk]
            cluster = clusters.get(pcn_code)
            placed = place_designation(
                spans, cluster=cluster, start=start, end=end,
                make=lambda p=practice, c=cluster, d=start: memberships.add(
                    ClusterMembership(practice=p, cluster=c, start_date=d)
                ),
            )  # fmt: skip
            close_spans(spans, group_field="cluster")
            touched.append((placed, spans))
        for placed, spans in touched:
            if memberships.is_new(placed):
                report.count("created")
            elif any(memberships.is_changed(s) for s in spans):
                report.count("updated")
            else:
                report.count("unchanged")
        self.write(ccgs, clusters, memberships)

    def place_pcns(self, pcns: dict, used: set[str], ccgs: ModelSync) -> ModelSync:
        """The PCN clusters: those the portal holds as they are, and a new one for each PCN of
        the file that a practice imported here is in, or whose CCG is imported."""
        report = self.report
        clusters = ModelSync(
            Cluster, "PCNs", ["name", "kind", "ccg"], Cluster.objects.all(), key=lambda c: c.code or ("pk", c.pk)
        )
        for cluster in clusters.by_key.values():
            cluster.ccg = ccgs.by_pk[cluster.ccg_id]
        taken = {(c.ccg.ods_code, c.name) for c in clusters.by_key.values()}
        kept = []
        for code in sorted(pcns):
            name, ccg_code, ccg_name, _close = pcns[code]
            if code not in used and not self.in_scope(ccg_code):
                continue
            cluster = clusters.get(code)
            if cluster is not None:
                if (cluster.name, cluster.ccg.ods_code) != (name, ccg_code):
                    kept.append(code)
                continue
            ccg = ccgs.get(ccg_code)
            if ccg is None:
                ccg = ccgs.add(CCG(ods_code=ccg_code, name=ccg_name))
                report.notes.append(f"{ccg_name} ({ccg_code}) was not in the portal: added as the file names it.")
            if (ccg_code, name) in taken:
                report.notes.append(f"{ccg} already has a cluster called {name}: PCN {code} is named {name} ({code}).")
                name = f"{name} ({code})"
            taken.add((ccg_code, name))
            clusters.add(Cluster(code=code, name=name, ccg=ccg, kind=Cluster.Kind.PRIMARY_CARE_NETWORK))
        if kept:
            report.notes.append(
                f"{len(kept):,} PCNs the portal holds keep the name and CCG it holds, which differ from this file's"
                f" (a later file named them): {', '.join(kept[:20])}{' ...' if len(kept) > 20 else ''}."
            )
        return clusters

    def value_pcn_code(self, row, column: str) -> str:
        code = self.value_required(row, column).upper()
        if not PCN_CODE.match(code):
            raise RowError(f"{self.heading(column)} '{row[column]}' is not a PCN code (U and five digits)")
        return code
