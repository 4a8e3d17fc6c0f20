"""The demo workforce collections: a realistic mix, figures that pass their own checks, and a
second run that changes nothing."""

from returns.models import Collection, Return, Revision
from returns.services import return_check
from workforce.demo import load_demo_returns

from ..factories import ListSizeFactory, PracticeFactory


def test_demo_returns_open_three_quarters_with_a_mix_of_statuses_and_a_second_run_adds_nothing(
    alice, bob, luton, luton_practice
):
    for n in range(2, 26):
        practice = PracticeFactory(ccg=luton, ods_code=f"E81{n:03d}", name=f"Surgery {n}")
        ListSizeFactory(practice=practice, patients=4000 + 400 * n)

    assert load_demo_returns() == {"workforce collections": 3, "workforce returns": 75}

    statuses = set(Return.objects.values_list("status", flat=True))
    assert {"accepted", "submitted", "draft", "not_started"} <= statuses
    # bob's practice: last-but-one quarter accepted, the next returned, the latest to fill in.
    assert list(luton_practice.returns.order_by("collection__period_start").values_list("status", flat=True)) == [
        "accepted",
        "returned",
        "not_started",
    ]
    for revision in Revision.objects.exclude(status=Revision.Status.DRAFT).select_related("ret__collection"):
        assert not return_check(ret=revision.ret, revision=revision).errors

    assert load_demo_returns() == {"workforce collections": 0, "workforce returns": 0}
    assert Collection.objects.count() == 3
