"""The one status-machine mechanism, and the four machines built on it."""

import pytest
from django.db import models

from commissioning.funding.models import SCHEME_WORKFLOW as FUNDING
from commissioning.models import PLAN_VERSION_WORKFLOW as PLAN_VERSION
from estates.models import SCHEME_WORKFLOW as PREMISES
from portal.workflow import IllegalMove, StatusMachine
from returns.services import WORKFLOW as RETURN


class Light(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


def machine(**moves):
    return StatusMachine(status=Light, moves=moves, noun="light", audit=lambda *a, **k: ("row", a, k))


def test_a_machine_must_say_where_every_status_may_go():
    with pytest.raises(ValueError, match="green"):
        machine(red={"green"}, amber={"red"})


def test_a_machine_refuses_a_move_to_an_unknown_status():
    with pytest.raises(ValueError, match="blue"):
        machine(red={"blue"}, amber=set(), green=set())


def test_next_steps_come_in_the_order_the_statuses_are_declared():
    lights = machine(red={"green", "amber"}, amber={"red"}, green=set())
    assert lights.allowed("red") == ("amber", "green")
    assert lights.can("red", "green") and not lights.can("green", "red")


class Record:
    pk = 7
    status = "red"


def test_a_move_writes_its_audit_row_then_sets_the_status():
    lights = machine(red={"green"}, amber=set(), green=set())
    record = Record()
    row = lights.move(record, "green", by="alice", note="Why", on="today")
    assert row == ("row", (record, "red", "green"), {"by": "alice", "note": "Why", "on": "today"})
    assert record.status == "green"


def test_a_refused_move_says_where_the_record_is_and_where_it_may_go_and_writes_nothing():
    written = []
    lights = StatusMachine(
        status=Light, moves={"red": {"amber", "green"}, "amber": set(), "green": set()}, noun="light",
        audit=lambda *a, **k: written.append(a),
    )  # fmt: skip
    record = Record()
    record.status = "amber"
    with pytest.raises(IllegalMove) as refused:
        lights.move(record, "green", by=None)
    assert str(refused.value) == "A light at 'Amber' cannot move to 'Green'. Next steps allowed: none."
    assert record.status == "amber" and written == []
    record.status = "red"
    with pytest.raises(IllegalMove, match="Next steps allowed: amber, green."):
        lights.check("red", "red")


def test_an_area_machine_raises_its_own_error():
    with pytest.raises(RETURN.error) as refused:
        RETURN.check("accepted", "draft")
    assert type(refused.value).__name__ == "IllegalTransition"
    assert str(refused.value) == "A return at 'Accepted' cannot move to 'Draft'. Next steps allowed: none."


# The four machines' tables, written out: a change to a workflow is a change to this test.
@pytest.mark.parametrize(
    "workflow, table",
    [
        (RETURN, {"not_started": ("draft",), "draft": ("submitted",),
                  "submitted": ("draft", "returned", "accepted"),
                  "returned": ("submitted",), "accepted": ()}),
        (PLAN_VERSION, {"draft": ("submitted",), "submitted": ("draft", "approved"), "approved": ()}),
        (FUNDING, {"draft": ("submitted",),
                   "submitted": ("draft", "approved", "approved_with_conditions", "rejected"),
                   "approved": (), "approved_with_conditions": (), "rejected": ()}),
        (PREMISES, {"idea": ("bid", "business_case", "withdrawn"), "bid": ("business_case", "withdrawn"),
                    "business_case": ("approved", "withdrawn"), "approved": ("in_build", "withdrawn"),
                    "in_build": ("open", "withdrawn"), "open": (), "withdrawn": ("idea",)}),
    ],
    ids=["return", "plan version", "funding scheme", "premises scheme"],
)  # fmt: skip
def test_each_workflow_allows_exactly_its_moves(workflow, table):
    assert dict(workflow.moves) == table
