"""The base of MIRA's models."""

from django.db import models
from django.utils.encoding import force_str


def _labels(field) -> dict:
    """The field's choices as value -> label, built once per field; the labels stay lazy."""
    labels = field.__dict__.get("_mira_choice_labels")
    if labels is None:
        labels = field.__dict__["_mira_choice_labels"] = dict(field.flatchoices)
    return labels


def choice_label(field, value):
    """The label of a value of a field with choices, in the active language (the value itself if it is
    not among the choices), as get_FOO_display gives it."""
    try:
        label = _labels(field).get(value, value)
    except TypeError:  # an unhashable value (a list, say) is never among the choices
        label = value
    return force_str(label, strings_only=True)


class Model(models.Model):
    """Every MIRA model derives from this (tests/test_conventions.py checks it).

    get_FOO_display: Django's builds a dictionary of all the field's choices on every call and hashes
    each label, which translates all of them (45 µs for a field of nine choices; a list of 50 cases
    with a stage each spends 2 ms on it). Here the dictionary is built once per field and only the
    label shown is translated.
    """

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        return choice_label(field, getattr(self, field.attname))
