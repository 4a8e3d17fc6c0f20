"""Showing a background job's run (``portal.models.BackgroundJob``) on a page.

A run's page includes ``templates/portal/_job_progress.html``, which shows the status, the
current step and a progress bar. While the run goes on, htmx asks for the page again every
``JOB_POLL_SECONDS`` and swaps in the new bar; without JavaScript the page has a link to
refresh it (and refreshes itself).
"""

from __future__ import annotations

#: The run page asks again this often while a run is going.
JOB_POLL_SECONDS = 2
