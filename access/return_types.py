"""The access return as a kind of return on the shared collection workflow (``returns/``).

A CCG collects it monthly or quarterly: the two are registered as two kinds with the same
questions and checks. Its rates are per 1,000 registered patients a week, so a practice's
monthly and quarterly returns, and practices of different sizes, compare.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from portal.periods import weeks_in
from returns.models import Frequency
from returns.registry import register
from returns.types import RecordReturnType
from returns.upload import RowError, UploadTable
from returns.validation import CheckContext

from . import figures as f
from .answers import AnswerError, read_answer
from .compliance import Provision, compliance_label
from .forms import AccessReturnForm
from .models import AccessReturn
from .validation import Context, submission_errors, warnings

#: The CCG's usual range is drawn from returns for periods up to this many days before this one.
CCG_RANGE_LOOKBACK_DAYS = 366
NOTES_HEADER = "How to answer"


def answer_errors(context: CheckContext):
    """Missing answers, answers out of range and answers that contradict each other."""
    yield from submission_errors(f.answers_of(context.values))


def comparison_warnings(context: CheckContext):
    """The warnings against the previous accepted return, the national standard and the CCG's range."""
    frequency = context.collection.type.frequency if context.collection else Frequency.MONTHLY
    comparison = Context(
        list_size=context.list_size,
        weeks=weeks_in(frequency, context.period_start),
        previous=f.answers_of(context.previous_values) if context.previous_values else None,
        previous_list_size=context.previous_list_size,
        previous_weeks=weeks_in(frequency, context.previous_period_start),
        ccg_rates=context.extra.get("ccg_rates", ()),
        ccg_rates_computed_at=context.extra.get("ccg_rates_computed_at"),
    )
    yield from warnings(f.answers_of(context.values), comparison)


def answer_text(name: str, value) -> str:
    """An answer as the return page and the template show it."""
    if value is None or value == "":
        return ""
    question = f.BY_NAME[name]
    if question.kind == "provision":
        return str(Provision(value).label)
    if question.kind == "yes_no":
        return "Yes" if value else "No"
    if question.kind in ("count", "minutes"):
        return f"{value:,}"
    return str(value)


