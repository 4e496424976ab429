"""Form helpers: Bootstrap classes and accessible error wiring for every widget."""

from django import forms
from django.core.exceptions import ValidationError


class BootstrapFormMixin:
    """Adds Bootstrap classes, marks invalid fields and ties their errors to them (aria-describedby)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = ""
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"
                bound = self[name]
                widget.attrs["aria-describedby"] = f"{bound.auto_id}_error"


def add_service_errors(form, error: ValidationError) -> None:
    """Shows a service's ValidationError next to the fields it names (or above the form, for
    fields the form does not have), marked invalid and tied to the field like the form's own errors."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.error_dict.items():
        if name not in form.fields:
            form.add_error(None, messages)
            continue
        form.add_error(name, messages)
        widget = form.fields[name].widget
        if "is-invalid" not in widget.attrs.get("class", ""):
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        widget.attrs["aria-invalid"] = "true"
        widget.attrs["aria-describedby"] = f"{form[name].auto_id}_error"
