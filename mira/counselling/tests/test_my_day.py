import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mira.accounts.models import Role
from mira.counselling.tests.factories import AppointmentFactory, InterpreterFactory
from mira.participants.models import Stage
from mira.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _today_at(hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(hour)))


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_my_day_is_the_start_page_of_counsellors(client, counsellor):
    client.force_login(counsellor)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "counselling/my_day.html"


def test_my_day_is_not_the_start_page_of_finance(client, finance):
    client.force_login(finance)
    response = client.get(reverse("core:home"))
    assert [t.name for t in response.templates][0] == "core/home.html"


def test_my_day_shows_todays_own_appointments_in_order(client, counsellor, make_user):
    colleague = make_user(Role.COUNSELLOR, username="kollege")
    AppointmentFactory(
        centre=counsellor.centre,
        counsellor=counsellor,
        title="Nachmittag",
        starts_at=_today_at(14),
        ends_at=_today_at(15),
    )
    AppointmentFactory(
        centre=counsellor.centre,
        counsellor=counsellor,
        title="Vormittag",
        starts_at=_today_at(9),
        ends_at=_today_at(10),
    )
    AppointmentFactory(
        centre=counsellor.centre, counsellor=colleague, title="Fremd", starts_at=_today_at(11), ends_at=_today_at(12)
    )
    AppointmentFactory(centre=counsellor.centre, counsellor=counsellor, title="Morgen",
                       starts_at=_today_at(9) + datetime.timedelta(days=1), ends_at=_today_at(10) + datetime.timedelta(days=1))  # fmt: skip
    client.force_login(counsellor)
    response = client.get(reverse("counselling:my_day"))
    assert [a.title for a in response.context["day"].appointments] == ["Vormittag", "Nachmittag"]


def test_my_day_lists_own_open_cases_without_contact_for_30_days(client, counsellor, make_user):
    colleague = make_user(Role.COUNSELLOR, username="kollege")
    quiet = ParticipantFactory(centre=counsellor.centre, assigned_counsellor=counsellor, case_number="EF-2026-0001", last_contact_on=_days_ago(30))  # fmt: skip
    never = ParticipantFactory(centre=counsellor.centre, assigned_counsellor=counsellor, case_number="EF-2026-0002", last_contact_on=None, opened_on=_days_ago(45))  # fmt: skip
    ParticipantFactory(centre=counsellor.centre, assigned_counsellor=counsellor, last_contact_on=_days_ago(29))
    ParticipantFactory(
        centre=counsellor.centre, assigned_counsellor=counsellor, last_contact_on=None, opened_on=_days_ago(10)
    )
    ParticipantFactory(
        centre=counsellor.centre, assigned_counsellor=counsellor, last_contact_on=_days_ago(90), stage=Stage.CLOSED
    )
    # After the departure the partner coaches keep in touch.
    ParticipantFactory(
        centre=counsellor.centre, assigned_counsellor=counsellor, last_contact_on=_days_ago(90), stage=Stage.COACHING
    )
    ParticipantFactory(centre=counsellor.centre, assigned_counsellor=colleague, last_contact_on=_days_ago(90))
    client.force_login(counsellor)
    response = client.get(reverse("counselling:my_day"))
    day = response.context["day"]
    assert day.cases_without_contact == [never, quiet]
    assert [case.days_without_contact for case in day.cases_without_contact] == [45, 30]
    assert day.cases_without_contact_total == 2


def test_my_day_queries_stay_constant(client, counsellor, django_assert_max_num_queries):
    AppointmentFactory(centre=counsellor.centre, counsellor=counsellor, starts_at=_today_at(9), ends_at=_today_at(10))
    ParticipantFactory(centre=counsellor.centre, assigned_counsellor=counsellor, last_contact_on=_days_ago(40))
    client.force_login(counsellor)
    # session, user; today's appointments, quiet cases and tasks due (each list with its count);
    # the roadmap's goals-due card (with its count)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("counselling:my_day"))
    assert len(response.context["day"].appointments) == 1
    interpreter = InterpreterFactory(centre=counsellor.centre)
    for hour in (10, 11, 12, 13, 14, 15):
        AppointmentFactory(
            centre=counsellor.centre,
            counsellor=counsellor,
            participant=ParticipantFactory(
                centre=counsellor.centre, assigned_counsellor=counsellor, last_contact_on=_days_ago(50)
            ),
            interpreter=interpreter,
            starts_at=_today_at(hour),
            ends_at=_today_at(hour + 1),
        )
    ParticipantFactory.create_batch(
        15, centre=counsellor.centre, assigned_counsellor=counsellor, last_contact_on=_days_ago(60)
    )
    # session, user; today's appointments, quiet cases and tasks due (each list with its count);
    # the roadmap's goals-due card (with its count)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("counselling:my_day"))
    assert len(response.context["day"].appointments) == 7
    assert response.context["day"].cases_without_contact_total == 22


def test_my_day_shows_the_most_urgent_tasks_and_links_to_all(client, counsellor, django_assert_max_num_queries):
    from mira.accompaniment.tests.factories import TaskFactory

    case = ParticipantFactory(centre=counsellor.centre, assigned_counsellor=counsellor, case_number="EF-2026-0310")
    for days in range(14):
        TaskFactory(participant=case, responsible=counsellor, title=f"Aufgabe {days:02d}", due_on=_days_ago(days))
    client.force_login(counsellor)
    with django_assert_max_num_queries(6):  # as above: the count of all tasks due comes with them
        response = client.get(reverse("counselling:my_day"))
    day = response.context["day"]
    assert day.tasks_total == 14
    # The oldest first: the twelve most overdue, the two due yesterday and today wait on My tasks.
    assert [task.title for task in day.tasks] == [f"Aufgabe {days:02d}" for days in range(13, 1, -1)]
    html = response.content.decode()
    assert "Alle 14 fälligen Aufgaben unter „Meine Aufgaben“" in html
    assert reverse("accompaniment:my_tasks") in html
    assert "EF-2026-0310" in html


def test_my_day_lists_a_few_tasks_without_a_link_to_more(client, counsellor):
    from mira.accompaniment.tests.factories import TaskFactory

    case = ParticipantFactory(centre=counsellor.centre, assigned_counsellor=counsellor)
    for days in range(3):
        TaskFactory(participant=case, responsible=counsellor, due_on=_days_ago(days))
    client.force_login(counsellor)
    response = client.get(reverse("counselling:my_day"))
    assert response.context["day"].tasks_total == 3
    assert "fälligen Aufgaben unter" not in response.content.decode()
