"""The form renderer: Django's, with the most common widgets written in Python.

Django renders every widget through its template engine: an <input> through two templates, a
<select> through two more for each <option> (about 50 µs an option). On MIRA's pages the filter and
entry forms then cost more than the page's queries (the case list: a fifth of its time). This
renderer writes exactly the markup of Django's templates for inputs, selects, options and text
areas (the tests compare both on every widget with generated values) and leaves everything else,
and any widget with its own template, to the templates.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "file",
        "checkbox",
    )
)
SELECT_TEMPLATE = f"{WIDGETS}select.html"
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"
TEXTAREA_TEMPLATE = f"{WIDGETS}textarea.html"


def _value(value) -> str:
    """{{ value }}: localised, turned into text and escaped unless it is marked safe."""
    value = localize(value)
    if not isinstance(value, str):
        value = str(value)
    return conditional_escape(value)


def _string(value) -> str:
    """{{ value|stringformat:'s' }}: the text of the value, escaped unless the value is marked safe."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 (the filter's own formatting, tuples included)
    except (TypeError, ValueError):
        text = ""
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_value(name)}" if value is True else f' {_value(name)}="{_string(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = f' value="{_string(widget["value"])}"' if widget["value"] is not None else ""
    return f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    value = _value(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


class Renderer(DjangoTemplates):
    """FORM_RENDERER: the Python writers above for Django's own widget templates, the template
    engine for everything else."""

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            html = _input(context["widget"])
        elif template_name == SELECT_TEMPLATE:
            html = self._select(context["widget"], request)
        elif template_name == TEXTAREA_TEMPLATE:
            html = _textarea(context["widget"])
        elif template_name == OPTION_TEMPLATE:
            html = self._option(context["widget"], request).strip()
        else:
            return super().render(template_name, context, request)
        return mark_safe(html)  # noqa: S308 (every value above is escaped)

    def _option(self, option: dict, request) -> str:
        """The option as select.html includes it (with the template file's closing line break)."""
        if option["template_name"] != OPTION_TEMPLATE:
            return self.get_template(option["template_name"]).render({"widget": option}, request)
        return (
            f'<option value="{_string(option["value"])}"{_attrs(option["attrs"])}>{_value(option["label"])}</option>\n'
        )

    def _select(self, widget: dict, request) -> str:
        parts = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_value(group_name)}">')
            parts.extend(f"\n  {self._option(option, request)}" for option in options)
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)
