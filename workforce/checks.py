"""The checks on a workforce return, as pure functions of its figures.

Errors block submission and a whole upload: FTE more than 1.5 times the headcount (over
56 hours a week each), staff in post with no FTE, age bands that do not add up to the
headcount, vacancy figures that contradict each other, more planned retirements than
staff, an empty return. Warnings need the practice manager's comment: a staff group's FTE
changed by more than 20% since the last accepted return, GP FTE per 1,000 patients outside
the range seen in English practices, no GPs at all.

Values are ``{role: {field: value}}`` as ``returns.types.GridReturnType`` gives them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from portal.rates import per_1000
from returns.validation import ERROR, WARNING, CheckContext, Finding, change_share

from .models import AGE_BANDS, ROLE_GROUP, StaffGroup, StaffRole

#: FTE may not exceed headcount times this (1.5 FTE is 56.25 hours a week).
MAX_FTE_PER_HEAD = Decimal("1.5")
#: A staff group's FTE changing by more than this share since the last accepted return.
FTE_CHANGE_LIMIT = 0.20
#: GP FTE per 1,000 registered patients outside this range is unusual in England (the
#: national figure was about 0.6 in 2017; few practices are below 0.25 or above 1.5).
GP_FTE_PER_1000_RANGE = (0.25, 1.5)


def _label(role: str) -> str:
    return StaffRole(role).label


def _number(value) -> str:
    value = Decimal(str(value))
    return f"{value.normalize():f}" if value != value.to_integral() else f"{int(value):,}"


def group_totals(values: dict) -> dict[str, dict[str, Decimal]]:
    """Headcount and FTE of each staff group."""
    totals = {group: {"headcount": Decimal(0), "fte": Decimal(0)} for group in StaffGroup.values}
    for role, cells in (values or {}).items():
        group = ROLE_GROUP.get(role)
        if group is None:
            continue
        totals[group]["headcount"] += Decimal(cells.get("headcount") or 0)
        totals[group]["fte"] += Decimal(str(cells.get("fte") or 0))
    return totals


def fte_within_headcount(ctx: CheckContext) -> Iterator[Finding]:
    for role, cells in ctx.values.items():
        headcount, fte = cells.get("headcount") or 0, Decimal(str(cells.get("fte") or 0))
        if fte > headcount * MAX_FTE_PER_HEAD:
            yield Finding(
                f"fte-over-headcount:{role}",
                f"{_label(role)}: {_number(fte)} FTE is more than 1.5 times the headcount of {headcount} "
                "(1.0 FTE is 37.5 hours a week).",
                field="fte",
                row=role,
            )
        elif headcount and not fte:
            yield Finding(
                f"no-fte:{role}",
                f"{_label(role)}: {headcount} in post but no FTE. Give their contracted hours as FTE.",
                field="fte",
                row=role,
            )


def ages_add_up(ctx: CheckContext) -> Iterator[Finding]:
    for role, cells in ctx.values.items():
        aged = sum(cells.get(name) or 0 for name, _ in AGE_BANDS)
        headcount = cells.get("headcount") or 0
        if aged != headcount:
            yield Finding(
                f"ages:{role}",
                f"{_label(role)}: the age bands add up to {aged} but the headcount is {headcount}.",
                field=AGE_BANDS[0][0],
                row=role,
            )


def vacancies_consistent(ctx: CheckContext) -> Iterator[Finding]:
    for role, cells in ctx.values.items():
        posts = cells.get("vacant_posts") or 0
        fte = Decimal(str(cells.get("vacant_fte") or 0))
        months = cells.get("vacancy_months") or 0
        if fte > posts * MAX_FTE_PER_HEAD:
            yield Finding(
                f"vacant-fte:{role}",
                f"{_label(role)}: {_number(fte)} vacant FTE is more than 1.5 times the {posts} vacant posts.",
                field="vacant_fte",
                row=role,
            )
        elif posts and not fte:
            yield Finding(
                f"vacant-no-fte:{role}",
                f"{_label(role)}: {posts} vacant post{'s' if posts != 1 else ''} but no vacant FTE.",
                field="vacant_fte",
                row=role,
            )
        if months and not posts:
            yield Finding(
                f"vacant-months:{role}",
                f"{_label(role)}: {months} months vacant but no vacant posts.",
                field="vacancy_months",
                row=role,
            )


def retirements_within_headcount(ctx: CheckContext) -> Iterator[Finding]:
    for role, cells in ctx.values.items():
        retiring, headcount = cells.get("planned_retirements") or 0, cells.get("headcount") or 0
        if retiring > headcount:
            yield Finding(
                f"retirements:{role}",
                f"{_label(role)}: {retiring} planned retirements but only {headcount} in post.",
                field="planned_retirements",
                row=role,
            )


def not_empty(ctx: CheckContext) -> Iterator[Finding]:
    if not any((cells.get("headcount") or 0) for cells in ctx.values.values()):
        yield Finding("empty", "The return has no staff in post: enter the practice's staff before submitting.")


def fte_change_since_last_return(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.previous_values:
        return
    now, before = group_totals(ctx.values), group_totals(ctx.previous_values)
    for group in StaffGroup:
        change = change_share(before[group]["fte"], now[group]["fte"])
        if change is not None and abs(change) > FTE_CHANGE_LIMIT:
            direction = "up" if change > 0 else "down"
            yield Finding(
                f"fte-change:{group.value}",
                f"{group.label}: {_number(now[group]['fte'])} FTE is {direction} {abs(change):.0%} on the last "
                f"accepted return ({_number(before[group]['fte'])} FTE). "
                f"Changes over {FTE_CHANGE_LIMIT:.0%} need a comment.",
                severity=WARNING,
            )


def gp_fte_per_1000(ctx: CheckContext) -> Iterator[Finding]:
    gp_fte = group_totals(ctx.values)[StaffGroup.GP]["fte"]
    rate = per_1000(gp_fte, ctx.list_size)
    low, high = GP_FTE_PER_1000_RANGE
    if rate is None or not gp_fte or low <= rate <= high:
        return
    yield Finding(
        "gp-fte-per-1000",
        f"GPs: {rate:.2f} FTE per 1,000 patients (on a list size of {ctx.list_size:,}) is outside the usual "
        f"range of {low} to {high}.",
        severity=WARNING,
    )


def has_gps(ctx: CheckContext) -> Iterator[Finding]:
    if not any((cells.get("headcount") or 0) for cells in ctx.values.values()):
        return
    if not group_totals(ctx.values)[StaffGroup.GP]["headcount"]:
        yield Finding("no-gp", "No GPs are recorded: is that right?", severity=WARNING)


RULES = [
    not_empty,
    fte_within_headcount,
    ages_add_up,
    vacancies_consistent,
    retirements_within_headcount,
    fte_change_since_last_return,
    gp_fte_per_1000,
    has_gps,
]

__all__ = ["RULES", "ERROR", "WARNING", "group_totals"]
