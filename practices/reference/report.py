"""What an import did, row by row, in words a commissioner can act on."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rejection:
    """A row left out of the import: its line in the file (the header is line 1) and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportReport:
    """The outcome of importing one file.

    The counts are of data rows: ``created`` rows added a new record, ``updated`` rows changed
    an existing one, ``unchanged`` rows matched what the portal held, ``rejected`` rows were
    left out (each with a reason in ``rejections``) and ``skipped`` rows are outside what the
    dataset imports (not a GP practice, in Wales, or outside ``only_ccgs``). Rejected rows do
    not stop the import: every other row is imported, as ODS loads do. ``records`` counts
    what was written per kind of record, including the organisations rows share (CCGs, STPs).
    """

    dataset: str
    file_name: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    records: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    #: The publisher's totals against the portal's, per organisation (payments: see ``payments.reconcile``).
    reconciliation: dict | None = None

    def reject(self, line: int, reason: str) -> None:
        self.rejections.append(Rejection(line, reason))
        self.rejected += 1

    def warn(self, line: int, message: str) -> None:
        """A row imported with one value left out, for example a postcode in no valid format."""
        self.warnings.append(Rejection(line, message))

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected + self.skipped

    @property
    def changed_anything(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.records.values())

    def record_lines(self) -> list[str]:
        """One line per kind of record written, e.g. 'CCG memberships: 6,830 created, 2 updated'."""
        lines = []
        for label, counts in self.records.items():
            if counts["created"] or counts["updated"]:
                lines.append(f"{label}: {counts['created']:,} created, {counts['updated']:,} updated")
        return lines

    def summary(self) -> str:
        text = (
            f"{self.dataset} {self.file_name}: {self.rows:,} rows, {self.created:,} created, "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged, {self.rejected:,} rejected, "
            f"{self.skipped:,} skipped."
        )
        if self.changed_anything:
            text += " Records written: " + "; ".join(self.record_lines()) + "."
        if self.rejected:
            text += " Rejected rows were left out; every other row was imported."
        if self.dry_run:
            text += " Dry run: nothing was saved."
        return text

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "rejections": [{"line": r.line, "reason": r.reason} for r in self.rejections],
            "warnings": [{"line": w.line, "message": w.reason} for w in self.warnings],
            "notes": list(self.notes),
            "records": {label: dict(counts) for label, counts in self.records.items()},
            "reconciliation": self.reconciliation,
        }
