"""The workforce return as a kind of return on the shared collection workflow (``returns/``):
a grid of the practice's staff, one row per role, asked quarterly."""

from __future__ import annotations

from decimal import Decimal

from returns.models import Frequency
from returns.registry import register
from returns.types import GridColumn, GridReturnType, GridRow, Kind

from .checks import RULES, group_totals
from .models import AGE_BANDS, AGED_55_PLUS, ROLE_GROUP, StaffGroup, StaffRole, WorkforceLine

COLUMNS = [
    GridColumn("headcount", "Headcount", Kind.COUNT),
    GridColumn("fte", "FTE", Kind.FTE, "37.5 hours a week = 1.0"),
    *[GridColumn(name, f"Aged {label[0].lower()}{label[1:]}", Kind.COUNT) for name, label in AGE_BANDS],
    GridColumn("vacant_posts", "Vacant posts", Kind.COUNT),
    GridColumn("vacant_fte", "Vacant FTE", Kind.FTE),
    GridColumn("vacancy_months", "Months vacant", Kind.COUNT, "the longest"),
    GridColumn("joiners", "Joiners", Kind.COUNT, "in the quarter"),
    GridColumn("leavers", "Leavers", Kind.COUNT, "in the quarter"),
    GridColumn("planned_retirements", "Planned retirements", Kind.COUNT, "next 5 years"),
]


@register
class WorkforceReturn(GridReturnType):
    key = "workforce"
    name = "Workforce census"
    frequency = Frequency.QUARTERLY
    default_due_days = 15
    description = (
        "The practice's staff on the last day of the quarter, by staff group and role: headcount and FTE "
        "(1.0 FTE = 37.5 hours a week), age bands, vacancies, joiners and leavers in the quarter, and "
        "retirements planned in the next five years."
    )
    line_model = WorkforceLine
    row_field = "role"
    row_header = "Role"
    group_header = "Staff group"
    rows = [GridRow(role.value, role.label, StaffGroup(ROLE_GROUP[role.value]).label) for role in StaffRole]
    columns = COLUMNS
    rules = RULES
    content_template = "workforce/_return_content.html"

    def display(self, values) -> dict:
        context = super().display(values)
        totals = group_totals(values)
        aged = {group: 0 for group in StaffGroup.values}
        for role, cells in values.items():
            aged[ROLE_GROUP[role]] += sum(cells.get(name) or 0 for name in AGED_55_PLUS)
        summary = []
        for group in StaffGroup:
            headcount = totals[group]["headcount"]
            summary.append(
                {
                    "group": group.label,
                    "headcount": int(headcount),
                    "fte": totals[group]["fte"],
                    "aged_55_plus": aged[group],
                    "share_aged_55_plus": float(aged[group] / headcount) if headcount else None,
                }
            )
        all_heads = sum(int(row["headcount"]) for row in summary)
        all_aged = sum(row["aged_55_plus"] for row in summary)
        context["workforce_summary"] = summary
        context["workforce_total"] = {
            "headcount": all_heads,
            "fte": sum((row["fte"] for row in summary), Decimal(0)),
            "aged_55_plus": all_aged,
            "share_aged_55_plus": all_aged / all_heads if all_heads else None,
        }
        return context

    def accepted(self, revision) -> None:
        from metrics.services import recompute_request

        # The metrics engine recomputes the quarter for every practice (percentiles move too).
        recompute_request(area="workforce", frequency=self.frequency, period=revision.ret.collection.period_start)
