"""Patients Registered at a GP Practice, mapping file: practice -> PCN -> sub-ICB location -> ICB.

The ICB-era map (``gp-reg-pat-prac-map.csv``, 2025) creates ICBs and sub-ICB locations,
each Primary Care Network as a cluster of kind ``pcn`` under the CCG most of its
practices belong to, and the practices' PCN memberships from the extract date. It also
records each CCG's successor: the sub-ICB location most of its practices are now in; a CCG
dissolved before (``merged_into``, from epraccur) gets the successor of the CCG it merged into.
Practices must already be in the portal (import epraccur first).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from practices.models import ICB, Cluster, ClusterMembership, Practice, SubICBLocation

from .base import Importer, RowError, load_ccgs, majority
from .columns import Column, Table
from .sync import ModelSync, close_spans, place_span

PCN_CODE = re.compile(r"^U[0-9]{5}$")
UNALLOCATED = {"U", "UNALLOCATED", ""}


class PracticeMapImporter(Importer):
    dataset = "practice-map"
    description = "Practice -> PCN -> sub-ICB location -> ICB map (gp-reg-pat-prac-map.csv)"
    columns = [
        Column("EXTRACT_DATE", ("DATE",)),
        Column("PRACTICE_CODE", ("CODE", "ORG_CODE", "PRAC_CODE")),
        Column("PCN_CODE", ()),
        Column("PCN_NAME", ()),
        Column("SUB_ICB_LOCATION_CODE", ("SUB_ICB_CODE", "SICBL_CODE", "CCG_CODE")),
        Column("SUB_ICB_LOCATION_NAME", ("SUB_ICB_NAME", "SICBL_NAME", "CCG_NAME")),
        Column(
            "ONS_SUB_ICB_LOCATION_CODE",
            ("SUB_ICB_LOCATION_ONS_CODE", "ONS_SUB_ICB_CODE", "ONS_CCG_CODE", "CCG_ONS_CODE"),
            required=False,
        ),
        Column("ICB_CODE", ()),
        Column("ICB_NAME", ()),
        Column("ONS_ICB_CODE", ("ICB_ONS_CODE",), required=False),
    ]
    not_imported = (
        "PUBLICATION", "PRACTICE_NAME", "PRACTICE_POSTCODE", "ONS_COMM_REGION_CODE", "COMM_REGION_CODE",
        "COMM_REGION_NAME", "SUPPLIER_NAME",
    )  # fmt: skip

    def run(self, table: Table) -> None:
        self.table = table
        self.note_columns(table)
        report = self.report
        icbs = ModelSync(ICB, "ICBs", ["name", "ons_code"], ICB.objects.all(), key=lambda i: i.ods_code)
        sub_icbs = ModelSync(
            SubICBLocation, "sub-ICB locations", ["name", "ons_code", "icb"], SubICBLocation.objects.all(),
            key=lambda s: s.ods_code,
        )  # fmt: skip
        for sub_icb in sub_icbs.by_key.values():
            sub_icb.icb = icbs.by_pk[sub_icb.icb_id]
        ccgs = load_ccgs(["successor"])
        for ccg in ccgs.by_key.values():
            if ccg.successor_id:
                ccg.successor = sub_icbs.by_pk[ccg.successor_id]
        practices = {}
        for practice in Practice.objects.only("pk", "ods_code", "ccg_id"):
            practice.ccg = ccgs.by_pk[practice.ccg_id]
            practices[practice.ods_code] = practice
        clusters = ModelSync(
            Cluster, "PCNs", ["name", "kind", "ccg"], Cluster.objects.all(), key=lambda c: c.code or ("pk", c.pk)
        )
        for cluster in clusters.by_key.values():
            cluster.ccg = ccgs.by_pk[cluster.ccg_id]
        memberships = ModelSync(
            ClusterMembership, "PCN memberships", ["cluster", "start_date", "end_date"],
            ClusterMembership.objects.filter(cluster__kind=Cluster.Kind.PRIMARY_CARE_NETWORK), key=id,
        )  # fmt: skip
        spans_of: dict[int, list[ClusterMembership]] = defaultdict(list)
        for membership in memberships.by_key.values():
            membership.cluster = clusters.by_pk[membership.cluster_id]
            spans_of[membership.practice_id].append(membership)

        # First pass: check rows and gather who is in which PCN and sub-ICB location.
        seen: dict[str, int] = {}
        accepted = []
        pcn_practices: dict[str, list[Practice]] = defaultdict(list)
        pcn_names: dict[str, str] = {}
        for row in table.rows:
            practice = practices.get(row["PRACTICE_CODE"].upper())
            if not self.in_scope(row["SUB_ICB_LOCATION_CODE"].upper(), practice.ccg.ods_code if practice else ""):
                report.count("skipped")
                continue
            try:
                code = self.value_practice_code(row, "PRACTICE_CODE")
                extract_date = self.value_date(row, "EXTRACT_DATE", required=True)
                pcn_code = row["PCN_CODE"].upper()
                if pcn_code in UNALLOCATED or row["PCN_NAME"].upper() == "UNALLOCATED":
                    pcn_code = ""
                elif not PCN_CODE.match(pcn_code):
                    raise RowError(
                        f"{self.heading('PCN_CODE')} '{row['PCN_CODE']}' is not a PCN code (U and five digits)"
                    )
                pcn_name = self.value_required(row, "PCN_NAME", max_length=180) if pcn_code else ""
                sub_icb_code = self.value_ccg_code(row, "SUB_ICB_LOCATION_CODE")
                sub_icb_name = self.value_required(row, "SUB_ICB_LOCATION_NAME", max_length=200)
                sub_icb_ons = self.value_ons_code(row, "ONS_SUB_ICB_LOCATION_CODE", required=False)
                icb_code = self.value_ccg_code(row, "ICB_CODE")
                icb_name = self.value_required(row, "ICB_NAME", max_length=200)
                icb_ons = self.value_ons_code(row, "ONS_ICB_CODE", required=False)
                if practice is None:
                    raise RowError(
                        f"{self.heading('PRACTICE_CODE')} {code} is not in the portal: import epraccur first"
                    )
            except RowError as exc:
                report.reject(row.line, str(exc))
                continue
            if code in seen:
                report.reject(
                    row.line, f"{self.heading('PRACTICE_CODE')} {code} appears again (first on line {seen[code]})"
                )
                continue
            seen[code] = row.line
            icb = icbs.get_or_add(icb_code, ods_code=icb_code, name=icb_name)
            if icb_ons:
                icb.ons_code = icb_ons
            sub_icb = sub_icbs.get_or_add(sub_icb_code, ods_code=sub_icb_code, name=sub_icb_name, icb=icb)
            if sub_icb_ons:
                sub_icb.ons_code = sub_icb_ons
            if pcn_code:
                pcn_practices[pcn_code].append(practice)
                pcn_names[pcn_code] = pcn_name
            accepted.append((practice, pcn_code, sub_icb, extract_date))

        # Each PCN sits under the CCG most of its practices belong to, under a name unique in that CCG.
        taken = {(c.ccg.ods_code, c.name): c for c in clusters.by_key.values()}
        for pcn_code in sorted(pcn_practices):
            ccg = ccgs.get(majority(Counter(p.ccg.ods_code for p in pcn_practices[pcn_code]), key=str))
            cluster = clusters.get(pcn_code)
            name = pcn_names[pcn_code]
            holder = taken.get((ccg.ods_code, name))
            if holder is not None and holder is not cluster:
                name = f"{name} ({pcn_code})"
                report.notes.append(
                    f"{ccg} already has a cluster called {pcn_names[pcn_code]}: PCN {pcn_code} is named {name}."
                )
            if cluster is None:
                cluster = clusters.add(
                    Cluster(code=pcn_code, name=name, ccg=ccg, kind=Cluster.Kind.PRIMARY_CARE_NETWORK)
                )
            else:
                taken.pop((cluster.ccg.ods_code, cluster.name), None)
                cluster.name, cluster.ccg, cluster.kind = name, ccg, Cluster.Kind.PRIMARY_CARE_NETWORK
            taken[(ccg.ods_code, name)] = cluster

        # PCN memberships from the extract date, and where each CCG's practices are now.
        now_in: dict[str, Counter] = defaultdict(Counter)
        touched = []
        for practice, pcn_code, sub_icb, extract_date in accepted:
            now_in[practice.ccg.ods_code][sub_icb.ods_code] += 1
            spans = spans_of[practice.pk]
            if pcn_code:
                cluster = clusters.get(pcn_code)
                placed = place_span(
                    spans, group_field="cluster", group=cluster, start=extract_date, exact=False,
                    make=lambda p=practice, c=cluster, d=extract_date: memberships.add(
                        ClusterMembership(practice=p, cluster=c, start_date=d)
                    ),
                )  # fmt: skip
                close_spans(spans, group_field="cluster")
            else:
                placed = None
                for span in spans:
                    if span.start_date < extract_date and (span.end_date is None or span.end_date > extract_date):
                        span.end_date = extract_date
            touched.append((placed, spans))
        for ccg_code, counts in now_in.items():
            ccgs.get(ccg_code).successor = sub_icbs.get(majority(counts, key=str))
        for ccg in ccgs.by_key.values():
            later, hops = ccg, 0
            while later.merged_into_id and later.ods_code not in now_in and hops < len(ccgs.by_pk):
                later, hops = ccgs.by_pk[later.merged_into_id], hops + 1
            if later is not ccg and later.ods_code in now_in:
                ccg.successor = later.successor

        for placed, spans in touched:
            if placed is not None and memberships.is_new(placed):
                report.count("created")
            elif any(memberships.is_changed(s) for s in spans):
                report.count("updated")
            else:
                report.count("unchanged")
        self.write(icbs, sub_icbs, ccgs, clusters, memberships)
