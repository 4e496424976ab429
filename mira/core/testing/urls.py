"""The project's URL patterns, for the tests that go through every one of them."""

from django.urls import URLPattern, URLResolver, get_resolver


def url_patterns():
    """Every URL pattern of the project as (name with its namespaces, pattern); the name is None
    for a pattern without one."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                )
            elif isinstance(pattern, URLPattern):
                yield (f"{namespace}{pattern.name}" if pattern.name else None), pattern

    return walk(get_resolver().url_patterns, "")
