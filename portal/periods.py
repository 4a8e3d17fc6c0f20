"""Financial years and reporting periods.

NHS financial years run from 1 April to 31 March and are written 2017/18. Periods are
stored as the date of their first day: a month as the 1st, a quarter as 1 April, 1 July,
1 October or 1 January.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


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
        month = 4 + 3 * (number - 1)
        return dt.date(self.start_year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


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
