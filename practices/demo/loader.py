"""Build the demo: the real practices of the demo CCGs from the reference files, then what
``spec.py`` adds on top (GPFV-era clusters, federations, sites, commissioning status, people).

Every step compares with what the database holds and writes only the differences, so a
second run writes nothing and adds no history. Records a person may have changed since
(memberships, sites, accounts and their passwords) are only ever created, never corrected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q, Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from practices.models import (
    CCG,
    Cluster,
    ClusterMembership,
    CommissioningStatusChange,
    Federation,
    ListSize,
    Practice,
    Role,
    Site,
    StatedPopulation,
    User,
    normalise_postcode,
)
from practices.reference import import_reference
from practices.reference.columns import Column, match_columns
from practices.reference.report import ImportReport
from practices.reference.sync import BATCH_SIZE, ModelSync

from .spec import (
    BRANCH_SITES,
    DEMO_CCG_CODES,
    DEMO_CCGS,
    DEMO_PASSWORD,
    DEMO_PEOPLE,
    GPFV_START,
    STATED_POPULATIONS,
    CCGSpec,
    ClusterSpec,
    Document,
)

REFERENCE_DIR = Path(settings.BASE_DIR) / "data" / "reference"

# The reference imports, in the order they build on each other.
REFERENCE_FILES: tuple[tuple[str, str], ...] = (
    ("qof-organisations", "qof-prevalence/ORGANISATION_REFERENCE_1819_v2.csv"),
    ("epraccur", "epraccur/epraccur.csv"),
    # The payments files straight after ODS: they add the walk-in and out-of-hours centres
    # NHS England paid (and dissolved CCGs' practices), which the list sizes then find.
    ("payments", "nhs-payments-to-general-practice/nhs-payments-gp-2016-17.csv"),
    ("payments", "nhs-payments-to-general-practice/nhs-payments-gp-2018-19.csv"),
    ("payments", "nhs-payments-to-general-practice/nhs-payments-gp-2019-20.csv"),
    ("list-sizes", "gp-reg-pat-prac-all/gp-reg-pat-prac-all.csv"),
    ("imd", "imd-by-practice/fingertips_93553_IMD2019_gp_practices.csv"),
    # The PCNs of December 2019 before the 2025 map, in the order they were published.
    ("pcn-designations", "pcn-core-list/ePCN_2019-12-04.xlsx"),
    ("practice-map", "gp-reg-pat-prac-map/gp-reg-pat-prac-map.csv"),
    # NHS Digital's appointments of the demo CCGs' areas, from March 2019 (after the map, which
    # links each CCG to the sub-ICB location whose code the 2021 release gives).
    *(
        ("appointments", f"gp-appointments-gpad/Regional_CSV_{area}.csv")
        for area in ("BedsLutonMK", "BlackCtryWBirmingham", "Dorset", "NorfolkWaveneyHCP")
    ),
    # The GP Forward View years' list sizes (see gpfv-list-sizes/PROVENANCE.md).
    ("qof-list-sizes", "gpfv-list-sizes/PREVALENCE_1617_list_sizes.csv"),
    ("qof-list-sizes", "gpfv-list-sizes/PREVALENCE_1819_v2_list_sizes.csv"),
    ("payments-list-sizes", "gpfv-list-sizes/nhs-payments-gp-2016-17-registered-patients.csv"),
    ("payments-list-sizes", "gpfv-list-sizes/nhs-payments-gp-2018-19-registered-patients.csv"),
    ("payments-list-sizes", "gpfv-list-sizes/nhs-payments-gp-2019-20-registered-patients.csv"),
)
PAYMENTS_FILE = "nhs-payments-to-general-practice/nhs-payments-gp-2018-19.csv"
PRACTICE_MAP_FILE = "gp-reg-pat-prac-map/gp-reg-pat-prac-map.csv"

# SUPPLIER_NAME in the practice map (October 2025) is the only clinical system any of our
# files holds. It is later than the GPFV years, but practices rarely change system.
CLINICAL_SYSTEMS = {"EMIS": Practice.ClinicalSystem.EMIS_WEB, "TPP": Practice.ClinicalSystem.SYSTMONE}

CHANGE_REASON = "load_demo"
T = TypeVar("T")


@dataclass
class DemoReport:
    """What one run of ``load_demo`` did: the reference imports, then the demo's own records."""

    imports: list[ImportReport] = field(default_factory=list)
    demo: ImportReport = field(default_factory=lambda: ImportReport(dataset="demo", file_name="practices/demo/spec.py"))
    accounts_created: list[str] = field(default_factory=list)
    accounts_existing: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.accounts_created) or any(r.changed_anything for r in (*self.imports, self.demo))

    def lines(self) -> list[str]:
        lines = []
        for report in self.imports:
            lines.append(report.summary())
            lines.extend(f"  {line}" for line in report.record_lines())
        demo_lines = self.demo.record_lines()
        lines.append("Demo records: " + ("; ".join(demo_lines) if demo_lines else "nothing to add or change."))
        if self.accounts_created:
            lines.append(f"Demo accounts created: {', '.join(self.accounts_created)}.")
        if self.accounts_existing:
            lines.append(
                f"Demo accounts already there, passwords left as they were: {', '.join(self.accounts_existing)}."
            )
        lines.extend(f"Note: {note}" for note in self.demo.notes)
        return lines


