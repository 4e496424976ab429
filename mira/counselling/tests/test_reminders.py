import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import formats, timezone, translation

from mira.accounts.models import Role
from mira.counselling.models import Appointment, AppointmentStatus
from mira.counselling.tests.factories import AppointmentFactory, InterpreterFactory
from mira.participants.tests.factories import ParticipantFactory

# The worker checks the connection between tasks, which a test wrapped in a transaction cannot survive.
pytestmark = pytest.mark.django_db(transaction=True)


def _tomorrow_at(hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _run_scheduled_jobs() -> None:
    """What cron and the worker do in production: enqueue the periodic jobs, then run the queue."""
    call_command("enqueue_scheduled", stdout=io.StringIO())
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_reminders_are_sent_once_per_counsellor_through_the_queue(counsellor, make_user, counsellor_other_centre):
    case = ParticipantFactory(
        centre=counsellor.centre, case_number="EF-2026-0042", first_name="Giorgi", last_name="Beridze"
    )
    interpreter = InterpreterFactory(centre=counsellor.centre, name="Nino Tsereteli")
    AppointmentFactory(
        centre=counsellor.centre,
        counsellor=counsellor,
        participant=case,
        title="Rückkehrplanung",
        interpreter=interpreter,
        starts_at=_tomorrow_at(10),
        ends_at=_tomorrow_at(11),
        place="MIRA Erfurt, Raum 2",
    )
    AppointmentFactory(
        centre=counsellor.centre,
        counsellor=counsellor,
        title="Teamsitzung",
        starts_at=_tomorrow_at(8, 30),
        ends_at=_tomorrow_at(9, 30),
        place="",
        video_link="https://video.example.org/team",
    )
    AppointmentFactory(
        centre=counsellor.centre,
        counsellor=counsellor,
        title="Abgesagt",
        status=AppointmentStatus.CANCELLED,
        starts_at=_tomorrow_at(14),
        ends_at=_tomorrow_at(15),
    )
    AppointmentFactory(centre=counsellor.centre, counsellor=counsellor, title="Übermorgen",
                       starts_at=_tomorrow_at(10) + datetime.timedelta(days=1),
                       ends_at=_tomorrow_at(11) + datetime.timedelta(days=1))  # fmt: skip
    AppointmentFactory(
        centre=counsellor_other_centre.centre,
        counsellor=counsellor_other_centre,
        title="Beratung in Gera",
        starts_at=_tomorrow_at(9),
        ends_at=_tomorrow_at(10),
    )

    _run_scheduled_jobs()

    assert sorted(message.to[0] for message in mail.outbox) == ["beratung2@example.org", "beratung@example.org"]
    message = next(m for m in mail.outbox if m.to == ["beratung@example.org"])
    day = timezone.localdate() + datetime.timedelta(days=1)
    with translation.override("de"):
        assert message.subject == f"MIRA: Ihre Termine am {formats.date_format(day, 'DATE_FORMAT')}"
    body = message.body
    assert "- 08:30–09:30 Teamsitzung" in body
    assert "- 10:00–11:00 Rückkehrplanung (Fall EF-2026-0042)" in body
    assert "Dolmetschung: Nino Tsereteli" in body
    assert "Videotermin: https://video.example.org/team" in body
    assert body.index("Teamsitzung") < body.index("Rückkehrplanung")
    assert "Abgesagt" not in body and "Übermorgen" not in body
    assert "Beridze" not in body
    assert Appointment.objects.filter(reminder_sent_at__isnull=False).count() == 3

    mail.outbox.clear()
    _run_scheduled_jobs()
    assert mail.outbox == []


def test_reminder_for_an_appointment_booked_after_the_first_run_goes_out_on_the_next(counsellor):
    AppointmentFactory(
        centre=counsellor.centre,
        counsellor=counsellor,
        title="Erster",
        starts_at=_tomorrow_at(9),
        ends_at=_tomorrow_at(10),
    )
    _run_scheduled_jobs()
    AppointmentFactory(
        centre=counsellor.centre,
        counsellor=counsellor,
        title="Nachgebucht",
        starts_at=_tomorrow_at(15),
        ends_at=_tomorrow_at(16),
    )
    mail.outbox.clear()
    _run_scheduled_jobs()
    [message] = mail.outbox
    assert "Nachgebucht" in message.body and "Erster" not in message.body


def test_reminder_skips_counsellors_without_email_but_marks_the_appointment(make_user):
    silent = make_user(Role.COUNSELLOR, username="ohnemail", email="")
    AppointmentFactory(centre=silent.centre, counsellor=silent, starts_at=_tomorrow_at(9), ends_at=_tomorrow_at(10))
    _run_scheduled_jobs()
    assert mail.outbox == []
    assert Appointment.objects.get().reminder_sent_at is not None
