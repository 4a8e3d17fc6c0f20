"""The NHS.UK frontend look of a form field's input, used by the crispy template pack in
templates/nhsuk/ and by the pages that lay fields out by hand. One place decides the input's
classes (nhsuk-input, nhsuk-select, …, with their ``--error`` state) and the ids that tie the
hint and the error message to it (``aria-describedby``, ``aria-invalid``)."""

from __future__ import annotations

from django import forms, template

register = template.Library()

# Bootstrap's words, dropped from a widget's own classes if a form still sets them.
_BOOTSTRAP = {"form-control", "form-control-sm", "form-select", "form-check-input", "is-invalid"}


def hint_id(field) -> str:
    return f"{field.auto_id}-hint"


def error_id(field) -> str:
    return f"{field.auto_id}-error"


def input_class(field) -> str:
    """The NHS.UK class of a bound field's input, with its error state."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "nhsuk-checkboxes__input"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "nhsuk-file-upload__input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        base = "nhsuk-select"
    elif isinstance(widget, forms.Textarea):
        base = "nhsuk-textarea"
    else:
        base = "nhsuk-input"
        if isinstance(widget, forms.DateInput | forms.NumberInput | forms.TimeInput):
            base += " nhsuk-input--width-10"
    return f"{base} {base.split()[0]}--error" if field.errors else base


@register.simple_tag
def described_by(field) -> str:
    """The ids of the field's hint and error message, as ``aria-describedby`` lists them."""
    ids = [hint_id(field)] if field.help_text else []
    if field.errors:
        ids.append(error_id(field))
    return " ".join(ids)


@register.filter
def nhsuk_widget(field):
    """A bound field's input with NHS.UK classes, described by its hint and error, marked invalid on error."""
    own = [c for c in str(field.field.widget.attrs.get("class", "")).split() if c not in _BOOTSTRAP]
    attrs = {"class": " ".join([input_class(field), *own])}
    described = described_by(field)
    if described:
        attrs["aria-describedby"] = described
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def is_choice_list(field) -> bool:
    """Radios or checkboxes of several choices: shown in a fieldset with a legend."""
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def is_single_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)
