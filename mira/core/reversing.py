"""reverse() for URLs whose arguments are ids, at the cost of a string format.

Django's reverse() matches the arguments against every candidate pattern of the name, with
regular expressions, on each call: about 35 µs here. A list of 50 tasks asks for 150 such URLs
(case, task, status form), which took longer than its queries. For a given view name and set of
argument names the URL is reversed once with stand-in numbers, and later calls only put the ids
into that template. Anything that is not a non-negative int (a string, a UUID, a negative
number a converter would refuse) goes through Django's reverse() as before, so the result is the
same as reverse() gives, or reverse() raises as it would.
"""

from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Stand-ins that occur nowhere else in a URL (checked: each must appear exactly once).
_STAND_IN = 7_319_264_853_000_000


def _ids(values) -> bool:
    return all(type(value) is int and value >= 0 for value in values)


@lru_cache(maxsize=4096)
def _template(viewname, arg_count, kwarg_names, current_app, urlconf, prefix, language) -> str | None:
    """The URL with {0}, {1} … in place of the arguments, or None where the shortcut does not apply
    (the stand-ins do not fit the pattern, or show up more than once)."""
    stand_ins = [_STAND_IN + index for index in range(arg_count or len(kwarg_names))]
    try:
        if kwarg_names:
            url = reverse(viewname, urlconf, kwargs=dict(zip(kwarg_names, stand_ins, strict=True)),
                          current_app=current_app)  # fmt: skip
        else:
            url = reverse(viewname, urlconf, args=stand_ins, current_app=current_app)
    except NoReverseMatch:
        return None
    url = url.replace("{", "{{").replace("}", "}}")
    for index, stand_in in enumerate(stand_ins):
        text = str(stand_in)
        if url.count(text) != 1:
            return None
        url = url.replace(text, f"{{{index}}}")
    return url


def reverse_ids(viewname, args=None, kwargs=None, current_app=None) -> str:
    """reverse(viewname, args=…, kwargs=…), formatted from a template when all arguments are ids."""
    args = tuple(args or ())
    kwargs = kwargs or {}
    values = args if args else tuple(kwargs.values())
    if not (args and kwargs) and _ids(values):
        template = _template(
            viewname, len(args), tuple(kwargs) if kwargs else (), current_app, get_urlconf(), get_script_prefix(),
            get_language(),
        )  # fmt: skip
        if template is not None:
            return template.format(*values)
    return reverse(viewname, args=args or None, kwargs=kwargs or None, current_app=current_app)
