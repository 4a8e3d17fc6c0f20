"""A commissioner uploads an action tracker in the browser: the page goes at once to the
run's page, which shows the job's progress bar and then what it found (every bad row by row
and column, nothing saved) or what it saved. The job runs in-process here (eager Celery)."""

from playwright.sync_api import expect

from commissioning.models import Action
from commissioning.services import plan_create

GOOD = b"Local code,Title,Chapter,Status\nPC01,Hub,Workforce,In progress\nPC02,Pharmacists,Workforce,Not started\n"
BAD = GOOD + b"PC03,Nowhere,No such chapter,In progress\n"


def test_commissioner_checks_then_imports_a_tracker_and_sees_the_outcome(live_server, sign_in, alice, luton, tmp_path):
    plan = plan_create(ccg=luton, title="Luton GP Forward View plan", first_year=2017, last_year=2018)
    bad, good = tmp_path / "bad-tracker.csv", tmp_path / "tracker.csv"
    bad.write_bytes(BAD)
    good.write_bytes(GOOD)

    page = sign_in("alice")
    page.goto(f"{live_server.url}/plans/{plan.pk}/import/")
    page.get_by_label("Action tracker file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Checking bad-tracker.csv")
    expect(page.locator("#job-status")).to_contain_text("Finished", timeout=30_000)
    expect(page.locator("progress")).to_have_attribute("value", "100")
    errors = page.locator("#tracker-errors")
    expect(errors).to_contain_text("1 problem in bad-tracker.csv. Nothing has been saved.")
    expect(errors.get_by_role("row", name="4")).to_contain_text("There is no chapter called 'No such chapter'.")

    page.get_by_role("link", name="Upload another tracker").click()
    expect(page.locator("#tracker-runs")).to_contain_text("Check of bad-tracker.csv")
    page.get_by_label("Action tracker file").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Importing tracker.csv")
    expect(page.locator("#tracker-outcome")).to_contain_text("2 actions added, 0 changed, 0 unchanged", timeout=30_000)
    assert sorted(Action.objects.filter(plan=plan).values_list("local_code", flat=True)) == ["PC01", "PC02"]
