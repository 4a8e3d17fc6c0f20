"""The dashboards' demo loader: metric values computed, one Luton board report kept, safe to run again."""

import pytest

from dashboards.demo import load_demo_dashboards
from dashboards.models import BoardReport

pytestmark = pytest.mark.django_db


def test_demo_keeps_one_luton_board_report_and_runs_again_harmlessly(luton, alice, luton_practice):
    first = load_demo_dashboards()
    assert first["board reports"] == 1
    report = BoardReport.objects.get()
    assert report.status == BoardReport.Status.DONE and report.ccg == luton
    assert report.requested_by == alice
    assert "2018/19 Q3" in report.html
    assert load_demo_dashboards()["board reports"] == 0
    assert BoardReport.objects.count() == 1
