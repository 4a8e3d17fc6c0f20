from django import template

from estates import display

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
