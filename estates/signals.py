"""Queue a CCG's capacity refresh when anything its capacity is computed from changes.

Signals, not calls in each view, because sites and cluster memberships are also edited on
the practice pages and in the admin. Bulk imports send no signals: the nightly job covers them.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from practices.models import ClusterMembership, Site

from .models import EstatesSettings, HousingGrowth, Premises, Scheme, SiteOccupancy
from .services import capacity_refresh_later


def _ccg_of(instance) -> int | None:
    if isinstance(instance, Site):
        return instance.practice.ccg_id
    if isinstance(instance, Premises | SiteOccupancy):
        return instance.site.practice.ccg_id
    if isinstance(instance, HousingGrowth | ClusterMembership):
        return instance.cluster.ccg_id
    return getattr(instance, "ccg_id", None)


@receiver(post_save, sender=Site)
@receiver(post_save, sender=Premises)
@receiver(post_save, sender=SiteOccupancy)
@receiver(post_save, sender=HousingGrowth)
@receiver(post_save, sender=EstatesSettings)
@receiver(post_save, sender=Scheme)
@receiver(post_save, sender=ClusterMembership)
@receiver(post_delete, sender=SiteOccupancy)
@receiver(post_delete, sender=HousingGrowth)
def capacity_inputs_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    capacity_refresh_later(ccg_id=_ccg_of(instance))
