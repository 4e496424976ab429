"""Background jobs of counselling work (django-tasks, run by `manage.py db_worker`)."""

from django_scopes import scopes_disabled
from django_tasks import task

from mira.counselling.services import appointment_reminders_send


@task()
def send_appointment_reminders() -> int:
    """Reminds every counsellor by email of tomorrow's appointments, once per appointment.

    Enqueued hourly by `manage.py enqueue_scheduled`; each run sends only what was not sent yet.
    """
    # The worker serves every centre: there is no request whose centre would scope the queries.
    with scopes_disabled():
        return appointment_reminders_send()


SCHEDULED_TASKS = [send_appointment_reminders]
