"""What the governing body sees: dashboards of a CCG and a cluster, the practice profile,
board reports kept for each meeting, and the monthly digest to commissioners.

Pages only read stored rows: plans, trajectories, returns, funding and workforce/access
figures that Celery jobs computed when returns were accepted, and the metric values of
the metrics engine. Every chart is drawn from the same ``Table`` its page shows beside
it and offers as CSV (``dashboards.tables``), so the numbers cannot differ.

- CCG dashboard: ``dashboards:ccg`` (/dashboard/ccg/<pk>/?period=2018-10-01&cluster=<id>)
- Cluster dashboard: ``dashboards:cluster`` (/dashboard/cluster/<pk>/?period=...)
- Practice profile: ``dashboards:practice_profile`` (/dashboard/practice/<pk>/), built from
  the sections registered with ``portal.profile.register_section``
- Board reports: ``dashboards:report_list`` / ``report_detail``; made by the Celery job
  ``dashboards.tasks.generate_board_report`` and kept as HTML and as an A4 PDF printed by
  headless Chromium (``dashboards.pdf``); ``report_pdf`` downloads the PDF
- Monthly digest: ``dashboards.tasks.send_monthly_digests`` (Celery beat, the 1st of the month)
"""
