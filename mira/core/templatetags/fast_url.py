"""{% url %} through mira.core.reversing: the same URLs, without Django's pattern matching per call
for URLs whose arguments are ids. Installed as a template builtin (settings.TEMPLATES), so it
replaces the default tag in every template; tests/test_reversing.py holds it to Django's."""

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from mira.core.reversing import reverse_ids

register = template.Library()


class IdURLNode(defaulttags.URLNode):
    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {key: value.resolve(context) for key, value in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse_ids(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return IdURLNode(node.view_name, node.args, node.kwargs, node.asvar)
