"""The per 1,000 patient rates of one access return revision, for its page."""

from django import template

from access import figures as f
from access.return_types import weeks_in

register = template.Library()


@register.simple_tag
def access_rates(revision, values) -> dict:
    """Appointments and extended access minutes a week per 1,000 patients, on the list size the checks use."""
    if revision is None:
        return {}
    collection = revision.ret.collection
    answers = f.answers_of(values)
    list_size = revision.list_size
    if list_size is None:
        size = revision.ret.practice.list_size_on(collection.period_end)
        list_size = size.patients if size else None
    weeks = weeks_in(collection.type.frequency, collection.period_start)
    return {
        "list_size": list_size,
        "weeks": weeks,
        "appointments": f.appointments_per_1000_a_week(answers, list_size=list_size, weeks=weeks),
        "minutes": f.minutes_per_1000_a_week(answers, list_size=list_size),
    }


@register.filter
def one_decimal(value) -> str:
    return "Not known" if value is None else f"{value:,.1f}"


@register.filter
def published_value(month, code: str) -> str:
    """One month's published figure ``code`` (a ``PUBLISHED_METRICS`` code), to its definition's precision."""
    return month.display(code)
