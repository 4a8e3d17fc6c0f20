"""Benchmark the metrics engine and the pages that read it on an England-sized data set.

    createdb -h 127.0.0.1 -U postgres portal_metrics_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_metrics_bench .venv/bin/python bench/metrics_england.py

Imports the real hierarchy from ``data/reference/`` (practices, CCGs, STPs, PCNs as clusters,
list sizes) when the database has none, then writes accepted returns straight into the tables
with COPY (bypassing the workflow): 40 quarters of workforce returns with all 20 roles and 120
months of access returns for every active practice. It first does so for about 100 practices
only, to count the queries of each page at that size, then for the rest of England. It prints:
the floor (reading the engine's rows into pandas and grouping them), the full recompute, the
recompute after one practice's return is accepted, each page's server time at the 50th and
95th percentile over the requests (caches warm), and each page's SQL queries at both sizes.
``--skip-generate`` reuses returns already generated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "reference"
REFERENCE = [
    ("epraccur", DATA / "epraccur" / "epraccur.csv"),
    ("qof-organisations", DATA / "qof-prevalence" / "ORGANISATION_REFERENCE_1819_v2.csv"),
    ("list-sizes", DATA / "gp-reg-pat-prac-all" / "gp-reg-pat-prac-all.csv"),
    ("practice-map", DATA / "gp-reg-pat-prac-map" / "gp-reg-pat-prac-map.csv"),
]
QUARTERS = 40
MONTHS = 120
FIRST_PERIOD = dt.date(2009, 4, 1)
SMALL_PORTAL = 100
REQUESTS = 200
WARM_UP = 20

# FTE per 1,000 patients of each role, roughly as the 2017 NHS Digital census had them.
ROLE_RATES = {
    "gp_partner": 0.33, "gp_salaried": 0.14, "gp_locum": 0.03, "gp_registrar": 0.04, "gp_retainer": 0.01,
    "practice_nurse": 0.24, "anp": 0.05, "nurse_specialist": 0.02, "hca": 0.13, "phlebotomist": 0.03,
    "pharmacist": 0.02, "physician_associate": 0.005, "mental_health": 0.01, "physiotherapist": 0.005,
    "paramedic": 0.005, "dpc_other": 0.02, "practice_manager": 0.1, "receptionist": 0.55,
    "medical_secretary": 0.14, "admin_other": 0.2,
}  # fmt: skip


def months_after(start: dt.date, months: int) -> dt.date:
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the benchmark measures PostgreSQL.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "localhost,testserver"
    import django
    from django.conf import settings

    django.setup()
    # No collectstatic for a benchmark: the plain storage names files as the manifest would not.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def copy_frame(frame, table: str) -> None:
    from django.db import connection

    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, header=False, na_rep="\\N")
    buffer.seek(0)
    names = ", ".join(f'"{c}"' for c in frame.columns)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)


def next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def reset_sequences(models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def generate(practices, rng) -> tuple[int, int]:
    """Accepted workforce and access returns for ``practices`` (a frame: id, ccg_id, patients)."""
    import numpy as np
    import pandas as pd
    from django.db import transaction
    from django.utils import timezone

    from access.models import AccessReturn
    from returns.models import Collection, Return, Revision
    from workforce.models import WorkforceLine

    now = timezone.now()
    quarters = [months_after(FIRST_PERIOD, 3 * i) for i in range(QUARTERS)]
    months = [months_after(FIRST_PERIOD, i) for i in range(MONTHS)]
    kinds = [("workforce", q, months_after(q, 3)) for q in quarters] + [
        ("access-monthly", m, months_after(m, 1)) for m in months
    ]
    existing = set(Collection.objects.values_list("ccg_id", "return_type", "period_start"))
    ccgs = sorted(practices["ccg_id"].unique())
    rows = [
        (ccg, kind, start, after + dt.timedelta(days=14))
        for ccg in ccgs
        for kind, start, after in kinds
        if (ccg, kind, start) not in existing
    ]
    collections = pd.DataFrame(rows, columns=["ccg_id", "return_type", "period_start", "due_date"])
    collections.insert(0, "id", np.arange(next_id(Collection), next_id(Collection) + len(collections)))
    collections["reminder_days_before"] = 7
    collections["overdue_reminder_every_days"] = 7
    collections["instructions"] = ""
    collections["opened_at"] = now
    all_collections = pd.concat(
        [
            collections[["id", "ccg_id", "return_type", "period_start"]],
            pd.DataFrame.from_records(
                Collection.objects.filter(ccg_id__in=[int(c) for c in ccgs]).values(
                    "id", "ccg_id", "return_type", "period_start"
                ),
                columns=["id", "ccg_id", "return_type", "period_start"],
            ),
        ]
    )
    returns = practices.merge(all_collections.rename(columns={"id": "collection_id"}), on="ccg_id")
    first_return, first_revision = next_id(Return), next_id(Revision)
    returns["id"] = np.arange(first_return, first_return + len(returns))
    returns["revision_id"] = np.arange(first_revision, first_revision + len(returns))
    with transaction.atomic():
        copy_frame(collections, Collection._meta.db_table)
        copy_frame(
            pd.DataFrame(
                {
                    "id": returns["id"], "collection_id": returns["collection_id"],
                    "practice_id": returns["id_practice"], "status": "accepted",
                    "first_submitted_on": returns["period_start"],
                    "accepted_revision_id": returns["revision_id"],
                }
            ),
            Return._meta.db_table,
        )  # fmt: skip
        copy_frame(
            pd.DataFrame(
                {
                    "id": returns["revision_id"], "ret_id": returns["id"], "number": 1, "status": "accepted",
                    "source": "form", "upload_name": "", "published_list_size": returns["patients"],
                    "list_size_correction_reason": "", "created_at": now, "updated_at": now, "submitted_at": now,
                    "decided_at": now, "decision_comment": "",
                }
            ),
            Revision._meta.db_table,
        )  # fmt: skip

        workforce = returns[returns["return_type"] == "workforce"]
        n = len(workforce)
        role_frames = []
        for role, rate in ROLE_RATES.items():
            fte = np.round(workforce["patients"].to_numpy() / 1000 * rate * rng.lognormal(0, 0.25, n), 2)
            headcount = np.ceil(fte * 1.3).astype(int)
            aged_60 = rng.binomial(headcount, 0.07)
            aged_55 = rng.binomial(headcount - aged_60, 0.12)
            rest = headcount - aged_60 - aged_55
            under_30 = rng.binomial(rest, 0.15)
            aged_30 = rng.binomial(rest - under_30, 0.35)
            aged_40 = rng.binomial(rest - under_30 - aged_30, 0.6)
            aged_50 = rest - under_30 - aged_30 - aged_40
            vacant = rng.binomial(1, 0.08, n)
            role_frames.append(
                pd.DataFrame(
                    {
                        "revision_id": workforce["revision_id"].to_numpy(), "role": role, "headcount": headcount,
                        "fte": fte, "age_under_30": under_30, "age_30_39": aged_30, "age_40_49": aged_40,
                        "age_50_54": aged_50, "age_55_59": aged_55, "age_60_plus": aged_60, "vacant_posts": vacant,
                        "vacant_fte": np.round(vacant * 0.8, 2), "vacancy_months": vacant * rng.integers(1, 9, n),
                        "joiners": rng.binomial(headcount, 0.04), "leavers": rng.binomial(headcount, 0.04),
                        "planned_retirements": rng.binomial(aged_55 + aged_60, 0.5),
                    }
                )
            )  # fmt: skip
        lines = pd.concat(role_frames, ignore_index=True)
        lines.insert(0, "id", np.arange(next_id(WorkforceLine), next_id(WorkforceLine) + len(lines)))
        copy_frame(lines, WorkforceLine._meta.db_table)

        access = returns[returns["return_type"] == "access-monthly"]
        n = len(access)
        patients = access["patients"].to_numpy()
        later = (access["period_start"] >= dt.date(2017, 4, 1)).to_numpy()
        choices = np.array(["practice", "group", "no"])
        weekend = np.where(later, 0.85, 0.3)

        def provision(p_offered):
            offered = rng.random(n) < p_offered
            return np.where(offered, choices[rng.integers(0, 2, n)], choices[2])

        total = np.maximum(1, (patients * 0.07 * 4.35 * rng.lognormal(0, 0.2, n)).astype(int))
        face = (total * 0.8).astype(int)
        phone = (total * 0.14).astype(int)
        online = (total * 0.02).astype(int)
        home = total - face - phone - online
        gp = (total * 0.55).astype(int)
        nurse = (total * 0.3).astype(int)
        answers = pd.DataFrame(
            {
                "revision_id": access["revision_id"].to_numpy(), "core_hours_open": 52.5,
                "weekday_extended": provision(np.where(later, 0.9, 0.5)), "saturday_extended": provision(weekend),
                "sunday_extended": provision(weekend * 0.9),
                "extended_access_minutes": (patients / 1000 * 30 * rng.lognormal(0, 0.35, n)).astype(int),
                "appointments_face_to_face": face, "appointments_telephone": phone, "appointments_online": online,
                "appointments_home_visit": home, "appointments_gp": gp, "appointments_nurse": nurse,
                "appointments_other_staff": total - gp - nurse, "appointments_dna": rng.binomial(total, 0.05),
                "online_registration_percent": np.round(rng.uniform(5, 40, n), 1),
                "eps_percent": np.round(rng.uniform(50, 95, n), 1), "ers_percent": np.round(rng.uniform(60, 100, n), 1),
                "online_consultation": rng.random(n) < 0.4,
            }
        )  # fmt: skip
        answers.insert(0, "id", np.arange(next_id(AccessReturn), next_id(AccessReturn) + n))
        copy_frame(answers, AccessReturn._meta.db_table)
    reset_sequences([Collection, Return, Revision, WorkforceLine, AccessReturn])
    return len(workforce), n


def timed(label: str, action):
    started = time.perf_counter()
    result = action()
    took = time.perf_counter() - started
    print(f"  {label:<62} {took:8.2f} s")
    return took, result


def read_and_group():
    """The floor: the rows the engine reads, read into pandas and grouped by return and staff group."""
    from access.metric_sources import load_access
    from workforce.metric_sources import load_workforce
    from workforce.models import ROLE_GROUP

    lines = load_workforce(None)
    lines["group"] = lines["role"].map(ROLE_GROUP)
    by_group = lines.groupby(["revision_id", "group"])[["fte", "headcount", "age_55_59", "age_60_plus"]].sum()
    answers = load_access(None)
    by_ccg = answers.groupby(["ccg_id", "period"])[["appointments_dna", "extended_access_minutes"]].sum()
    return len(lines) + len(answers), len(by_group) + len(by_ccg)


def page_figures(client, urls: list[str]) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, queries of the first page) over REQUESTS requests cycling through ``urls``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls[:WARM_UP]:
        assert client.get(url).status_code == 200, url
    times = []
    for i in range(REQUESTS):
        url = urls[i % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(urls[0])
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def query_counts(client, urls: dict[str, str]) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(queries)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-generate", action="store_true", help="Use the returns already in the database.")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--repeat", action="store_true", help="Time a second full recompute too.")
    parser.add_argument("--small-only", action="store_true", help="Stop after the query counts at ~100 practices.")
    args = parser.parse_args()
    setup()

    import numpy as np
    import pandas as pd
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from metrics.models import Level, MetricValue
    from metrics.services import metrics_recompute
    from practices.models import CCG, Cluster, ListSize, Practice, Role, User
    from practices.reference import import_reference
    from returns.models import Revision

    call_command("migrate", verbosity=0)
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}, {os.cpu_count()} cores")
    if not Practice.objects.exists():
        print("Importing the reference files")
        for dataset, path in REFERENCE:
            timed(f"import {dataset}", lambda dataset=dataset, path=path: import_reference(dataset, path))

    rng = np.random.default_rng(args.seed)
    practices = pd.DataFrame.from_records(
        Practice.objects.filter(status=Practice.Status.ACTIVE).values("id", "ccg_id"), columns=["id", "ccg_id"]
    )
    sizes = pd.Series(dict(ListSize.objects.totals().order_by("practice_id", "extract_date").values_list(
        "practice_id", "patients")))  # fmt: skip
    practices["patients"] = practices["id"].map(sizes)
    missing = practices["patients"].isna()
    practices.loc[missing, "patients"] = rng.integers(2000, 15000, missing.sum())
    practices["patients"] = practices["patients"].astype(int)
    practices = practices.rename(columns={"id": "id_practice"}).sort_values(["ccg_id", "id_practice"])
    # The small portal: whole CCGs, in order, until about 100 practices.
    counts = practices.groupby("ccg_id").size().cumsum()
    small_ccgs = counts[counts.shift(fill_value=0) < SMALL_PORTAL].index
    small = practices[practices["ccg_id"].isin(small_ccgs)]
    print(f"Practices: {len(practices):,} active in {practices['ccg_id'].nunique()} CCGs; "
          f"{Cluster.objects.count():,} clusters (PCNs); small portal: {len(small)} practices")  # fmt: skip

    admin, _ = User.objects.get_or_create(username="bench_admin")
    Role.objects.get_or_create(user=admin, kind=Role.Kind.ADMINISTRATOR)
    client = Client()
    client.force_login(admin)

    def page_urls(ccg_ids, practice_ids):
        ccg = int(ccg_ids[0])
        practice = int(practice_ids[0])
        latest = MetricValue.objects.metric("gp_fte_per_1000").for_ccg(ccg).latest_period()
        return {
            "CCG dashboard": reverse("dashboards:ccg", args=[ccg]),
            "practice profile": reverse("dashboards:practice_profile", args=[practice]),
            "API: CCG's practice values, one metric and quarter": f"/api/metric-values/?ccg={ccg}&level=practice"
            f"&metric=gp_fte_per_1000&period={latest}",
        }

    small_counts = None
    if not args.skip_generate:
        if Revision.objects.exists():
            print("The database already holds returns: use --skip-generate, or a fresh database.", file=sys.stderr)
            return 2
        print("\nThe small portal (about 100 practices)")
        timed(f"generate returns for {len(small)} practices", lambda: generate(small, rng))
        timed("full recompute", metrics_recompute)
        small_counts = query_counts(client, page_urls(small["ccg_id"].unique(), small["id_practice"].to_numpy()))
        for name, count in small_counts.items():
            print(f"  {name:<52} {count:>4} queries at {len(small)} practices")
        if args.small_only:
            return 0
        print("\nAll of England")
        rest = practices[~practices["ccg_id"].isin(small_ccgs)]
        took, (workforce, access) = timed(f"generate returns for {len(rest):,} more practices",
                                          lambda: generate(rest, rng))  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    kinds = Revision.objects.values_list("ret__collection__return_type")
    workforce = kinds.filter(ret__collection__return_type="workforce").count()
    access = kinds.filter(ret__collection__return_type="access-monthly").count()
    print(f"Accepted returns: {workforce:,} workforce, {access:,} access")

    print("\nTimes")
    floor, (rows, groups) = timed("floor: read the engine's rows into pandas and group them", read_and_group)
    print(f"    ({rows:,} rows read, {groups:,} groups)")
    full, outcome = timed("full recompute (replacing every value)", metrics_recompute)
    print(f"    ({outcome.values_written:,} values written; {outcome.problem_count} returns left out)")
    for name, seconds in outcome.timings.items():
        print(f"    {name:<60} {seconds:8.2f} s")
    if args.repeat:
        timed("full recompute again (idempotent: the same rows)", metrics_recompute)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE metrics_metricvalue")
    latest_quarter = MetricValue.objects.metric("gp_fte_per_1000").latest_period()
    latest_month = MetricValue.objects.metric("dna_rate").latest_period()
    one_quarter, _ = timed(
        "recompute after a workforce return is accepted (its quarter)",
        lambda: metrics_recompute(scope={"workforce": {"quarterly": [latest_quarter.isoformat()]}}),
    )
    one_month, _ = timed(
        "recompute after an access return is accepted (its month)",
        lambda: metrics_recompute(scope={"access": {"monthly": [latest_month.isoformat()]}}),
    )
    print(f"  full recompute / floor: {full / floor:.1f} (target: 3 or less)")

    print(f"\nPages, server time over {REQUESTS} requests after {WARM_UP} to warm the caches")
    ccg_ids = list(
        MetricValue.objects.ccgs().metric("gp_fte_per_1000").period(latest_quarter)
        .order_by("-practices_counted").values_list("org_id", flat=True)[:50]
    )  # fmt: skip
    practice_ids = list(
        MetricValue.objects.practices().metric("gp_fte_per_1000").period(latest_quarter)
        .order_by("org_id").values_list("org_id", flat=True)[:: max(1, len(practices) // 200)]
    )  # fmt: skip
    urls = {
        "CCG dashboard": [reverse("dashboards:ccg", args=[pk]) for pk in ccg_ids],
        "practice profile": [reverse("dashboards:practice_profile", args=[pk]) for pk in practice_ids],
        "API: CCG's practice values, one metric and quarter": [
            f"/api/metric-values/?ccg={pk}&level=practice&metric=gp_fte_per_1000&period={latest_quarter}"
            for pk in ccg_ids
        ],
    }
    for name, page in urls.items():
        p50, p95, queries = page_figures(client, page)
        print(f"  {name:<52} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {queries} queries")

    print("\nSQL queries per page")
    big_counts = query_counts(client, page_urls(small["ccg_id"].unique(), small["id_practice"].to_numpy()))
    biggest = query_counts(client, page_urls(ccg_ids, practice_ids))
    for name in big_counts:
        at_small = small_counts[name] if small_counts else "-"
        print(f"  {name:<52} {at_small!s:>4} at {len(small)} practices, {big_counts[name]:>4} at "
              f"{len(practices):,} (same CCG), {biggest[name]:>4} for the biggest CCG")  # fmt: skip
    with_values = CCG.objects.filter(pk__in=MetricValue.objects.ccgs().values("org_id")).count()
    print(
        f"\nValues stored: {MetricValue.objects.count():,} "
        f"({MetricValue.objects.filter(level=Level.PRACTICE).count():,} of practices); CCGs with values: {with_values}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
