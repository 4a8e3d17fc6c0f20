import datetime as dt

from portal.display import as_at, patients, uk_date


def test_patients_have_thousands_separators_and_units():
    assert patients(9500) == "9,500 patients"
    assert patients(1) == "1 patient"
    assert patients(None) == "Not known"


def test_dates_read_the_british_way():
    assert uk_date(dt.date(2021, 1, 1)) == "1 Jan 2021"
    assert as_at(dt.date(2021, 1, 1)) == "as at 1 Jan 2021"
