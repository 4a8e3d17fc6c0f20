from django import template

from estates import display
from portal.templatetags.nhsuk_forms import nhsuk_widget

register = template.Library()


@register.filter
def pounds(value):
    """127000 -> '£127,000'; None -> 'Not known'."""
    return display.pounds(value)


@register.filter
def square_metres(value):
    """1250.5 -> '1,250.5 m²'."""
    return display.square_metres(value)


@register.filter
def figure(value, places=1):
    """A number with thousands separators and at most ``places`` decimals."""
    return display.number(value, int(places))


@register.filter
def percent(value):
    return display.percent(value)


@register.simple_tag
def estates_return_fieldsets(form, ret):
    """The estates return form's ``(site, [fields])``: the form's own sites, or, before a first
    draft, the practice's open sites with the premises register's figures filled in."""
    from estates.return_types import EstatesReturnForm, field_name, open_sites, register_values

    if form.sites:
        return form.fieldsets()
    sites = list(open_sites(ret.practice, ret.collection.period_end).select_related("premises"))
    initial = {field_name(site.pk, name): value for site in sites for name, value in register_values(site).items()}
    return EstatesReturnForm(initial=initial, sites=sites).fieldsets()


@register.filter
def return_widget(field):
    """A bound field's input in the NHS.UK style, marked invalid (and described by its error) when it has one."""
    return nhsuk_widget(field)
