"""Template filters for money: ``{% load money %}`` then ``{{ amount|pounds }}``."""

from django import template

from portal import money

register = template.Library()


@register.filter
def pounds(value):
    """Decimal('516249') -> '£516,249.00'; None -> 'Not known'."""
    return money.pounds(value)


@register.filter
def whole_pounds(value):
    """Decimal('2100000') -> '£2,100,000' (rounded half up to the pound)."""
    return money.pounds(value, pence=False)


@register.filter
def signed_pounds(value):
    """A difference: '+£249.00' or '-£249.00'."""
    return money.signed_pounds(value)
