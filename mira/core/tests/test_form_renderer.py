"""MIRA's form renderer writes exactly what Django's widget templates write (the browser tests,
the htmx swaps and screen readers rely on that markup), only faster."""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from mira.core.form_renderer import Renderer

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12) | st.sampled_from(
    ['a "quoted" <b>tag</b> & more', "O'Brien", "محمد", "Şahin", ""]
)
ATTR_VALUE = TEXT | st.integers(-5, 10_000) | st.booleans() | st.none() | st.just(mark_safe("<i>safe</i>"))
ATTRS = st.dictionaries(
    st.sampled_from(["class", "data-x", "aria-describedby", "placeholder", "rows", "dir"]), ATTR_VALUE
)
KEY = st.text(alphabet="abcXYZ0&<\"'", min_size=1, max_size=4)
CHOICE_LABEL = TEXT | st.integers(0, 99_999) | st.just(gettext_lazy("Cases"))
FLAT_CHOICES = st.lists(st.tuples(KEY, CHOICE_LABEL), max_size=5, unique_by=lambda choice: choice[0])
CHOICES = st.lists(
    st.tuples(KEY, CHOICE_LABEL) | st.tuples(TEXT.filter(bool), FLAT_CHOICES), max_size=5, unique_by=lambda c: c[0]
)
WIDGETS = [
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.SearchInput,
    forms.TelInput,
    forms.ColorInput,
    forms.FileInput,
    forms.CheckboxInput,
    forms.Textarea,
]
VALUES = (
    TEXT
    | st.none()
    | st.integers(-(10**7), 10**7)
    | st.decimals(places=2, allow_nan=False, allow_infinity=False, min_value=-(10**6), max_value=10**6)
    | st.dates()
    | st.datetimes(max_value=datetime.datetime(2100, 1, 1))
    | st.booleans()
    | st.just(mark_safe("<b>x</b>"))
    | st.just(Decimal("1234.50"))
)


def _both(widget, name, value):
    django_html = widget.render(name, value, renderer=DjangoTemplates())
    fast_html = widget.render(name, value, renderer=Renderer())
    return django_html, fast_html


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    widget_class=st.sampled_from(WIDGETS),
    attrs=ATTRS,
    value=VALUES,
    name=TEXT,
    language=st.sampled_from(["de", "en", "ar"]),
)
def test_inputs_and_text_areas_render_as_django_renders_them(widget_class, attrs, value, name, language):
    with override(language):
        django_html, fast_html = _both(widget_class(attrs=attrs), name, value)
    assert fast_html == django_html


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    multiple=st.booleans(),
    attrs=ATTRS,
    choices=CHOICES,
    value=st.lists(KEY, max_size=3) | KEY | st.none(),
    language=st.sampled_from(["de", "en", "fa"]),
)
def test_selects_render_as_django_renders_them(multiple, attrs, choices, value, language):
    widget = (forms.SelectMultiple if multiple else forms.Select)(attrs=attrs, choices=choices)
    with override(language):
        django_html, fast_html = _both(widget, "country", value)
    assert fast_html == django_html


def test_a_bound_form_renders_the_same_markup():
    class Form(forms.Form):
        country = forms.ChoiceField(choices=[("", "—"), ("GE", "Georgien"), ("Gruppe", [("AM", "Armenien")])])
        note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=20)
        amount = forms.DecimalField(max_digits=8, decimal_places=2)
        on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        agreed = forms.BooleanField()

    data = {"country": "AM", "note": "x" * 30, "amount": "12,5", "on": "bad", "agreed": "on"}

    def rendered(renderer) -> list[str]:
        form = Form(data, renderer=renderer)
        form.is_valid()
        return [str(form[name]) for name in form.fields]

    html = rendered(Renderer())
    assert html == rendered(DjangoTemplates())
    assert '<option value="AM" selected>Armenien</option>' in html[0]


def test_other_widgets_and_own_option_templates_go_through_the_templates():
    class Option(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    choices = [("a", "A"), ("b", "B <")]
    for widget in (
        forms.RadioSelect(choices=choices),
        forms.CheckboxSelectMultiple(choices=choices),
        Option(choices=choices),
    ):
        django_html, fast_html = _both(widget, "pick", "b")
        assert fast_html == django_html
    assert 'type="radio"' in forms.RadioSelect(choices=choices).render("pick", "b", renderer=Renderer())


def test_the_project_uses_the_renderer():
    assert settings.FORM_RENDERER == "mira.core.form_renderer.Renderer"
    assert isinstance(forms.Form().renderer or forms.renderers.get_default_renderer(), Renderer)
