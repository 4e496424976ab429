"""Script injection: markup stored in any text field is shown escaped on every page.

A case with a row in every model of the personal-data registry (and the objects every URL of
the access matrix needs) gets markup written into every free-text column of every table of
the project; then every page of the project is opened by a user who may open it. The raw
markup must never reach the HTML; its escaped form must (so the fields were really shown)."""

import datetime

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from mira.core.testing.world import ANONYMOUS, OUTSIDER, World
from mira.core.tests.test_access_matrix import ROUTES, URL_NAMES
from mira.participants.events import case_event_log
from mira.privacy.tests.factories import full_case

PAYLOAD = "<script>alert(1)</script>\"'<b>x</b>"
SHORT_PAYLOAD = "<b>x</b>"
RAW_MARKERS = ("<script>alert(1)</script>", "<b>x</b>")
ESCAPED = "&lt;b&gt;x&lt;/b&gt;"

# Columns that hold codes or machine values, never shown as typed text (or needed to log in).
NOT_FREE_TEXT = frozenset(
    {
        "password",
        "username",
        "name_keys",
        "nationalities",
        "languages",
        "vulnerabilities",
        "topics",
        "wished_sectors",
        "consent_purposes",
        "sha256",
        "content_type",
        "selector",
        "token_hash",
        "reference",
        "code",
        "case_number",
        "path",
        "object_id",
    }
)
ACTOR_ORDER = ["counsellor", "coordinator", "finance", "psychologist", "data_protection", "trainer", "partner",
               OUTSIDER, ANONYMOUS]  # fmt: skip


def _free_text_fields(model):
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.choices or field.primary_key:
            continue
        if field.name in NOT_FREE_TEXT or isinstance(field, models.SlugField):
            continue
        limit = field.max_length or 10_000
        if limit >= len(PAYLOAD):
            yield field.name, PAYLOAD
        elif limit >= len(SHORT_PAYLOAD):
            yield field.name, SHORT_PAYLOAD


def inject_everywhere(*, skip_apps: tuple[str, ...] = ()) -> int:
    """Writes the payload into every free-text column of every project table; returns the columns."""
    columns = 0
    for model in apps.get_models():
        if not model._meta.app_config.name.startswith("mira.") or model._meta.app_label in skip_apps:
            continue
        values = dict(_free_text_fields(model))
        if values:
            model._base_manager.update(**values)
            columns += len(values)
    return columns


def _get(user, url: str):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _assert_escaped(response, where: str) -> bool:
    """No raw markup in an HTML answer; True if the escaped payload is on the page."""
    assert response.status_code < 500, f"{where}: {response.status_code}"
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    html = response.content.decode()
    for marker in RAW_MARKERS:
        assert marker not in html, f"unescaped markup on {where}"
    return ESCAPED in html


# Pages somebody may open (a page nobody may open shows nothing to inject into).
PAGES = [
    name
    for name in URL_NAMES
    if not ROUTES[name].post_only and any(actor in ROUTES[name].allowed for actor in ACTOR_ORDER)
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_markup_in_every_text_field_is_escaped(name):
    route = ROUTES[name]
    actor = next(actor for actor in ACTOR_ORDER if actor in route.allowed)
    world = World.build()
    url = reverse(name, kwargs=route.kwargs(world)) + (f"?{route.query}" if route.query else "")
    # The timeline shows names written into event data (household members, documents).
    case_event_log(participant=world.participant, kind="household_added", actor=world.counsellor, name=PAYLOAD)
    assert inject_everywhere() > 150
    _assert_escaped(_get(None if actor == ANONYMOUS else world.users[actor], url), f"{name} ({url}) as {actor}")


@pytest.mark.django_db
def test_markup_in_every_field_of_a_full_case_is_escaped_on_its_pages(world):
    from mira.aid.models import AidRequest
    from mira.counselling.models import CounsellingSession
    from mira.participants.models import Stage
    from mira.privacy.tests.factories import DataSubjectRequestFactory, close_case

    users = world.users
    case = full_case(
        centre=world.centre,
        counsellor=users["counsellor"],
        coordinator=users["coordinator"],
        finance=users["finance"],
        psychologist=users["psychologist"],
        case_number="EF-2021-0099",
    )
    close_case(case, closed_on=datetime.date(2021, 6, 30), stage=Stage.WITHDRAWN)
    request = DataSubjectRequestFactory(participant=case, recorded_by=users["data_protection"])
    case_event_log(participant=case, kind="household_added", actor=users["counsellor"], name=PAYLOAD)
    # Staff names stay plain here: every page shows the user's own name, which would prove nothing.
    inject_everywhere(skip_apps=("accounts",))
    on_the_case = {"participant_pk": case.pk}
    pages = [
        ("counsellor", reverse("participants:detail", kwargs={"pk": case.pk})),
        ("coordinator", reverse("participants:detail", kwargs={"pk": case.pk})),
        ("psychologist", reverse("participants:detail", kwargs={"pk": case.pk})),
        # The lower cards of the case page (loaded by it with htmx).
        ("counsellor", reverse("participants:detail_more", kwargs={"pk": case.pk})),
        ("coordinator", reverse("participants:detail_more", kwargs={"pk": case.pk})),
        ("psychologist", reverse("participants:detail_more", kwargs={"pk": case.pk})),
        ("counsellor", reverse("participants:list") + "?status=all"),
        ("counsellor", reverse("counselling:session_list", kwargs=on_the_case)),
        ("counsellor", reverse("counselling:session_detail", kwargs={"pk": CounsellingSession.objects.get().pk})),
        ("counsellor", reverse("accompaniment:case_tasks", kwargs=on_the_case)),
        ("counsellor", reverse("accompaniment:departure", kwargs=on_the_case)),
        ("counsellor", reverse("roadmap:detail", kwargs=on_the_case)),
        ("coordinator", reverse("aid:request_detail", kwargs={"pk": AidRequest.objects.get().pk})),
        ("finance", reverse("aid:request_list")),
        ("psychologist", reverse("psychology:case", kwargs=on_the_case)),
        ("psychologist", reverse("psychology:my_cases")),
        ("data_protection", reverse("privacy:request_detail", kwargs={"pk": request.pk})),
        ("data_protection", reverse("privacy:audit")),
    ]
    escaped = [url for actor, url in pages if _assert_escaped(_get(users[actor], url), f"{url} as {actor}")]
    assert sorted({url for _actor, url in pages} - set(escaped)) == []
