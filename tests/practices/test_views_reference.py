"""Reference files from the browser: an administrator uploads one, the page goes at once to
the run's page, the worker imports it and the page shows what it did; nobody else may."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from practices.models import ReferenceImport

from .test_services import LIST_SIZES

pytestmark = pytest.mark.django_db


def _sizes_file() -> SimpleUploadedFile:
    lines = LIST_SIZES.read_text().splitlines()
    return SimpleUploadedFile("gp-reg-pat-prac-all.csv", ("\n".join(lines[:3]) + "\n").encode())


def _post(client, file, **data):
    return client.post(reverse("practices:reference_import"), {"dataset": "list-sizes", "file": file, **data})


def test_an_administrators_upload_is_queued_at_once_then_imported_by_the_worker(client, root):
    client.force_login(root)
    with mock.patch("practices.tasks.import_reference_file.apply_async") as delay:
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = _post(client, _sizes_file())
    run = ReferenceImport.objects.get()
    assert response["Location"] == run.get_absolute_url()
    assert list(delay.call_args.args[0]) == [run.pk]
    assert (run.status, run.dataset, run.requested_by, run.file_name) == ("queued", "list-sizes", root,
                                                                          "gp-reg-pat-prac-all.csv")  # fmt: skip
    assert "Refresh to see how far it has got" in client.get(run.get_absolute_url()).content.decode()

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = _post(client, _sizes_file(), dry_run="on")
    page = client.get(response["Location"]).content.decode()
    assert "Finished" in page and "2 rejected" in page and "Only a check" in page
    assert "import epraccur first" in page


def test_a_file_that_is_not_a_csv_is_refused_in_the_request(client, root):
    client.force_login(root)
    response = _post(client, SimpleUploadedFile("epraccur.xlsx", b"PK"))
    assert "Upload the reference file as the .csv NHS Digital publishes." in response.content.decode()
    assert not ReferenceImport.objects.exists()


@pytest.mark.parametrize("person", ["alice", "carol", "bob"])
def test_only_administrators_import_reference_files_or_see_their_runs(client, request, root, person):
    run = ReferenceImport.objects.create(dataset="list-sizes", file_path="/tmp/x.csv", requested_by=root)
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("practices:reference_import")).status_code == 403
    assert _post(client, _sizes_file()).status_code == 403
    assert client.get(run.get_absolute_url()).status_code == 403
    assert not ReferenceImport.objects.exclude(pk=run.pk).exists()
