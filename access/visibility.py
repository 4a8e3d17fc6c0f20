"""Who may read a CCG's extended access: whoever may read the CCG's metric values.

The pages show the metrics engine's stored values for a whole CCG, the same figures the
practice profile and the API give, so they follow the one rule in ``metrics.visibility``: the
CCG's commissioners, its governing body (read-only, as on its dashboard) and administrators.
Practice managers see their own practice's figures on its profile, not the CCG's page;
another CCG's id is a 404. The link from a practice to its return shows only to those who
may open the return (``returns.visibility``).
"""

from __future__ import annotations

from django.db.models import QuerySet

from metrics.visibility import metric_ccgs_for
from practices.models import CCG


def access_ccgs_for(user) -> QuerySet[CCG]:
    return metric_ccgs_for(user)
