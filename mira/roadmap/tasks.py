"""Background jobs of the roadmap (django-tasks, run by `manage.py db_worker`)."""

from django_scopes import scopes_disabled
from django_tasks import task

from mira.roadmap.services import goal_reminders_send


@task()
def send_goal_reminders() -> int:
    """Reminds every counsellor by email of goals due within 7 days or overdue, once per goal and day.

    Enqueued by `manage.py enqueue_scheduled` (e.g. hourly); each run sends only what was not sent today.
    """
    # The worker serves every centre: there is no request whose centre would scope the queries.
    with scopes_disabled():
        return goal_reminders_send()


SCHEDULED_TASKS = [send_goal_reminders]
