import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mira.accounts.models import Role
from mira.counselling.models import CounsellingSession
from mira.counselling.tests.factories import CounsellingSessionFactory, InterpreterFactory
from mira.participants.models import CaseEvent, Stage
from mira.participants.tests.factories import HouseholdMemberFactory, ParticipantFactory
from mira.privacy.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(centre, counsellor):
    return ParticipantFactory(
        centre=centre, case_number="EF-2026-0042", assigned_counsellor=counsellor, stage=Stage.FIRST_CONTACT
    )


def _yesterday_at_ten() -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _form(**overrides) -> dict:
    start = _yesterday_at_ten()
    data = {
        "day": start.date().isoformat(),
        "time": "10:00",
        "duration_minutes": "60",
        "mode": "in_person",
        "topics": ["return_options", "documents"],
        "language": "ka",
        "interpreter": "",
        "interpreter_other": "",
        "participant_attended": "on",
        "notes": "Rückkehroptionen erläutert.",
        "next_steps": "TN bringt den Pass mit.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_session_create_records_the_session_with_attendees_and_contact(client, counsellor, case):
    child = HouseholdMemberFactory(participant=case, first_name="Nino")
    interpreter = InterpreterFactory(centre=case.centre, name="Nino Tsereteli", languages="ka ru")
    client.force_login(counsellor)

    response = client.post(
        reverse("counselling:session_create", kwargs={"participant_pk": case.pk}),
        _form(household_attendees=[child.pk], interpreter=interpreter.pk),
    )

    session = CounsellingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("counselling:session_detail", kwargs={"pk": session.pk})
    assert session.counsellor == counsellor
    assert session.started_at == _yesterday_at_ten()
    assert session.topics == "return_options documents"
    assert session.interpreter == interpreter
    assert list(session.household_attendees.all()) == [child]
    case.refresh_from_db()
    assert case.last_contact_on == timezone.localdate() - datetime.timedelta(days=1)
    assert case.stage == Stage.COUNSELLING
    assert list(CaseEvent.objects.filter(participant=case).values_list("kind", flat=True)) == [
        "session_logged",
        "stage_changed",
    ]
    event = CaseEvent.objects.get(kind="session_logged")
    assert event.data["topics"] == ["return_options", "documents"]
    assert event.data["minutes"] == 60


def test_session_timeline_message_reads_in_german(counsellor, case):
    from django.utils import translation

    from mira.counselling.services import session_create
    from mira.participants.events import event_message

    session = CounsellingSession(
        participant=case,
        started_at=_yesterday_at_ten(),
        duration_minutes=45,
        mode="phone",
        topics="aid",
        language="de",
    )
    session_create(session=session, actor=counsellor)
    event = CaseEvent.objects.get(kind="session_logged")
    with translation.override("de"):
        message = event_message(event)
    when = timezone.localtime(_yesterday_at_ten()).strftime("%d.%m.%Y %H:%M")
    assert message == f"Beratungsgespräch am {when} (Telefon, 45 Min.): MIRA-Hilfe (Sachleistungen)"


def test_session_create_keeps_an_earlier_session_from_moving_the_last_contact_back(counsellor, case):
    from mira.counselling.services import session_create

    case.last_contact_on = timezone.localdate()
    case.save()
    session = CounsellingSession(
        participant=case, started_at=_yesterday_at_ten(), duration_minutes=30, mode="phone", topics="aid", language="de"
    )
    session_create(session=session, actor=counsellor)
    case.refresh_from_db()
    assert case.last_contact_on == timezone.localdate()


def test_session_create_without_topic_shows_the_error_and_keeps_the_input(client, counsellor, case):
    client.force_login(counsellor)
    response = client.post(
        reverse("counselling:session_create", kwargs={"participant_pk": case.pk}),
        _form(topics=[], notes="Lange Notiz, die nicht verloren gehen darf."),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"topics": ["Bitte mindestens ein Thema auswählen."]}
    assert "Lange Notiz, die nicht verloren gehen darf." in response.content.decode()
    assert CounsellingSession.objects.count() == 0


def test_session_create_in_the_future_is_refused(client, counsellor, case):
    client.force_login(counsellor)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("counselling:session_create", kwargs={"participant_pk": case.pk}), _form(day=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "time": ["Ein Gespräch wird erfasst, wenn es stattgefunden hat; der Beginn liegt in der Zukunft."]
    }
    assert CounsellingSession.objects.count() == 0
    case.refresh_from_db()
    assert case.stage == Stage.FIRST_CONTACT


def test_session_create_with_listed_and_other_interpreter_is_refused(client, counsellor, case):
    interpreter = InterpreterFactory(centre=case.centre)
    client.force_login(counsellor)
    response = client.post(
        reverse("counselling:session_create", kwargs={"participant_pk": case.pk}),
        _form(interpreter=interpreter.pk, interpreter_other="Telefondolmetschdienst"),
    )
    assert response.context["form"].errors == {
        "interpreter_other": [
            "Bitte eine Dolmetscherin oder einen Dolmetscher aus der Liste wählen oder eine andere Person nennen, nicht beides."
        ]
    }
    assert CounsellingSession.objects.count() == 0


def test_session_create_without_any_attendee_is_refused(client, counsellor, case):
    client.force_login(counsellor)
    response = client.post(
        reverse("counselling:session_create", kwargs={"participant_pk": case.pk}), _form(participant_attended=None)
    )
    assert response.context["form"].errors == {
        "participant_attended": [
            "Bitte ankreuzen, wer teilgenommen hat: die teilnehmende Person, Haushaltsmitglieder oder beide."
        ]
    }


def test_session_create_offers_only_this_households_members(client, counsellor, case):
    stranger = HouseholdMemberFactory(participant=ParticipantFactory(centre=case.centre))
    client.force_login(counsellor)
    response = client.post(
        reverse("counselling:session_create", kwargs={"participant_pk": case.pk}),
        _form(household_attendees=[stranger.pk]),
    )
    assert list(response.context["form"].errors) == ["household_attendees"]
    assert CounsellingSession.objects.count() == 0


def test_session_create_on_a_closed_case_is_forbidden(client, counsellor, case):
    case.stage = Stage.CLOSED
    case.save()
    client.force_login(counsellor)
    response = client.get(reverse("counselling:session_create", kwargs={"participant_pk": case.pk}))
    assert response.status_code == 403


def test_session_update_by_the_author_keeps_the_history(client, counsellor, case):
    session = CounsellingSessionFactory(
        participant=case,
        counsellor=counsellor,
        started_at=_yesterday_at_ten(),
        language="ka",
        notes="Erste Fassung.",
        next_steps="TN bringt den Pass mit.",
    )
    client.force_login(counsellor)
    response = client.post(
        reverse("counselling:session_update", kwargs={"pk": session.pk}),
        _form(notes="Zweite Fassung.", duration_minutes="90"),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.notes == "Zweite Fassung."
    assert [record.notes for record in session.history.order_by("history_date")] == [
        "Erste Fassung.",
        "Zweite Fassung.",
    ]
    assert session.history.latest().history_user == counsellor

    detail = client.get(reverse("counselling:session_detail", kwargs={"pk": session.pk}), HTTP_ACCEPT_LANGUAGE="de")
    changes = detail.context["changes"]
    assert [(item.label, item.old, item.new, item.is_long) for item in changes[0].fields] == [
        ("Dauer (Minuten)", "60", "90", False),
        ("Notizen", "Erste Fassung.", "Zweite Fassung.", True),
    ]
    assert changes[0].user == counsellor
    assert [change.created for change in changes] == [False, True]


def test_session_update_by_a_colleague_is_forbidden(client, make_user, case, counsellor):
    session = CounsellingSessionFactory(participant=case, counsellor=counsellor)
    colleague = make_user(Role.COUNSELLOR, username="kollegin")
    client.force_login(colleague)
    assert client.get(reverse("counselling:session_update", kwargs={"pk": session.pk})).status_code == 403
    assert client.post(reverse("counselling:session_update", kwargs={"pk": session.pk}), _form()).status_code == 403


def test_session_detail_is_readable_by_the_coordinator_and_logged(client, coordinator, case, counsellor):
    session = CounsellingSessionFactory(participant=case, counsellor=counsellor, notes="Vertrauliche Notiz")
    client.force_login(coordinator)
    response = client.get(reverse("counselling:session_detail", kwargs={"pk": session.pk}))
    assert response.status_code == 200
    assert response.context["can_change"] is False
    assert "Vertrauliche Notiz" in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.user, log.case_number, log.object_id) == (coordinator, "EF-2026-0042", f"session:{session.pk}")


def test_session_detail_of_another_centre_is_not_found(client, counsellor_other_centre, case, counsellor):
    session = CounsellingSessionFactory(participant=case, counsellor=counsellor)
    client.force_login(counsellor_other_centre)
    assert client.get(reverse("counselling:session_detail", kwargs={"pk": session.pk})).status_code == 404


def test_session_list_queries_stay_constant(client, counsellor, case, django_assert_max_num_queries):
    CounsellingSessionFactory(participant=case, counsellor=counsellor)
    client.force_login(counsellor)
    url = reverse("counselling:session_list", kwargs={"participant_pk": case.pk})
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert len(response.context["sessions"]) == 1
    for member in HouseholdMemberFactory.create_batch(2, participant=case):
        CounsellingSessionFactory(participant=case, counsellor=counsellor).household_attendees.add(member)
    CounsellingSessionFactory.create_batch(20, participant=case, counsellor=counsellor)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert len(response.context["sessions"]) == 23


def _render_card(user, participant) -> str:
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load counselling_tags %}{% case_sessions participant %}")
    return template.render(Context({"request": request, "participant": participant}))