def load_demo(*, password: str = DEMO_PASSWORD, reference_dir: Path = REFERENCE_DIR) -> DemoReport:
    """Load or bring up to date the whole demo. Safe to run again: a second run changes nothing."""
    report = DemoReport()
    for dataset, path in REFERENCE_FILES:
        report.imports.append(import_reference(dataset, reference_dir / path, only_ccgs=set(DEMO_CCG_CODES)))
    with transaction.atomic():
        ccgs = {c.ods_code: c for c in CCG.objects.filter(ods_code__in=DEMO_CCG_CODES)}
        missing = sorted(DEMO_CCG_CODES - ccgs.keys())
        if missing:
            report.demo.notes.append(f"CCGs not in the reference files, left out: {', '.join(missing)}.")
        practices = list(Practice.objects.filter(ccg__in=ccgs.values()).order_by("ods_code"))
        placed = placement(practices, ccgs)
        set_commissioning_status(ccgs, report.demo)
        set_practice_details(practices, placed, reference_dir, report.demo)
        place_in_gpfv_clusters(practices, ccgs, placed, report.demo)
        add_stated_populations(ccgs, report.demo)
        add_sites(practices, report.demo)
        add_people(ccgs, password, report)
    return report


def cite(document: Document) -> str:
    """How a fact names its document: the title, and the file in ``../shared/seeds`` if there is one."""
    return f"{document.title} ({document.file})" if document.file else document.title


def set_commissioning_status(ccgs: Mapping[str, CCG], report: ImportReport) -> None:
    """Each demo CCG's dated commissioning statuses, as the spec (and its documents) give them."""
    sync = ModelSync(
        CommissioningStatusChange, "commissioning statuses", ["status", "source", "note"],
        CommissioningStatusChange.objects.filter(ccg__in=ccgs.values()),
        key=lambda c: (c.ccg_id, c.effective_from),
    )  # fmt: skip
    for spec in DEMO_CCGS:
        ccg = ccgs.get(spec.ods_code)
        if ccg is None:
            continue
        for status in spec.statuses:
            sync.get_or_add(
                (ccg.pk, status.effective_from), ccg=ccg, effective_from=status.effective_from,
                status=status.status, source=cite(status.document), note=status.note,
            )  # fmt: skip
    sync.write(report, reason=CHANGE_REASON)


