"""reverse_ids and the {% url %} builtin give exactly what Django's reverse() gives."""

import re
import uuid

import pytest
from django.template import Context, Template, defaulttags
from django.urls import NoReverseMatch, reverse, set_script_prefix
from hypothesis import given, settings
from hypothesis import strategies as st

from mira.core.reversing import reverse_ids
from mira.core.templatetags.fast_url import IdURLNode
from mira.core.testing.urls import url_patterns


def _patterns() -> dict[str, list[tuple[str, str]]]:
    """URL name -> [(converter, parameter)] of every named pattern of the project."""
    return {name: re.findall(r"<(?:(\w+):)?(\w+)>", str(pattern.pattern)) for name, pattern in url_patterns() if name}


PATTERNS = _patterns()
SAMPLES = {"str": "abc-Def_1", "slug": "a-slug", "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
           "path": "a/b.txt"}  # fmt: skip


def _kwargs(parameters, number: int) -> dict:
    return {name: number + index if kind in ("int", "") else SAMPLES[kind] for index, (kind, name) in
            enumerate(parameters)}  # fmt: skip


@pytest.mark.parametrize("name", sorted(PATTERNS))
@settings(max_examples=15, deadline=None)
@given(number=st.integers(min_value=0, max_value=10**12))
def test_every_url_of_the_project_is_reversed_as_django_does(name, number):
    kwargs = _kwargs(PATTERNS[name], number)
    assert reverse_ids(name, kwargs=kwargs) == reverse(name, kwargs=kwargs)
    if kwargs:
        assert reverse_ids(name, args=list(kwargs.values())) == reverse(name, args=list(kwargs.values()))


def test_what_django_refuses_is_refused():
    with pytest.raises(NoReverseMatch):
        reverse_ids("participants:detail", kwargs={"pk": -1})
    with pytest.raises(NoReverseMatch):
        reverse_ids("participants:detail", kwargs={"wrong": 1})
    with pytest.raises(NoReverseMatch):
        reverse_ids("participants:no-such-view", kwargs={"pk": 1})
    with pytest.raises(ValueError, match="Don't mix"):
        reverse_ids("participants:detail", args=[1], kwargs={"pk": 1})


def test_booleans_and_numeric_strings_take_djangos_way():
    assert reverse_ids("participants:detail", kwargs={"pk": "42"}) == reverse("participants:detail", kwargs={"pk": 42})
    with pytest.raises(NoReverseMatch):
        reverse("participants:detail", args=[True])
    with pytest.raises(NoReverseMatch):
        reverse_ids("participants:detail", args=[True])


def test_the_script_prefix_is_part_of_the_url():
    try:
        set_script_prefix("/mira/")
        assert reverse_ids("participants:detail", kwargs={"pk": 7}) == "/mira/cases/7/"
    finally:
        set_script_prefix("/")
    assert reverse_ids("participants:detail", kwargs={"pk": 7}) == "/cases/7/"


def _both(source: str, **context) -> tuple[str, str]:
    """The template rendered with MIRA's {% url %} and with Django's own."""
    ours = Template(source)
    theirs = Template(source)
    for node in theirs.nodelist.get_nodes_by_type(IdURLNode):
        node.__class__ = defaulttags.URLNode
    return ours.render(Context(context)), theirs.render(Context(context))


@pytest.mark.parametrize(
    "source",
    [
        "{% url 'participants:detail' pk %}",
        "{% url 'participants:detail' pk=pk %}",
        "{% url 'accompaniment:task_status' participant_pk=pk pk=other %}|{% url 'core:home' %}",
        "{% url 'participants:detail' pk as link %}<a href='{{ link }}'>",
        "{% url 'participants:detail' text as link %}[{{ link }}]",
        "{% url view pk %}",
        "{% for i in numbers %}{% url 'participants:detail' i %} {% endfor %}",
    ],
)
def test_the_url_tag_renders_as_djangos(source):
    ours, theirs = _both(source, pk=5, other=9, text="<b>", view="participants:detail", numbers=[0, 1, 22])
    assert ours == theirs
    assert "{" not in ours


def test_the_url_tag_raises_as_djangos():
    with pytest.raises(NoReverseMatch):
        Template("{% url 'participants:detail' text %}").render(Context({"text": "x/y"}))


def test_every_template_gets_the_fast_url_tag():
    template = Template("{% url 'core:home' %}")
    assert isinstance(template.nodelist[0], IdURLNode)
