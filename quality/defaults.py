"""The default scoring rules every CCG starts from, as rows a commissioner can see and an
administrator can change in the admin. Loaded by data migration, and again by
``load_default_scoring_rules()`` (a test database flush removes migration rows)."""

from __future__ import annotations


def load_default_scoring_rules(scoring_rule_model=None) -> int:
    """Create the default row of each rule that has none; returns how many were created."""
    from .scoring import RULES

    if scoring_rule_model is None:
        from .models import ScoringRule as scoring_rule_model
    have = set(scoring_rule_model.objects.filter(ccg__isnull=True).values_list("key", flat=True))
    new = [
        scoring_rule_model(ccg=None, key=str(key), enabled=True, threshold=rule.default_threshold,
                           points=rule.default_points)
        for key, rule in RULES.items()
        if str(key) not in have
    ]  # fmt: skip
    scoring_rule_model.objects.bulk_create(new)
    return len(new)
