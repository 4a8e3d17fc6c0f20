"""The metrics engine: every workforce and access metric, computed by Celery into stored rows.

Views never compute a metric: they read ``MetricValue`` rows. What each metric means
(numerator, denominator, source, caveats, unit, target, which way is better) is kept in
``metrics.definitions.METRICS`` and shown at /metrics/definitions/ (``metrics:definitions``;
the partial ``templates/metrics/_definitions.html`` takes ``metrics`` and ``rules``).

Reading values (``metrics.models``)
-----------------------------------
One row = one metric, one organisation, one period::

    from metrics.models import Level, MetricValue, MetricDeciles

    MetricValue.objects.for_ccg(ccg).metric("gp_fte_per_1000").period(dt.date(2018, 4, 1))
    MetricValue.objects.in_ccg(ccg).practices().metric("dna_rate").period(p).with_organisation()
    MetricValue.objects.for_practice(practice).metric(["gp_fte_per_1000", "nurse_fte_per_1000"]).quarterly()
    MetricValue.objects.of(cluster_or_ccg_or_stp_or_practice).metric(code).between(first, last)
    MetricValue.objects.in_stp(stp).ccgs().metric(code).period(p)
    MetricValue.objects.in_cluster(cluster, on=period_last_day).metric(code).period(p)
    MetricValue.objects.metric(code).practices().benchmarked().outliers()
    MetricValue.objects.for_practices(ids).metric(code).between(first, last).latest_per_organisation()
    MetricValue.objects.metric(code).for_ccg(ccg).latest_period()      # a date or None
    MetricValue.objects.metric(code).for_ccg(ccg).periods()            # [dates], latest first
    MetricDeciles.objects.metric(code).period(p).first().deciles       # 9 numbers for chart lines

Chainable filters: ``metric(code | [codes])``, ``period(date)``, ``between(first, last)``,
``frequency(f)`` / ``quarterly()`` / ``monthly()``, ``level(l)`` / ``practices()`` /
``clusters()`` / ``ccgs()`` / ``stps()``, ``for_practice`` / ``for_practices`` / ``for_cluster`` /
``for_ccg`` / ``for_stp`` / ``of`` (the organisation's own values), ``in_ccg`` (its practices and clusters)
/ ``in_stp`` (its practices, clusters and CCGs) / ``in_cluster(cluster, on=)``,
``benchmarked()``, ``outliers()``, ``latest_per_organisation()`` (each organisation's latest
period of each metric in the selection; chain it last), ``with_organisation()`` (select_related practice, cluster,
ccg, stp: one query for a table of names).

Columns: ``metric`` (code), ``level`` (practice/cluster/ccg/stp), ``org_id``, ``practice`` /
``cluster`` / ``ccg`` / ``stp`` (the organisation itself at its level; a practice row also has
the CCG that collected its return and that CCG's STP, a cluster row its CCG and STP, a CCG
row its STP), ``frequency`` (quarterly for workforce; monthly or quarterly for access, as the
CCG collects), ``period`` (first day of the month or quarter), ``value``, ``numerator``,
``denominator``, ``practices_counted``, ``source_revision`` (a practice's) / ``source_revisions``
(an aggregate's; ``revisions`` gives either as a list), ``computed_at``,
``percentile_in_ccg``, ``percentile_national``, ``decile``, ``outlier`` ("", "high",
"low"), ``benchmark_exclusion`` ("" when benchmarked). Row helpers: ``definition``
(the ``Metric``), ``display`` ("2.31 FTE per 1,000 patients"), ``period_label``
("2018/19 Q1"), ``organisation``, ``target_met``.

Workforce metrics are quarterly, periods are quarters; access metrics follow the returns.
A period without an accepted return for a practice has no row for it. Values of a cluster,
CCG or STP are worked out from the sums of their practices' numerators and denominators.

Computing (``metrics.services`` and ``metrics.tasks``)
------------------------------------------------------
- ``metrics_recompute(*, run=None, scope=None)``: the engine (pandas, no loop over practices);
  ``scope`` limits it to some periods of an area; writes are delete-and-insert per metric
  and period in one transaction, so running it twice gives the same rows.
- ``recompute_run_start(*, user, trigger)``: a ``RecomputeRun`` queued on Celery
  (``metrics.tasks.recompute_metrics``); its page shows a progress bar.
- ``recompute_request(*, area, frequency, period)``: called by a return type's ``accepted``
  hook; records the touched period and queues ``metrics.tasks.recompute_pending`` a little
  later, so a burst of acceptances is one recompute.
- Nightly: ``metrics.tasks.recompute_all_metrics`` (Celery beat, ``metrics-nightly-recompute``).
"""
