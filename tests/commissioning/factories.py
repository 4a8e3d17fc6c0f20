import datetime as dt

import factory
from factory.django import DjangoModelFactory

from commissioning.models import Action, Chapter, Plan, PlanVersion, Risk, TaskAndFinishGroup, Trajectory
from tests.factories import CCGFactory


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan
        skip_postgeneration_save = True

    ccg = factory.SubFactory(CCGFactory)
    title = "GP Forward View plan"
    first_year = 2017
    last_year = 2018
    version = factory.RelatedFactory("tests.commissioning.factories.PlanVersionFactory", factory_related_name="plan")


class PlanVersionFactory(DjangoModelFactory):
    class Meta:
        model = PlanVersion

    plan = factory.SubFactory(PlanFactory, version=None)
    number = 1


class TaskGroupFactory(DjangoModelFactory):
    class Meta:
        model = TaskAndFinishGroup

    ccg = factory.SubFactory(CCGFactory)
    name = factory.Sequence(lambda n: f"Task and finish group {n}")


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    local_code = factory.Sequence(lambda n: f"PC{n:02d}")
    title = factory.Sequence(lambda n: f"Local action {n}")
    chapter = factory.LazyFunction(lambda: Chapter.objects.get(code="workforce"))
    start_date = dt.date(2017, 4, 1)
    due_date = dt.date(2019, 3, 31)
    status = Action.Status.IN_PROGRESS

    @factory.post_generation
    def status_recorded_on(obj, create, extracted, **kwargs):
        """Record the made status as in force from ``status_recorded_on`` (default 1 April 2016,
        before any plan), as every write path does; pass ``False`` to record none."""
        if create and extracted is not False:
            from commissioning.services import action_status_record

            action_status_record(action=obj, effective_on=extracted or dt.date(2016, 4, 1), user=None)


class RiskFactory(DjangoModelFactory):
    class Meta:
        model = Risk

    plan = factory.SubFactory(PlanFactory)
    reference = factory.Sequence(lambda n: f"R{n:02d}")
    description = "GP recruitment does not keep pace with retirements"
    owner = "Head of Primary Care"
    likelihood = 3
    impact = 4


class TrajectoryFactory(DjangoModelFactory):
    class Meta:
        model = Trajectory

    action = factory.SubFactory(ActionFactory)
    measure = "Extended access coverage"
    unit = Trajectory.Unit.PERCENT
