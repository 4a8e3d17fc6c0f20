"""A governing body member opens their CCG's dashboard in the browser, picks a quarter and
cluster, and reads a chart's numbers in the table beside it."""

import datetime as dt
from decimal import Decimal

from playwright.sync_api import expect

from commissioning.models import Chapter, HighImpactAction, NationalCommitment, TrajectoryPoint
from commissioning.national_frame import load_national_frame
from commissioning.services import plan_create

from ..commissioning.factories import ActionFactory, TrajectoryFactory
from ..dashboards.helpers import metric_value

Q3 = dt.date(2018, 10, 1)


def test_governing_body_member_reads_a_charts_table(live_server, sign_in, carol, luton, luton_cluster, luton_practice):
    # live_server's database is flushed between tests, which removes the migration's frame.
    load_national_frame(Chapter, NationalCommitment, HighImpactAction)
    plan = plan_create(ccg=luton, title="Luton GP Forward View plan", first_year=2017, last_year=2018)
    action = ActionFactory(plan=plan, local_code="PC01", title="GP recruitment", due_date=dt.date(2030, 3, 31))
    trajectory = TrajectoryFactory(action=action, measure="GP FTE in post", unit="fte")
    TrajectoryPoint.objects.create(trajectory=trajectory, period=Q3, planned=Decimal("10"), actual=Decimal("9"),
                                   actual_source="typed")  # fmt: skip
    south = luton_cluster.__class__.objects.create(ccg=luton, name="Luton South")
    metric_value(luton_cluster, "gp_fte_per_1000", Q3, 0.6, numerator=5.7, denominator=9500, practices_counted=1)
    metric_value(south, "gp_fte_per_1000", Q3, 0.48, numerator=5.04, denominator=10500, practices_counted=1)
    metric_value(luton, "gp_fte_per_1000", Q3, 0.537, numerator=10.74, denominator=20000, practices_counted=2)

    page = sign_in("carol")
    page.get_by_role("link", name="NHS Luton CCG dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("NHS Luton CCG dashboard")
    page.get_by_label("Quarter", exact=True).select_option(label="2018/19 Q3")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2018/19 Q3")

    workforce = page.locator("#section-workforce")
    expect(workforce.locator(".dashboard-chart .main-svg").first).to_be_visible()  # plotly drew the chart
    table = workforce.get_by_role("table", name="Workforce by cluster, 2018/19 Q3 (from accepted workforce returns)")
    north = table.get_by_role("row", name="Luton North")
    expect(north.get_by_role("cell").nth(2)).to_have_text("0.60")  # GP FTE per 1,000, to its 2 places
    expect(table.get_by_role("row", name="Luton South").get_by_role("cell").nth(2)).to_have_text("0.48")
    expect(table.get_by_role("row", name="NHS Luton CCG, all practices").get_by_role("cell").nth(1)).to_have_text(
        "20,000"
    )

    trajectories = page.locator("#section-trajectories")
    expect(trajectories.get_by_role("row", name="GP FTE in post").get_by_role("cell").last).to_have_text("Off track")
    expect(workforce.get_by_role("link", name="Download this table as CSV")).to_be_visible()

    page.get_by_label("Cluster", exact=True).select_option(label="Luton South")
    page.get_by_role("button", name="Show").click()
    table = page.locator("#section-workforce").get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(2)  # the header and Luton South
    expect(table.get_by_role("row", name="Luton South")).to_be_visible()
