"""The rules of a stream the portal can check on a scheme, and which of them fail.

Always checked: the scheme covers practices, all of them in its CCG; it asks for money only
in years the stream runs; each year's request fits in what is left of the CCG's allocation
(allocation minus what other approved schemes committed). Then the stream's own rules
(``StreamRule``), national or the CCG's: at least N patients or practices, at most £N in a
year or £N per patient. A failed check does not stop approval: a commissioner may approve
with a recorded override reason (``services.scheme_approve``).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.money import ZERO, per_head, pounds

from .models import Scheme, StreamRule
from .selectors import Population, remaining_allocation, scheme_population


@dataclass(frozen=True)
class CheckResult:
    """One check on one scheme: ``passed`` is True, False, or None when it does not apply."""

    code: str
    title: str
    passed: bool | None
    detail: str

    @property
    def failed(self) -> bool:
        return self.passed is False

    @property
    def outcome(self) -> str:
        return {True: "Passes", False: "Fails", None: "Does not apply"}[self.passed]

    def as_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "detail": self.detail}


def scheme_checks(scheme: Scheme, *, population: Population | None = None) -> list[CheckResult]:
    """Every check on ``scheme`` as it stands, passed or not."""
    population = population or scheme_population(scheme)
    amounts = sorted(scheme.amounts.all(), key=lambda a: a.financial_year)
    stream = scheme.stream
    results = [_covers_practices(scheme, population), _practices_in_ccg(scheme)]
    if scheme.cluster_id and scheme.cluster.ccg_id != scheme.ccg_id:
        results.append(CheckResult("cluster-in-ccg", "The cluster is the CCG's", False, f"{scheme.cluster} is not."))
    results.append(_asks_for_money(amounts))
    outside = [a.year_label for a in amounts if not stream.runs_in(a.financial_year)]
    results.append(
        CheckResult(
            "stream-years",
            f"Asks only in the years {stream.label} runs ({stream.period_label})",
            not outside if amounts else None,
            f"Asks in {', '.join(outside)}, outside the stream's years." if outside else "All years are in range.",
        )
    )
    for amount in amounts:
        allocated, committed = remaining_allocation(
            stream=stream, ccg_id=scheme.ccg_id, start_year=amount.financial_year, excluding=scheme
        )
        title = f"Fits in the remaining allocation for {amount.year_label}"
        if allocated is None:
            results.append(
                CheckResult(
                    f"allocation-{amount.financial_year}",
                    title,
                    None,
                    f"No allocation of {stream.label} to the CCG is recorded for {amount.year_label}.",
                )
            )
            continue
        remaining = allocated - committed
        results.append(
            CheckResult(
                f"allocation-{amount.financial_year}",
                title,
                amount.amount <= remaining,
                f"Asks for {pounds(amount.amount)}; remaining {pounds(remaining)} "
                f"(allocated {pounds(allocated)}, committed to other approved schemes {pounds(committed)}).",
            )
        )
    rules = [r for r in stream.rules.all() if r.applies_to(scheme.ccg_id)]
    for rule in sorted(rules, key=lambda r: (r.kind, r.pk)):
        results.append(_rule_check(rule, scheme, population, amounts))
    return results


def failed_checks(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.failed]


def _covers_practices(scheme: Scheme, population: Population) -> CheckResult:
    if not population.practices:
        return CheckResult("covers-practices", "Covers at least one practice", False, "No practices are covered.")
    detail = f"{population.practices} practices, {population.patients:,} registered patients."
    if population.without_list_size:
        detail += f" No list size on or before that date for {', '.join(population.without_list_size)}."
    return CheckResult("covers-practices", "Covers at least one practice", True, detail)


def _practices_in_ccg(scheme: Scheme) -> CheckResult:
    others = [p for p in scheme.practices.all() if p.ccg_id != scheme.ccg_id]
    detail = (
        f"Not in {scheme.ccg.name}: {', '.join(p.ods_code for p in others)}."
        if others
        else "All practices are the CCG's."
    )
    return CheckResult("practices-in-ccg", "Every practice covered is the CCG's", not others, detail)


def _asks_for_money(amounts) -> CheckResult:
    total = sum((a.amount for a in amounts), ZERO)
    return CheckResult(
        "asks-for-money",
        "Says how much it asks for in each year",
        bool(amounts),
        f"{pounds(total)} over {len(amounts)} year(s)." if amounts else "No amounts requested yet.",
    )


def _rule_check(rule: StreamRule, scheme: Scheme, population: Population, amounts) -> CheckResult:
    whose = f"{rule.ccg.name}'s rule" if rule.ccg_id else "National rule"
    title = f"{whose}: {rule.summary}"
    code = f"rule-{rule.pk}"
    kind = StreamRule.Kind
    if rule.kind == kind.MIN_POPULATION:
        passed = population.patients >= rule.value
        detail = f"Covers {population.patients:,} registered patients on {population.on:%-d %b %Y}."
    elif rule.kind == kind.MIN_PRACTICES:
        passed = population.practices >= rule.value
        detail = f"Covers {population.practices} practices."
    elif rule.kind == kind.MAX_REQUEST:
        over = [a for a in amounts if a.amount > rule.value]
        passed = not over
        detail = (
            "; ".join(f"asks for {pounds(a.amount)} in {a.year_label}" for a in over)
            if over
            else "No year asks for more."
        )
    else:
        rates = [(a, per_head(a.amount, population.patients)) for a in amounts]
        if not population.patients:
            return CheckResult(code, title, False, "No registered patients to divide by.")
        over = [(a, r) for a, r in rates if r is not None and r > rule.value]
        passed = not over
        detail = "; ".join(f"{pounds(r)} per patient in {a.year_label}" for a, r in rates) or "No amounts yet."
    return CheckResult(code, title, passed, f"{detail} {rule.description}".strip())
