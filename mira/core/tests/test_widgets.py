"""FastSelect writes the markup of Django's Select (which the browser tests and screen readers rely on)."""

import pytest
from django import forms

from mira.core.widgets import FastSelect

CHOICES = [
    ("", "—"),
    ("GE", "Georgien"),
    ("IQ", 'Irak "<Kurdistan>"'),
    ("Gruppe", [("AM", "Armenien"), ("MD", "Moldau")]),
]


def _form(widget_class, **attrs):
    class Form(forms.Form):
        country = forms.ChoiceField(choices=CHOICES, required=False, widget=widget_class(attrs=attrs))

    return Form


def _normalised(html: str) -> str:
    return " ".join(html.split()).replace("> <", "><")


@pytest.mark.parametrize("data", [None, {"country": "IQ"}, {"country": "MD"}, {"country": ""}])
def test_fast_select_renders_what_django_select_renders(data):
    attrs = {"class": "form-select is-invalid", "aria-describedby": "id_country_error", "data-x": "a&b"}
    django_html = str(_form(forms.Select, **attrs)(data)["country"])
    fast_html = str(_form(FastSelect, **attrs)(data)["country"])
    assert _normalised(fast_html) == _normalised(django_html)


def test_fast_select_marks_a_required_field_required():
    class Form(forms.Form):
        country = forms.ChoiceField(choices=CHOICES, widget=FastSelect)

    assert ' required id="id_country"' in str(Form()["country"])
