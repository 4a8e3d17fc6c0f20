from django import template

from portal import display

register = template.Library()


@register.filter
def patients(value):
    """9500 -> '9,500 patients'; None -> 'Not known'."""
    return display.patients(value)


@register.filter
def as_at(value):
    """A date -> 'as at 1 Jan 2021'."""
    return display.as_at(value)


@register.filter
def uk_date(value):
    """A date -> '1 Jan 2021'; a datetime -> '1 Jan 2021 14:02' in UK time; None -> 'Not known'."""
    return display.uk_date(value)


@register.filter
def count(value):
    """An integer with thousands separators, whatever the locale settings."""
    return "" if value is None else f"{value:,}"


@register.filter
def address(obj):
    """The address lines of a practice or site that are filled in, joined by commas."""
    parts = ("address_line_1", "address_line_2", "town", "county", "postcode")
    return ", ".join(value for value in (getattr(obj, part, "") for part in parts) if value) or "Not known"


@register.simple_tag
def job_waiting(obj, waiting=None):
    """The notice that a job about ``obj`` is saved but the job queue has not taken it yet (the
    broker was down: ``portal.outbox``), or nothing. ``waiting`` overrides the look-up."""
    from django.utils.html import format_html

    from portal import outbox

    if obj is None or not (outbox.waiting(obj) if waiting is None else waiting):
        return ""
    return format_html(
        '<p class="nhsuk-warning-callout portal-alert job-waiting" role="status">{}</p>', outbox.WAITING_MESSAGE
    )


def _has_errors(value) -> bool:
    from django.forms import BaseForm, BaseFormSet

    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and value.total_error_count() > 0
    return False


@register.simple_tag(takes_context=True)
def error_title_prefix(context):
    """'Error: ' when a form or formset on the page was sent back with errors, else nothing.

    The base template starts every <title> with it, so that a screen reader hears at once that
    the page came back with errors (the GOV.UK and NHS.UK pattern), whatever the form is called.
    """
    return "Error: " if any(_has_errors(value) for value in context.flatten().values()) else ""
