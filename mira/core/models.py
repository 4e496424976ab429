"""The base of MIRA's models."""

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _


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


class OfCase(Model):
    """A record of a case that also carries the case's centre (a case never changes centre).

    The centre's lists filter, sort and count on it with an index of their own, instead of joining
    each row to its case first. The first save copies it from the case; bulk inserts set it.
    """

    centre = models.ForeignKey(
        "accounts.Centre",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("counselling centre"),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.centre_id is None:
            self.centre_id = self.participant.centre_id
        super().save(*args, **kwargs)
