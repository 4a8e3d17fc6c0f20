"""The vulnerable practice register's scoring: pure functions over plain values.

``score_practice(facts, settings)`` adds up the points of every enabled rule a practice
meets and says why, one reason per rule. The facts are gathered from stored figures by
``quality.facts``; the thresholds and points are data a commissioner edits per CCG
(``ScoringRule``), starting from the defaults below. Each rule's ``definition`` is shown
to users beside the register, so it says exactly which way the threshold cuts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .models import Domain, Rating, RuleKey


@dataclass(frozen=True)
class PracticeFacts:
    """What is known about one practice on the run date; ``None`` means not known."""

    cqc_overall: str = ""
    cqc_published: dt.date | None = None
    special_measures: bool = False
    warning_notice: bool = False
    patients_per_gp_fte: float | None = None
    share_gps_aged_55_plus: float | None = None  # 0 to 1
    longest_vacancy_months: int | None = None
    gp_headcount: int | None = None  # partners, salaried and retained GPs
    workforce_period: str = ""  # '2018/19 Q2', where the workforce figures come from
    open_list_closure: bool = False
    months_since_breach_notice: int | None = None
    missing_returns: int = 0
    online_registration_percent: float | None = None


@dataclass(frozen=True)
class RuleSetting:
    """A rule as one CCG uses it."""

    key: str
    enabled: bool = True
    threshold: Decimal | None = None
    points: int = 1


@dataclass(frozen=True)
class Reason:
    rule: str
    domain: str
    points: int
    reason: str

    def as_dict(self) -> dict:
        return {"rule": str(self.rule), "domain": str(self.domain), "points": self.points, "reason": self.reason}


@dataclass
class ScoreResult:
    score: int = 0
    by_domain: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Domain.values, 0))
    reasons: list[Reason] = field(default_factory=list)


Test = Callable[[PracticeFacts, Decimal | None], str | None]


@dataclass(frozen=True)
class Rule:
    key: str
    domain: str
    definition: str
    default_points: int
    default_threshold: Decimal | None
    unit: str
    test: Test

    @property
    def title(self) -> str:
        return RuleKey(self.key).label

    @property
    def has_threshold(self) -> bool:
        return self.default_threshold is not None


def _number(value: float | Decimal) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _cqc(rating: str) -> Test:
    def test(facts: PracticeFacts, threshold) -> str | None:
        if facts.cqc_overall != rating:
            return None
        published = f", published {facts.cqc_published.day} {facts.cqc_published:%b %Y}" if facts.cqc_published else ""
        return f"Latest CQC rating {Rating(rating).label.lower()}{published}"

    return test


def _special_measures(facts: PracticeFacts, threshold) -> str | None:
    return "In CQC special measures" if facts.special_measures else None


def _warning_notice(facts: PracticeFacts, threshold) -> str | None:
    return "A CQC warning notice is in force" if facts.warning_notice else None


def _workforce(text: str, facts: PracticeFacts) -> str:
    return f"{text} (workforce return {facts.workforce_period})" if facts.workforce_period else text


def _patients_per_gp(facts: PracticeFacts, threshold) -> str | None:
    value = facts.patients_per_gp_fte
    if value is None or threshold is None or value <= threshold:
        return None
    return _workforce(f"{_number(value)} patients per GP FTE, above {_number(threshold)}", facts)


def _gps_55_plus(facts: PracticeFacts, threshold) -> str | None:
    share = facts.share_gps_aged_55_plus
    if share is None or threshold is None or 100 * share < threshold:
        return None
    return _workforce(f"{_number(100 * share)}% of GPs aged 55 and over, at or above {_number(threshold)}%", facts)


def _long_vacancy(facts: PracticeFacts, threshold) -> str | None:
    months = facts.longest_vacancy_months
    if months is None or threshold is None or months <= threshold:
        return None
    return _workforce(f"A post vacant for {months} months, over {_number(threshold)}", facts)


def _single_handed(facts: PracticeFacts, threshold) -> str | None:
    if facts.gp_headcount != 1:
        return None
    return _workforce("A single-handed GP", facts)


def _list_closure(facts: PracticeFacts, threshold) -> str | None:
    return "A list closure application is open or a closure is in force" if facts.open_list_closure else None


def _breach_notice(facts: PracticeFacts, threshold) -> str | None:
    months = facts.months_since_breach_notice
    if months is None or threshold is None or months >= threshold:
        return None
    return f"A breach or remedial notice in the last {_number(threshold)} months"


def _missing_returns(facts: PracticeFacts, threshold) -> str | None:
    if threshold is None or facts.missing_returns < threshold:
        return None
    n = facts.missing_returns
    return f"{n} return{'' if n == 1 else 's'} overdue and not submitted in the last 12 months"


def _online_uptake(facts: PracticeFacts, threshold) -> str | None:
    value = facts.online_registration_percent
    if value is None or threshold is None or value >= threshold:
        return None
    return f"{_number(value)}% of patients registered for online services, below {_number(threshold)}%"


RULES: dict[str, Rule] = {
    rule.key: rule
    for rule in (
        Rule(RuleKey.CQC_INADEQUATE, Domain.QUALITY, "The latest published CQC overall rating is inadequate.",
             6, None, "", _cqc(Rating.INADEQUATE)),
        Rule(RuleKey.CQC_REQUIRES_IMPROVEMENT, Domain.QUALITY,
             "The latest published CQC overall rating is requires improvement.", 3, None, "",
             _cqc(Rating.REQUIRES_IMPROVEMENT)),
        Rule(RuleKey.SPECIAL_MEASURES, Domain.QUALITY, "The practice is in CQC special measures on the run date.",
             6, None, "", _special_measures),
        Rule(RuleKey.WARNING_NOTICE, Domain.QUALITY, "A CQC warning notice is in force on the run date.",
             3, None, "", _warning_notice),
        Rule(RuleKey.PATIENTS_PER_GP_FTE, Domain.WORKFORCE,
             "The list size divided by the GP FTE of the latest accepted workforce return is above the threshold.",
             3, Decimal("2500"), "patients", _patients_per_gp),
        Rule(RuleKey.GPS_AGED_55_PLUS, Domain.WORKFORCE,
             "The share of the practice's GPs aged 55 and over is at or above the threshold.",
             2, Decimal("50"), "%", _gps_55_plus),
        Rule(RuleKey.LONG_VACANCY, Domain.WORKFORCE,
             "A post has been vacant for more than the threshold, in months.", 2, Decimal("6"), "months",
             _long_vacancy),
        Rule(RuleKey.SINGLE_HANDED, Domain.WORKFORCE,
             "Exactly one GP (partner, salaried or retained) is in post.", 2, None, "", _single_handed),
        Rule(RuleKey.LIST_CLOSURE, Domain.CONTRACT,
             "A list closure application awaits a decision, or an approved closure's review date is still ahead.",
             3, None, "", _list_closure),
        Rule(RuleKey.BREACH_NOTICE, Domain.CONTRACT,
             "A breach or remedial notice was received less than the threshold, in months, before the run date.",
             3, Decimal("12"), "months", _breach_notice),
        Rule(RuleKey.MISSING_RETURNS, Domain.CONTRACT,
             "At least the threshold number of returns due in the last 12 months are overdue and not submitted.",
             2, Decimal("1"), "returns", _missing_returns),
        Rule(RuleKey.LOW_ONLINE_UPTAKE, Domain.CONTRACT,
             "The share of patients registered for online services, in the latest accepted access return, "
             "is below the threshold.", 1, Decimal("10"), "%", _online_uptake),
    )
}  # fmt: skip


def default_settings() -> dict[str, RuleSetting]:
    return {key: RuleSetting(key, True, rule.default_threshold, rule.default_points) for key, rule in RULES.items()}


def score_practice(facts: PracticeFacts, settings: Iterable[RuleSetting]) -> ScoreResult:
    """The practice's score: the points of every enabled rule it meets, with one reason each."""
    result = ScoreResult()
    for setting in settings:
        rule = RULES.get(setting.key)
        if rule is None or not setting.enabled or setting.points <= 0:
            continue
        reason = rule.test(facts, setting.threshold)
        if reason is None:
            continue
        result.score += setting.points
        result.by_domain[rule.domain] += setting.points
        result.reasons.append(Reason(rule.key, rule.domain, setting.points, reason))
    result.reasons.sort(key=lambda r: (-r.points, r.rule))
    return result
