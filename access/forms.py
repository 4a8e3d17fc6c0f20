"""The access return form: every question may be left blank in a draft; the field rules
(whole numbers not below 0, percentages from 0 to 100) hold whenever it is saved."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms

from . import figures as f
from .compliance import Provision
from .models import AccessReturn

COUNT_ERRORS = {"invalid": "Enter a whole number, such as 120.", "min_value": "Enter 0 or more."}
PERCENT_ERRORS = {
    "invalid": "Enter a percentage, such as 42.5.",
    "min_value": "A percentage cannot be below 0.",
    "max_value": "A percentage cannot be more than 100.",
    "max_decimal_places": "Give at most one decimal place.",
    "max_digits": "A percentage cannot be more than 100.",
}
HOURS_ERRORS = {
    "invalid": "Enter a number of hours, such as 52.5.",
    "min_value": "Enter 0 or more.",
    "max_value": f"Core hours are at most {f.CORE_HOURS_PER_WEEK} a week.",
    "max_decimal_places": "Give at most one decimal place.",
    "max_digits": f"Core hours are at most {f.CORE_HOURS_PER_WEEK} a week.",
}
YES_NO = [("True", "Yes"), ("False", "No")]


def _decimal(name: str, most, errors: dict, step: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=f.label(name),
        required=False,
        min_value=0,
        max_value=most,
        max_digits=4,
        decimal_places=1,
        error_messages=errors,
        widget=forms.NumberInput(attrs={"step": step}),
    )


def _to_bool(value: str) -> bool:
    return value == "True"


class AccessReturnForm(forms.ModelForm):
    online_consultation = forms.TypedChoiceField(
        label=f.label("online_consultation"),
        choices=YES_NO,
        coerce=_to_bool,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = AccessReturn
        fields = list(f.NAMES)
        widgets = {name: forms.RadioSelect(choices=Provision.choices) for name in f.PROVISION_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in f.PROVISION_FIELDS:
            self.fields[name].choices = Provision.choices
        for name in f.COUNT_FIELDS:
            self.fields[name].error_messages.update(COUNT_ERRORS)
            self.fields[name].widget.attrs.update(inputmode="numeric", min=0)
        # Declared again so that the range is the form field's, with its own plain messages.
        for name in f.PERCENT_FIELDS:
            self.fields[name] = _decimal(name, 100, PERCENT_ERRORS, step="0.1")
        self.fields["core_hours_open"] = _decimal("core_hours_open", f.CORE_HOURS_PER_WEEK, HOURS_ERRORS, step="0.5")
        for name, field in self.fields.items():
            field.required = False
            field.help_text = f.BY_NAME[name].help_text
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*(Fieldset(title, *names) for title, names in f.SECTIONS))
