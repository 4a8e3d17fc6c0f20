"""Model pieces every area shares."""

from __future__ import annotations

import datetime as dt

from django.db import models


class Milestone(models.Model):
    """A dated step towards something (a plan action, a funding scheme, a premises scheme).

    Concrete milestones add the foreign key to what they belong to and their own
    ``history = HistoricalRecords()``.
    """

    title = models.CharField(max_length=300)
    due_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["due_date", "title"]

    def __str__(self) -> str:
        return f"{self.title} by {self.due_date:%d %b %Y}"

    def is_overdue_on(self, on: dt.date) -> bool:
        """Not completed, and its due date has passed."""
        return self.completed_on is None and self.due_date < on
