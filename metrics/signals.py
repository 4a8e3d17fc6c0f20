"""What the metrics app tells the apps above it, so that it never imports them."""

from django.dispatch import Signal

#: Sent by ``metrics.tasks`` when a recompute has written its values, with ``run`` (the
#: ``RecomputeRun``) and ``written`` (values written). The quality register rescores on it.
recompute_finished = Signal()
