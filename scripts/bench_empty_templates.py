"""gunicorn configuration for `BENCH_TEMPLATES=empty make bench` (scripts/bench.py), an experiment:
every Django template renders nothing, so each page is measured as if its templates cost no time.

What it answers: how far any faster template engine could take a page, under the same load and
against the same minimal view. It is an upper bound: a query a template would have caused (a
lazily read list, the options of a select) is not run either. Never for production.
"""


def post_worker_init(worker):
    """After the worker has loaded MIRA: Django's template backend renders an empty string."""
    from django.template.backends import django as django_backend

    def render_nothing(self, context=None, request=None):
        return ""

    django_backend.Template.render = render_nothing
