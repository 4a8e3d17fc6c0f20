"""The measure jobs: safe to run twice, and quiet about a revision that has gone or is not accepted."""

from django.test import TestCase

from access.models import AccessMeasure
from access.tasks import compute_access_measure, rebuild_access_measures
from returns.services import return_accept, return_save, return_submit

from .conftest import good_answers


def test_the_measure_job_run_twice_keeps_one_row(access_return, bob, alice):
    return_save(ret=access_return, user=bob, values=good_answers())
    return_submit(ret=access_return, user=bob)
    with TestCase.captureOnCommitCallbacks(execute=True):
        revision = return_accept(ret=access_return, user=alice)
    assert compute_access_measure(revision.pk) == "computed"
    assert AccessMeasure.objects.filter(revision=revision).count() == 1


def test_the_measure_job_skips_a_revision_that_is_gone_or_not_accepted(access_return, bob):
    assert compute_access_measure(999_999) == "missing"
    revision = return_save(ret=access_return, user=bob, values=good_answers())
    assert compute_access_measure(revision.pk) == "not accepted"
    assert not AccessMeasure.objects.exists()


def test_the_rebuild_job_computes_every_accepted_access_return(access_return, bob, alice):
    return_save(ret=access_return, user=bob, values=good_answers())
    return_submit(ret=access_return, user=bob)
    return_accept(ret=access_return, user=alice)  # its on-commit job never runs in a test transaction
    assert not AccessMeasure.objects.exists()
    assert rebuild_access_measures() == 1
    assert rebuild_access_measures() == 1
    assert AccessMeasure.objects.count() == 1
