import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from mira.accounts.models import Role
from mira.counselling.models import Appointment, AppointmentStatus
from mira.counselling.services import appointment_create, appointment_set_status, appointment_update
from mira.counselling.tests.factories import AppointmentFactory, InterpreterFactory
from mira.participants.models import CaseEvent
from mira.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _at(day_offset: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=day_offset)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def case(centre, counsellor):
    return ParticipantFactory(centre=centre, case_number="EF-2026-0042", assigned_counsellor=counsellor)


def _new(counsellor, start, end, **fields) -> Appointment:
    return Appointment(
        counsellor=counsellor, title=fields.pop("title", "Beratung"), starts_at=start, ends_at=end, **fields
    )


def _form(**overrides) -> dict:
    day = timezone.localdate() + datetime.timedelta(days=2)
    data = {
        "title": "Beratung",
        "case_number": "EF-2026-0042",
        "counsellor": "",
        "day": day.isoformat(),
        "start_time": "10:00",
        "end_time": "11:00",
        "place": "MIRA Erfurt, Raum 2",
        "video_link": "",
        "interpreter": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_appointment_create_books_and_logs_on_the_case(client, counsellor, case):
    client.force_login(counsellor)
    response = client.post(reverse("counselling:appointment_create"), _form(counsellor=counsellor.pk))
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert (appointment.participant, appointment.counsellor, appointment.created_by) == (case, counsellor, counsellor)
    assert appointment.starts_at == _at(2, 10)
    assert appointment.ends_at == _at(2, 11)
    assert appointment.centre == counsellor.centre
    assert appointment.status == AppointmentStatus.PLANNED
    assert CaseEvent.objects.get().kind == "appointment_booked"


def test_appointment_double_booking_of_the_counsellor_is_refused(counsellor, case):
    first = appointment_create(appointment=_new(counsellor, _at(2, 10), _at(2, 11), participant=case), actor=counsellor)
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        appointment_create(appointment=_new(counsellor, _at(2, 10, 30), _at(2, 11, 30)), actor=counsellor)
    start = timezone.localtime(first.starts_at)
    assert refused.value.message_dict == {
        "counsellor": [
            f"Anna Keller hat zu dieser Zeit bereits einen Termin: {start:%d.%m.%Y} 10:00–11:00 „Beratung“ (EF-2026-0042)."
        ]
    }
    assert Appointment.objects.count() == 1


def test_appointment_double_booking_of_the_interpreter_is_refused(counsellor, make_user):
    colleague = make_user(Role.COUNSELLOR, username="kollege", first_name="Tobias", last_name="Wagner")
    interpreter = InterpreterFactory(centre=counsellor.centre, name="Samira Haddad")
    appointment_create(
        appointment=_new(colleague, _at(3, 9), _at(3, 10), interpreter=interpreter, title="Folgeberatung"),
        actor=colleague,
    )
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        appointment_create(
            appointment=_new(counsellor, _at(3, 9, 45), _at(3, 10, 45), interpreter=interpreter), actor=counsellor
        )
    day = f"{_at(3, 9):%d.%m.%Y}"
    assert refused.value.message_dict == {
        "interpreter": [
            f"Dolmetscher:in Samira Haddad ist zu dieser Zeit bereits gebucht: {day} 09:00–10:00 „Folgeberatung“."
        ]
    }


def test_appointment_right_after_another_is_accepted(counsellor):
    appointment_create(appointment=_new(counsellor, _at(2, 10), _at(2, 11)), actor=counsellor)
    appointment_create(appointment=_new(counsellor, _at(2, 11), _at(2, 12)), actor=counsellor)
    assert Appointment.objects.count() == 2


def test_appointment_in_a_cancelled_slot_is_accepted(counsellor):
    first = appointment_create(appointment=_new(counsellor, _at(2, 10), _at(2, 11)), actor=counsellor)
    appointment_set_status(appointment=first, status=AppointmentStatus.CANCELLED, actor=counsellor)
    appointment_create(appointment=_new(counsellor, _at(2, 10), _at(2, 11)), actor=counsellor)
    assert Appointment.objects.filter(status=AppointmentStatus.PLANNED).count() == 1


def test_appointment_of_another_centre_does_not_block(counsellor, counsellor_other_centre):
    AppointmentFactory(
        centre=counsellor_other_centre.centre,
        counsellor=counsellor_other_centre,
        starts_at=_at(2, 10),
        ends_at=_at(2, 11),
    )
    appointment_create(appointment=_new(counsellor, _at(2, 10), _at(2, 11)), actor=counsellor)
    assert Appointment.objects.filter(counsellor=counsellor).count() == 1


def test_appointment_that_ends_before_it_starts_is_refused_next_to_the_field(client, counsellor, case):
    client.force_login(counsellor)
    response = client.post(
        reverse("counselling:appointment_create"),
        _form(counsellor=counsellor.pk, start_time="11:00", end_time="10:30", notes="Bitte Unterlagen mitbringen"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"end_time": ["Der Termin muss nach seinem Beginn enden."]}
    page = response.content.decode()
    assert 'aria-describedby="id_end_time_error"' in page
    assert "Bitte Unterlagen mitbringen" in page
    assert Appointment.objects.count() == 0


def test_appointment_overlap_is_shown_next_to_the_counsellor_field(client, counsellor, case):
    AppointmentFactory(centre=counsellor.centre, counsellor=counsellor, starts_at=_at(2, 9, 30), ends_at=_at(2, 10, 30))
    client.force_login(counsellor)
    response = client.post(reverse("counselling:appointment_create"), _form(counsellor=counsellor.pk))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["counsellor"]
    assert errors["counsellor"][0].startswith("Anna Keller hat zu dieser Zeit bereits einen Termin:")
    assert Appointment.objects.count() == 1


def test_appointment_with_unknown_case_number_is_refused(client, counsellor):
    client.force_login(counsellor)
    response = client.post(
        reverse("counselling:appointment_create"), _form(counsellor=counsellor.pk, case_number="EF-2026-9999")
    )
    assert response.context["form"].errors == {
        "case_number": ["In Ihrer Beratungsstelle gibt es keine Fallakte mit dieser Nummer."]
    }


def test_appointment_with_a_case_of_another_centre_is_refused(client, counsellor, counsellor_other_centre):
    ParticipantFactory(centre=counsellor_other_centre.centre, case_number="GE-2026-0001")
    client.force_login(counsellor)
    response = client.post(
        reverse("counselling:appointment_create"), _form(counsellor=counsellor.pk, case_number="GE-2026-0001")
    )
    assert list(response.context["form"].errors) == ["case_number"]
    assert Appointment.objects.count() == 0


def test_appointment_with_plain_http_video_link_is_refused(client, counsellor, case):
    client.force_login(counsellor)
    response = client.post(
        reverse("counselling:appointment_create"),
        _form(counsellor=counsellor.pk, video_link="http://video.example.org/raum"),
    )
    assert response.context["form"].errors == {
        "video_link": ["Bitte eine sichere Adresse angeben, die mit https:// beginnt."]
    }


def test_appointment_update_may_keep_its_own_slot_and_resets_the_reminder_when_moved(counsellor, case):
    appointment = appointment_create(
        appointment=_new(counsellor, _at(2, 10), _at(2, 11), participant=case), actor=counsellor
    )
    Appointment.objects.filter(pk=appointment.pk).update(reminder_sent_at=timezone.now())
    appointment.refresh_from_db()
    appointment.ends_at = _at(2, 11, 30)
    appointment_update(appointment=appointment, actor=counsellor)
    appointment.refresh_from_db()
    assert (appointment.sequence, appointment.reminder_sent_at is None) == (1, False)

    appointment.starts_at, appointment.ends_at = _at(3, 10), _at(3, 11)
    appointment_update(appointment=appointment, actor=counsellor)
    appointment.refresh_from_db()
    assert (appointment.sequence, appointment.reminder_sent_at) == (2, None)
    assert list(CaseEvent.objects.order_by("id").values_list("kind", flat=True)) == [
        "appointment_booked",
        "appointment_changed",
        "appointment_changed",
    ]


def test_appointment_update_into_a_taken_slot_is_refused(counsellor):
    appointment_create(appointment=_new(counsellor, _at(2, 10), _at(2, 11)), actor=counsellor)
    second = appointment_create(appointment=_new(counsellor, _at(2, 12), _at(2, 13)), actor=counsellor)
    second.starts_at = _at(2, 10, 30)
    with pytest.raises(ValidationError):
        appointment_update(appointment=second, actor=counsellor)
    second.refresh_from_db()
    assert second.starts_at == _at(2, 12)


def test_appointment_cancel_marks_it_and_logs(client, counsellor, case):
    appointment = appointment_create(
        appointment=_new(counsellor, _at(2, 10), _at(2, 11), participant=case), actor=counsellor
    )
    client.force_login(counsellor)
    response = client.post(reverse("counselling:appointment_cancel", kwargs={"pk": appointment.pk}))
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.status, appointment.sequence) == (AppointmentStatus.CANCELLED, 1)
    assert CaseEvent.objects.order_by("-id").first().kind == "appointment_cancelled"


def test_appointment_done_before_it_began_is_refused(client, counsellor, case):
    appointment = appointment_create(
        appointment=_new(counsellor, _at(2, 10), _at(2, 11), participant=case), actor=counsellor
    )
    client.force_login(counsellor)
    response = client.post(reverse("counselling:appointment_done", kwargs={"pk": appointment.pk}), follow=True)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PLANNED
    assert [str(m) for m in response.context["messages"]] == [
        "Ein Termin kann als stattgefunden markiert werden, sobald er begonnen hat."
    ]


def test_appointment_done_moves_the_cases_last_contact(counsellor, case):
    appointment = AppointmentFactory(
        centre=counsellor.centre, counsellor=counsellor, participant=case, starts_at=_at(-3, 10), ends_at=_at(-3, 11)
    )
    appointment_set_status(appointment=appointment, status=AppointmentStatus.DONE, actor=counsellor)
    case.refresh_from_db()
    assert case.last_contact_on == timezone.localdate() - datetime.timedelta(days=3)


def test_appointment_change_by_a_colleague_is_forbidden_but_the_coordinator_may(
    client, counsellor, coordinator, make_user
):
    appointment = AppointmentFactory(centre=counsellor.centre, counsellor=counsellor)
    url = reverse("counselling:appointment_update", kwargs={"pk": appointment.pk})
    client.force_login(make_user(Role.COUNSELLOR, username="kollegin"))
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


def test_appointment_of_another_centre_is_not_found(client, counsellor, counsellor_other_centre):
    appointment = AppointmentFactory(centre=counsellor.centre, counsellor=counsellor)
    client.force_login(counsellor_other_centre)
    for name in ("appointment_detail", "appointment_update", "appointment_ics"):
        assert client.get(reverse(f"counselling:{name}", kwargs={"pk": appointment.pk})).status_code == 404
    assert client.post(reverse("counselling:appointment_cancel", kwargs={"pk": appointment.pk})).status_code == 404


def test_appointment_create_prefills_from_a_calendar_slot(client, counsellor, make_user):
    colleague = make_user(Role.COUNSELLOR, username="kollege")
    client.force_login(counsellor)
    response = client.get(
        reverse("counselling:appointment_create") + f"?start=2026-12-01T14:30&counsellor={colleague.pk}"
    )
    initial = response.context["form"].initial
    assert (initial["day"], initial["start_time"], initial["end_time"], initial["counsellor"]) == (
        datetime.date(2026, 12, 1),
        datetime.time(14, 30),
        datetime.time(15, 30),
        colleague.pk,
    )


@pytest.mark.django_db(transaction=True)
def test_appointment_double_booking_is_refused_under_concurrent_requests(centre, counsellor):
    """Two bookings of the same slot at the same moment: the row lock lets exactly one through."""
    barrier = threading.Barrier(2)
    outcomes = []

    def book():
        from django_scopes import scopes_disabled

        try:
            with scopes_disabled():
                barrier.wait()
                appointment_create(appointment=_new(counsellor, _at(4, 10), _at(4, 11)), actor=counsellor)
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=book) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "refused"]
    assert Appointment.objects.count() == 1
