"""Every URL of the project × every role: who may open it (GET).

An app declares its routes in <app>/tests/access.py; a URL pattern without an
entry fails here, so a new view cannot slip through unchecked."""

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from mira.core.testing.urls import url_patterns
from mira.core.testing.world import ACTORS, ANONYMOUS, World


def _declared_routes() -> dict:
    routes = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("mira."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError:
            continue
        overlap = routes.keys() & module.ROUTES.keys()
        assert not overlap, f"declared twice: {overlap}"
        routes.update(module.ROUTES)
    return routes


URL_NAMES = sorted({name or f"<unnamed {pattern.pattern}>" for name, pattern in url_patterns()})
ROUTES = _declared_routes()


def test_every_url_pattern_is_in_the_access_matrix():
    missing = [name for name in URL_NAMES if name not in ROUTES]
    assert missing == [], f"add these URLs to <app>/tests/access.py: {missing}"


def test_the_access_matrix_names_no_url_that_does_not_exist():
    assert sorted(set(ROUTES) - set(URL_NAMES)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", URL_NAMES)
def test_access(name):
    route = ROUTES[name]
    world = World.build()
    url = reverse(name, kwargs=route.kwargs(world)) + (f"?{route.query}" if route.query else "")
    outcomes = {}
    for actor in ACTORS:
        client = Client()
        if actor != ANONYMOUS:
            client.force_login(world.users[actor])
        response = client.get(url)
        outcomes[actor] = response.status_code
        if route.expected_ok(actor):
            expected = route.expected_status(actor)
            assert response.status_code == expected, f"{actor} should open {url}: got {response.status_code}"
        elif actor == ANONYMOUS:
            assert response.status_code in (302, 403, 404), f"anonymous got {response.status_code} on {url}"
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("accounts:login")), response["Location"]
        else:
            assert response.status_code in (403, 404), f"{actor} must not open {url}: got {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", URL_NAMES)
def test_access_post(name):
    """POST is refused to everyone who may not open the page, and never crashes for those who may."""
    route = ROUTES[name]
    world = World.build()
    url = reverse(name, kwargs=route.kwargs(world)) + (f"?{route.query}" if route.query else "")
    for actor in ACTORS:
        client = Client()
        if actor != ANONYMOUS:
            client.force_login(world.users[actor])
        response = client.post(url, {})
        if route.expected_ok(actor):
            assert response.status_code < 500, f"{actor} POST {url}: {response.status_code}"
        elif actor == ANONYMOUS:
            assert response.status_code in (302, 403, 404, 405), f"anonymous POST {url}: {response.status_code}"
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("accounts:login")), response["Location"]
        else:
            assert response.status_code in (403, 404, 405), f"{actor} must not POST {url}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", URL_NAMES)
def test_post_without_csrf_token_is_refused(name):
    route = ROUTES[name]
    world = World.build()
    url = reverse(name, kwargs=route.kwargs(world)) + (f"?{route.query}" if route.query else "")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    response = client.post(url, {})
    assert response.status_code == 403
