"""portal's ``error_title_prefix`` tag: 'Error: ' when any bound form or formset on the page has errors."""

from django import forms
from django.template import Context, Template

TEMPLATE = Template("{% load portal %}{% error_title_prefix %}Page")


class NameForm(forms.Form):
    name = forms.CharField()


NameFormSet = forms.formset_factory(NameForm)


def test_no_form_or_an_unbound_one_gives_no_prefix():
    assert TEMPLATE.render(Context({})) == "Page"
    assert TEMPLATE.render(Context({"form": NameForm()})) == "Page"


def test_a_valid_bound_form_gives_no_prefix():
    form = NameForm({"name": "Luton"})
    assert TEMPLATE.render(Context({"form": form})) == "Page"


def test_a_form_with_errors_under_any_name_gives_the_prefix():
    assert TEMPLATE.render(Context({"premises_form": NameForm({})})) == "Error: Page"


def test_a_formset_with_errors_gives_the_prefix():
    formset = NameFormSet({"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-name": ""})
    formset.forms[0].empty_permitted = False
    assert TEMPLATE.render(Context({"points": formset})) == "Error: Page"
