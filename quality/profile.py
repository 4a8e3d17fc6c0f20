"""The quality sections of the practice profile (``portal.profile``), each with its own
visibility rule. A section returns ``None`` for a person who may not see it; each runs a
fixed handful of queries."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from .models import Concern, ContractEvent, SupportOffer, VulnerabilityScore
from .prevalence import practice_prevalence
from .scoring import RULES
from .visibility import cqc_enforcements_for, cqc_inspections_for

SCORE_HISTORY_SHOWN = 6
EVENTS_SHOWN = 10


def cqc_context(practice, user) -> dict | None:
    if not user.has_perm("quality.view_cqc", practice):
        return None
    today = timezone.localdate()
    enforcements = list(cqc_enforcements_for(user).filter(practice=practice))
    return {
        "inspections": list(cqc_inspections_for(user).filter(practice=practice).order_by("-publication_date")),
        "enforcements": enforcements,
        "in_force": [e for e in enforcements if e.in_force_on(today)],
        "can_change": user.has_perm("quality.change_cqc", practice),
    }


def prevalence_context(practice, user) -> dict | None:
    if not user.has_perm("practices.view_practice", practice):
        return None
    prevalence = practice_prevalence(practice)
    return {"year": prevalence.year, "lines": prevalence.lines, "year_ccg": prevalence.ccg}


def vulnerability_context(practice, user) -> dict | None:
    """Commissioners and the governing body; never the practice's own managers."""
    if not user.has_perm("quality.view_register", practice):
        return None
    scores = list(VulnerabilityScore.objects.filter(practice=practice).order_by("-run_date")[:SCORE_HISTORY_SHOWN])
    latest = scores[0] if scores else None
    return {
        "latest": latest,
        "scores": scores,
        "rule_titles": {key: rule.title for key, rule in RULES.items()},
        "offers": list(SupportOffer.objects.filter(practice=practice)),
        "can_offer": user.has_perm("quality.add_support_offer", practice),
    }


def contract_events_context(practice, user) -> dict | None:
    """Commissioners and the practice's own managers see the events; the governing body counts."""
    if user.has_perm("quality.view_contract_events", practice):
        events = ContractEvent.objects.filter(practice=practice)
        return {
            "events": list(events[:EVENTS_SHOWN]),
            "total": events.count(),
            "can_change": user.has_perm("quality.change_contract_event", practice),
        }
    if user.has_perm("quality.view_counts", practice):
        counts = ContractEvent.objects.filter(practice=practice).aggregate(
            total=Count("pk"), undecided=Count("pk", filter=Q(decision=ContractEvent.Decision.PENDING))
        )
        return {"counts_only": True, **counts}
    return None


def concerns_context(practice, user) -> dict | None:
    """The text for the CCG's commissioners; counts for the governing body; nothing for the practice."""
    if user.has_perm("quality.view_concerns", practice):
        return {
            "concerns": list(Concern.objects.filter(practice=practice)),
            "can_change": user.has_perm("quality.change_concern", practice),
        }
    if user.has_perm("quality.view_counts", practice):
        counts = Concern.objects.filter(practice=practice).aggregate(
            total=Count("pk"), open=Count("pk", filter=~Q(status=Concern.Status.CLOSED))
        )
        return {"counts_only": True, **counts}
    return None


def register_sections() -> None:
    from portal.profile import register_section

    register_section(
        "cqc", title="CQC inspections", template="quality/_profile_cqc.html", order=40, context=cqc_context
    )
    register_section(
        "prevalence",
        title="Disease prevalence (QOF)",
        template="quality/_profile_prevalence.html",
        order=45,
        context=prevalence_context,
    )
    register_section(
        "vulnerability",
        title="Vulnerability score",
        template="quality/_profile_vulnerability.html",
        order=50,
        context=vulnerability_context,
    )
    register_section(
        "contract_events",
        title="Contract events",
        template="quality/_profile_contract_events.html",
        order=55,
        context=contract_events_context,
    )
    register_section("concerns", title="Shared risk log concerns", template="quality/_profile_concerns.html",
                     order=57, context=concerns_context)  # fmt: skip