def add_stated_populations(ccgs: Mapping[str, CCG], report: ImportReport) -> None:
    """The populations the planning documents state for the demo CCGs and their clusters."""
    clusters = {(c.ccg_id, c.name): c for c in Cluster.objects.filter(ccg__in=ccgs.values())}
    sync = ModelSync(
        StatedPopulation, "stated populations", ["population", "period", "source_file", "note"],
        StatedPopulation.objects.filter(Q(ccg__in=ccgs.values()) | Q(cluster__in=clusters.values())),
        key=lambda p: (p.ccg_id, p.cluster_id, p.source, p.as_at),
    )  # fmt: skip
    for spec in STATED_POPULATIONS:
        ccg = ccgs.get(spec.ccg)
        if ccg is None:
            continue
        cluster = clusters.get((ccg.pk, spec.cluster)) if spec.cluster else None
        if spec.cluster and cluster is None:
            report.notes.append(f"No cluster '{spec.cluster}' in {ccg}: its stated population is left out.")
            continue
        owner = {"ccg": None, "cluster": cluster} if cluster else {"ccg": ccg, "cluster": None}
        document = spec.document
        key = (owner["ccg"].pk if owner["ccg"] else None, cluster.pk if cluster else None, document.title,
               document.on)  # fmt: skip
        sync.get_or_add(
            key, **owner, population=spec.population, as_at=document.on, period=spec.period,
            source=document.title, source_file=document.file, note=spec.note,
        )  # fmt: skip
    sync.write(report, reason=CHANGE_REASON)


def set_practice_details(
    practices: list[Practice], placed: Mapping[str, ClusterSpec], reference_dir: Path, report: ImportReport
) -> None:
    """Contract type (2018-19 payments file), clinical system (practice map) and, in County
    Durham, the GP federation of each demo practice."""
    contract_types = read_codes(reference_dir / PAYMENTS_FILE, "Practice Code", "Contract Type")
    suppliers = read_codes(reference_dir / PRACTICE_MAP_FILE, "PRACTICE_CODE", "SUPPLIER_NAME")
    federations = ModelSync(Federation, "federations", [], Federation.objects.all(), key=lambda f: f.name)
    for cluster_spec in dict.fromkeys(placed.values()):
        if cluster_spec.federation:
            federations.get_or_add(cluster_spec.federation, name=cluster_spec.federation)
    federations.write(report, reason=CHANGE_REASON)
    sync = ModelSync(Practice, "practices", ["contract_type", "clinical_system", "federation"], practices, key=_ods)
    for practice in practices:
        contract_type = contract_types.get(practice.ods_code, "")
        if contract_type in Practice.ContractType.values:
            practice.contract_type = contract_type
        system = CLINICAL_SYSTEMS.get(suppliers.get(practice.ods_code, ""))
        if system:
            practice.clinical_system = system
        cluster_spec = placed.get(practice.ods_code)
        if cluster_spec and cluster_spec.federation:
            practice.federation = federations.get(cluster_spec.federation)
    sync.write(report, reason=CHANGE_REASON)


def read_codes(path: Path, code_column: str, value_column: str) -> dict[str, str]:
    """{practice code: value} from two columns of a published CSV, matched by normalised name."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    found = match_columns(list(table.columns), [Column(code_column), Column(value_column)], file_name=path.name)
    codes = table.iloc[:, found[code_column]].str.strip().str.upper()
    values = table.iloc[:, found[value_column]].str.strip().str.upper()
    return dict(zip(codes, values, strict=True))


def placement(practices: Iterable[Practice], ccgs: Mapping[str, CCG]) -> dict[str, ClusterSpec]:
    """{practice code: the GPFV cluster the spec puts it in}, for practices still open at the GPFV start."""
    by_ccg_id = {ccgs[spec.ods_code].pk: spec for spec in DEMO_CCGS if spec.ods_code in ccgs}
    placed = {}
    for practice in practices:
        spec = by_ccg_id[practice.ccg_id]
        if not spec.clusters or (practice.close_date and practice.close_date <= GPFV_START):
            continue
        cluster = cluster_for(spec, practice)
        if cluster is not None:
            placed[practice.ods_code] = cluster
    return placed


def cluster_for(spec: CCGSpec, practice: Practice) -> ClusterSpec | None:
    listed = {code: cluster for cluster in spec.clusters for code in cluster.practices}
    if listed:
        return listed.get(practice.ods_code)
    areas = {area: cluster for cluster in spec.clusters for area in cluster.postcode_areas}
    return area_of(practice.postcode, areas)


def area_of(postcode: str, areas: Mapping[str, T]) -> T | None:
    """The value for a postcode's sector (``"LU1 3"``) if there is one, else for its district (``"LU1"``)."""
    if not postcode:
        return None
    outward, _, inward = normalise_postcode(postcode).partition(" ")
    sector = f"{outward} {inward[:1]}"
    return areas.get(sector, areas.get(outward))