def test_case_sessions_card_shows_the_latest_sessions_and_next_appointments(counsellor, case):
    from mira.counselling.tests.factories import AppointmentFactory

    for days in range(1, 8):
        CounsellingSessionFactory(
            participant=case, counsellor=counsellor, started_at=timezone.now() - datetime.timedelta(days=days)
        )
    AppointmentFactory(centre=case.centre, counsellor=counsellor, participant=case, title="Folgeberatung")
    html = _render_card(counsellor, case)
    assert html.count('class="mira-session"') == 5
    assert "Folgeberatung" in html
    assert f'href="/cases/{case.pk}/sessions/new/"' in html


def test_case_sessions_card_is_hidden_from_the_psychologist(psychologist, case):
    assert _render_card(psychologist, case).strip() == ""


def test_case_sessions_card_queries_stay_constant(counsellor, case, django_assert_max_num_queries):
    CounsellingSessionFactory(participant=case, counsellor=counsellor)
    with django_assert_max_num_queries(4):
        _render_card(counsellor, case)
    CounsellingSessionFactory.create_batch(10, participant=case, counsellor=counsellor)
    with django_assert_max_num_queries(4):
        assert _render_card(counsellor, case).count('class="mira-session"') == 5


def test_session_create_after_an_appointment_takes_its_time_and_interpreter(client, counsellor, case):
    from mira.counselling.tests.factories import AppointmentFactory

    interpreter = InterpreterFactory(centre=case.centre)
    start = _yesterday_at_ten()
    appointment = AppointmentFactory(
        centre=case.centre,
        counsellor=counsellor,
        participant=case,
        interpreter=interpreter,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=90),
        video_link="https://video.example.org/raum",
    )
    client.force_login(counsellor)
    response = client.get(
        reverse("counselling:session_create", kwargs={"participant_pk": case.pk}) + f"?appointment={appointment.pk}"
    )
    initial = response.context["form"].initial
    assert (initial["day"], initial["time"], initial["duration_minutes"], initial["mode"], initial["interpreter"]) == (
        start.date(),
        datetime.time(10, 0),
        90,
        "video",
        interpreter.pk,
    )
