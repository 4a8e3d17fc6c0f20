"""Financial years and reporting periods.

NHS financial years run from 1 April to 31 March and are written 2017/18. Periods are
stored as the date of their first day: a month as the 1st, a quarter as 1 April, 1 July,
1 October or 1 January.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True, order=True)
class FinancialYear:
    """The financial year that starts on 1 April of ``start_year``."""

    start_year: int

    @classmethod
    def containing(cls, day: dt.date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, label: str) -> FinancialYear:
        """Read '2017/18', '2017-18' or '2017/2018'."""
        text = label.strip().replace("-", "/")
        first, _, second = text.partition("/")
        start = int(first)
        if second:
            end = int(second)
            expected = (start + 1) % 100 if len(second) == 2 else start + 1
            if end != expected:
                raise ValueError(f"{label!r} is not a financial year: the years must follow one another.")
        return cls(start)

    @property
    def start(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def quarter(self, number: int) -> dt.date:
        """The first day of quarter 1-4 of this year (Q1 is April to June)."""
        if not 1 <= number <= 4:
            raise ValueError("A financial year has quarters 1 to 4.")
        return add_months(dt.date(self.start_year, 4, 1), 3 * (number - 1))


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months (dateutil's ``relativedelta``: 31 January + 1 month is 28 or 29 February)."""
    return day + relativedelta(months=months)


def months_spanned(first: dt.date, last: dt.date) -> int:
    """How many calendar months from ``first``'s month to ``last``'s, both counted: 1 for one month."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def quarter_start(day: dt.date) -> dt.date:
    """The first day of the quarter that contains ``day``."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(day: dt.date) -> str:
    """'2018/19 Q4' for any day from 1 January to 31 March 2019."""
    year = FinancialYear.containing(day)
    number = ((day.month - 4) % 12) // 3 + 1
    return f"{year} Q{number}"


def month_label(day: dt.date) -> str:
    return day.strftime("%B %Y")


#: How long each kind of reporting period lasts, in months (the values of the frequency choices
#: of returns and progress reports).
MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"
PERIOD_MONTHS = {MONTHLY: 1, QUARTERLY: 3, ANNUAL: 12}


def period_start(frequency: str, day: dt.date) -> dt.date:
    """The first day of the month, quarter or financial year that contains ``day``."""
    if frequency == MONTHLY:
        return day.replace(day=1)
    if frequency == ANNUAL:
        return FinancialYear.containing(day).start
    return quarter_start(day)


def period_end(frequency: str, period_start: dt.date) -> dt.date:
    """The last day of the month, quarter or financial year that starts on ``period_start``."""
    return add_months(period_start.replace(day=1), PERIOD_MONTHS[frequency]) - dt.timedelta(days=1)


def weeks_in(frequency: str, period_start: dt.date | None) -> float:
    """Days in the period over 7: a month of 31 days is 4.43 weeks. Rates "a week" divide by it."""
    if period_start is None:
        return 0
    return ((period_end(frequency, period_start) - period_start).days + 1) / 7


def period_label(frequency: str, period_start: dt.date) -> str:
    """'2017/18 Q3', 'October 2017' or '2017/18'."""
    if frequency == MONTHLY:
        return month_label(period_start)
    if frequency == ANNUAL:
        return str(FinancialYear.containing(period_start))
    return quarter_label(period_start)


def quarter_end(day: dt.date) -> dt.date:
    """The last day of the quarter that contains ``day``."""
    return period_end(QUARTERLY, quarter_start(day))


def parse_quarter_label(label: str) -> dt.date:
    """The first day of a quarter written '2017/18 Q4' (the reverse of ``quarter_label``)."""
    year, _, number = label.partition(" Q")
    return FinancialYear.parse(year).quarter(int(number))


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: a quarter (what a dashboard shows), a month or a financial year,
    stored as its first day."""

    start: dt.date
    frequency: str = QUARTERLY

    @classmethod
    def containing(cls, day: dt.date, frequency: str = QUARTERLY) -> Period:
        return cls(period_start(frequency, day), frequency)

    @classmethod
    def parse(cls, text: str | None, frequency: str = QUARTERLY) -> Period | None:
        """The period containing an ISO date, or None if ``text`` is not one."""
        try:
            day = dt.date.fromisoformat(text or "")
        except ValueError:
            return None
        return cls.containing(day, frequency)

    @property
    def end(self) -> dt.date:
        return period_end(self.frequency, self.start)

    @property
    def label(self) -> str:
        return period_label(self.frequency, self.start)

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear.containing(self.start)

    @property
    def value(self) -> str:
        return self.start.isoformat()

    def previous(self) -> Period:
        return Period.containing(self.start - dt.timedelta(days=1), self.frequency)

    def as_at(self, today: dt.date | None = None) -> dt.date:
        """The day figures are counted on: the period's last day, or today while it runs."""
        from django.utils import timezone

        return min(self.end, today or timezone.localdate())

    def __str__(self) -> str:
        return self.label