def place_in_gpfv_clusters(
    practices: list[Practice], ccgs: Mapping[str, CCG], placed: Mapping[str, ClusterSpec], report: ImportReport
) -> None:
    """Create the spec's clusters and a membership from the GPFV start for each practice placed.

    A membership ends when the practice closes or when its next membership (a Primary Care
    Network, from the practice map) starts. A practice already in a cluster over that span
    is left where it is.
    """
    specs = [spec for spec in DEMO_CCGS if spec.clusters and spec.ods_code in ccgs]
    clusters = ModelSync(
        Cluster,
        "clusters",
        ["kind", "stated_population"],
        Cluster.objects.filter(ccg__in=[ccgs[s.ods_code] for s in specs]),
        key=lambda c: (c.ccg_id, c.name),
    )
    for spec in specs:
        ccg = ccgs[spec.ods_code]
        for cluster_spec in spec.clusters:
            clusters.get_or_add(
                (ccg.pk, cluster_spec.name),
                ccg=ccg,
                name=cluster_spec.name,
                kind=cluster_spec.kind,
                stated_population=cluster_spec.stated_population,
            )
    clusters.write(report, reason=CHANGE_REASON)

    spans: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    for start, end, practice_id in ClusterMembership.objects.filter(practice__in=practices).values_list(
        "start_date", "end_date", "practice_id"
    ):
        spans.setdefault(practice_id, []).append((start, end))
    new = []
    for practice in practices:
        cluster_spec = placed.get(practice.ods_code)
        if cluster_spec is None:
            continue
        start = max(GPFV_START, practice.open_date or GPFV_START)
        ends = [s for s, _ in spans.get(practice.pk, []) if s > start]
        if practice.close_date:
            ends.append(practice.close_date)
        end = min(ends, default=None)
        if (end and end <= start) or any(_overlaps(span, start, end) for span in spans.get(practice.pk, [])):
            continue
        cluster = clusters.get((practice.ccg_id, cluster_spec.name))
        new.append(ClusterMembership(practice=practice, cluster=cluster, start_date=start, end_date=end))
    create_with_history(ClusterMembership, "cluster memberships", new, report)
    note_unplaced(practices, ccgs, placed, report)


def _overlaps(span: tuple[dt.date, dt.date | None], start: dt.date, end: dt.date | None) -> bool:
    span_start, span_end = span
    return (end is None or span_start < end) and (span_end is None or span_end > start)


def note_unplaced(
    practices: list[Practice], ccgs: Mapping[str, CCG], placed: Mapping[str, ClusterSpec], report: ImportReport
) -> None:
    area_ccg_ids = {ccgs[s.ods_code].pk for s in DEMO_CCGS if s.ods_code in ccgs and s.clusters}
    unplaced = [
        p.ods_code
        for p in practices
        if p.ccg_id in area_ccg_ids
        and p.ods_code not in placed
        and p.status == Practice.Status.ACTIVE
        and not p.is_closed
    ]
    listed = {code for spec in DEMO_CCGS for cluster in spec.clusters for code in cluster.practices}
    unknown = sorted(listed - {p.ods_code for p in practices})
    if unknown:
        report.notes.append(f"Practices the spec places that the reference files do not hold: {', '.join(unknown)}.")
    if unplaced:
        report.notes.append(f"Open practices in no GPFV cluster: {', '.join(unplaced)}.")