class AccessReturnType(RecordReturnType):
    key = "access-quarterly"
    name = "Access return (quarterly)"
    frequency = Frequency.QUARTERLY
    description = (
        "Core hours, extended access in the evenings and at weekends (at the practice or through its "
        "group), appointments by mode and staff type, DNAs, and online services."
    )
    content_model = AccessReturn
    form_class = AccessReturnForm
    content_template = "access/_content.html"
    form_template = "access/_form.html"
    rules = [answer_errors, comparison_warnings]

    def field_names(self) -> list[str]:
        return list(f.NAMES)

    def labels(self) -> dict[str, str]:
        return {name: f.label(name) for name in f.NAMES}

    # --- checks ---------------------------------------------------------------------
    def extra_context(self, *, ret, revision) -> dict:
        """The CCG's usual range: the other practices' appointments a week per 1,000 patients
        in their latest accepted return of the past year, as the metrics engine stored them.

        A return accepted moments ago counts once the engine's debounced recompute of its period
        has run (``metrics.services.DEBOUNCE_SECONDS``); the warning says when the figures were
        worked out.
        """
        from metrics.models import Level, MetricValue

        period_start = ret.collection.period_start
        rows = (
            MetricValue.objects.in_ccg(ret.collection.ccg_id, levels=[Level.PRACTICE])
            .metric("appointments_per_1000")
            .between(period_start - dt.timedelta(days=CCG_RANGE_LOOKBACK_DAYS), period_start - dt.timedelta(days=1))
            .exclude(org_id=ret.practice_id)
            .latest_per_organisation()
            .values_list("value", "computed_at")
        )
        # A practice whose latest return has no rate (no patients) is left out, not replaced by an older one.
        rates = [(rate, computed_at) for rate, computed_at in rows if rate is not None]
        return {
            "ccg_rates": [rate for rate, _ in rates],
            "ccg_rates_computed_at": max((computed_at for _, computed_at in rates), default=None),
        }

    # --- the upload -----------------------------------------------------------------
    def template_table(self, values) -> tuple[list[str], list[list]]:
        values = values or {}
        rows = [[q.label, answer_text(q.name, values.get(q.name)), _how_to_answer(q)] for q in f.QUESTIONS]
        return [self.question_header, self.answer_header, NOTES_HEADER], rows

    def parse_upload(self, table: UploadTable) -> tuple[dict | None, list[RowError]]:
        """Every row read and checked before anything is kept: a question per row, its answer beside it."""
        headers = {h.casefold(): h for h in table.headers if h}
        missing = [h for h in (self.question_header, self.answer_header) if h.casefold() not in headers]
        if missing:
            names = " and ".join(f"'{h}'" for h in missing)
            return None, [RowError(1, "Header row", f"There is no column called {names}. Start from the template.")]
        question_column = headers[self.question_header.casefold()]
        answer_column = headers[self.answer_header.casefold()]
        by_text = {q.label.casefold(): q for q in f.QUESTIONS} | {q.name.casefold(): q for q in f.QUESTIONS}
        errors: list[RowError] = []
        lines: dict[str, int] = {}
        data: dict[str, str] = {}
        for number, cells in table.rows:
            text = " ".join(str(cells.get(question_column) or "").split())
            question = by_text.get(text.casefold())
            if question is None:
                reason = f"'{text}' is not a question of the access return." if text else "The question is blank."
                errors.append(RowError(number, self.question_header, reason))
                continue
            if question.name in lines:
                errors.append(
                    RowError(number, self.question_header, f"'{question.label}' is also on row {lines[question.name]}.")
                )
                continue
            lines[question.name] = number
            try:
                data[question.name] = _form_text(read_answer(question, cells.get(answer_column)))
            except AnswerError as exc:
                errors.append(RowError(number, question.label, str(exc)))
        table.lines = lines
        form = self.build_form(values=None, data=data)
        if not form.is_valid():
            for name, messages in form.errors.items():
                if name in lines:
                    errors.extend(RowError(lines[name], f.label(name), message) for message in messages)
        if errors:
            return None, sorted(errors, key=lambda e: (e.row, e.column))
        return self.form_values(form), []

    def locate(self, finding, table: UploadTable) -> RowError:
        lines = getattr(table, "lines", {})
        if finding.field and finding.field not in lines:
            return RowError(0, f.label(finding.field), "The file has no row for this question.")
        column = f.label(finding.field) if finding.field else self.answer_header
        return RowError(lines.get(finding.field, 0), column, finding.message)

    # --- display and metrics --------------------------------------------------------
    def display(self, values) -> dict:
        values = values or {}
        figures = f.answers_of(values)
        sections = [
            (title, [(f.label(name), answer_text(name, values.get(name)), f.BY_NAME[name].kind) for name in names])
            for title, names in f.SECTIONS
        ]
        by_staff = f.total_by_staff(figures)
        total = f.total_appointments(figures)
        return {
            "access_sections": sections,
            "access_compliance": compliance_label(
                weekday=figures.weekday_extended, saturday=figures.saturday_extended, sunday=figures.sunday_extended
            ),
            "access_total": total,
            "access_staff_total": by_staff,
            "access_dna_rate": f.dna_rate(figures),
        }

    def accepted(self, revision) -> None:
        from metrics.services import recompute_request

        # The engine's values feed the pages, the CCG's usual range on new returns and the register.
        recompute_request(area="access", frequency=self.frequency, period=revision.ret.collection.period_start)


def _how_to_answer(question: f.Question) -> str:
    hint = {
        "hours": "Hours, to one decimal place (52.5 is the whole of core hours).",
        "provision": "'Yes, at the practice', 'Yes, through our group or hub' or 'No'.",
        "count": "A whole number for the period.",
        "minutes": "A whole number of minutes in a typical week.",
        "percent": "A percentage from 0 to 100, such as 42.5.",
        "yes_no": "'Yes' or 'No'.",
    }[question.kind]
    return f"{hint} {question.help_text}".strip()


def _form_text(value) -> str:
    """A read answer as the form would have received it typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@register
class QuarterlyAccessReturnType(AccessReturnType):
    pass


@register
class MonthlyAccessReturnType(AccessReturnType):
    key = "access-monthly"
    name = "Access return (monthly)"
    frequency = Frequency.MONTHLY
    default_due_days = 10