def add_sites(practices: list[Practice], report: ImportReport) -> None:
    """A main surgery at each practice's own address, and the spec's branch surgeries."""
    existing = set(Site.objects.filter(practice__in=practices).values_list("practice_id", "kind", "name"))
    has_main = {practice_id for practice_id, kind, _ in existing if kind == Site.Kind.MAIN}
    new, without_postcode = [], []
    for practice in practices:
        if practice.pk in has_main:
            continue
        if not practice.postcode:
            without_postcode.append(practice.ods_code)
            continue
        new.append(
            Site(
                practice=practice,
                name=practice.name,
                kind=Site.Kind.MAIN,
                address_line_1=practice.address_line_1,
                address_line_2=practice.address_line_2,
                town=practice.town,
                postcode=practice.postcode,
                open_date=practice.open_date,
                close_date=practice.close_date,
            )
        )
    by_code = {p.ods_code: p for p in practices}
    for branch in BRANCH_SITES:
        practice = by_code.get(branch.practice)
        if practice is None or (practice.pk, Site.Kind.BRANCH, branch.name) in existing:
            continue
        new.append(
            Site(
                practice=practice,
                name=branch.name,
                kind=Site.Kind.BRANCH,
                address_line_1=branch.address_line_1,
                town=branch.town,
                postcode=branch.postcode,
            )
        )
    create_with_history(Site, "sites", new, report)
    if without_postcode:
        report.notes.append(f"Practices with no postcode, so no main site: {', '.join(without_postcode)}.")


def add_people(ccgs: Mapping[str, CCG], password: str, report: DemoReport) -> None:
    """The demo accounts and their roles. A password is set only when its account is created."""
    practices = {
        p.ods_code: p for p in Practice.objects.filter(ods_code__in=[p.practice for p in DEMO_PEOPLE if p.practice])
    }
    roles_created = 0
    for person in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(
            username=person.username,
            defaults={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": f"{person.username}@demo.nhs.test",
                "is_staff": person.is_administrator,
                "is_superuser": person.is_administrator,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
            report.accounts_created.append(person.username)
        else:
            report.accounts_existing.append(person.username)
        organisations: list[dict] = [{"ccg": ccgs[code]} for code in person.ccgs if code in ccgs]
        if person.practice in practices:
            organisations.append({"practice": practices[person.practice]})
        if person.is_administrator:
            organisations.append({})
        if not organisations:
            report.demo.notes.append(f"{person.username} has no role: its organisation is not in the reference files.")
        for organisation in organisations:
            _, role_created = Role.objects.get_or_create(user=user, kind=person.kind, **organisation)
            roles_created += role_created
    if roles_created:
        report.demo.records["roles"]["created"] += roles_created


@dataclass(frozen=True)
class CCGOverview:
    """One demo CCG as loaded, beside the figures its planning documents gave."""

    name: str
    open_practices: int
    registered_patients: int
    stated_practices: int | None
    stated_population: int | None

    def __str__(self) -> str:
        text = f"{self.name}: {self.open_practices} open practices, {self.registered_patients:,} registered patients"
        stated = []
        if self.stated_practices:
            stated.append(f"{self.stated_practices} practices")
        if self.stated_population:
            stated.append(f"{self.stated_population:,} patients")
        return text + (f" (planning documents 2016-17: {', '.join(stated)})" if stated else "")


def ccg_overview() -> list[CCGOverview]:
    """The demo CCGs with their open practices and the latest registered list size total."""
    today = timezone.localdate()
    overview = []
    ccgs = {c.ods_code: c for c in CCG.objects.filter(ods_code__in=DEMO_CCG_CODES)}
    for spec in DEMO_CCGS:
        ccg = ccgs.get(spec.ods_code)
        if ccg is None:
            continue
        open_practices = Practice.objects.filter(ccg=ccg, status=Practice.Status.ACTIVE).open_on(today)
        latest = ListSize.objects.totals().filter(practice__ccg=ccg).order_by("-extract_date").first()
        patients = 0
        if latest:
            patients = (
                ListSize.objects.totals()
                .filter(practice__ccg=ccg, extract_date=latest.extract_date)
                .aggregate(total=Sum("patients"))["total"]
            )
        overview.append(
            CCGOverview(str(ccg), open_practices.count(), patients, spec.stated_practices, spec.stated_population)
        )
    return overview


def create_with_history(model: type[Model], label: str, objs: list[Model], report: ImportReport) -> None:
    if objs:
        bulk_create_with_history(objs, model, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON)
    report.records[label]["created"] += len(objs)


def _ods(obj) -> str:
    return obj.ods_code
