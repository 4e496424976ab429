import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mira.accompaniment.models import (
    ApplicationStatus,
    ChecklistTemplate,
    DeadlineRule,
    Programme,
    ProgrammeApplication,
    Task,
    TaskAttachment,
    TaskStatus,
)
from mira.accompaniment.tests.factories import (
    ChecklistTemplateFactory,
    ChecklistTemplateStepFactory,
    DeadlineRuleFactory,
    ProgrammeApplicationFactory,
    TaskFactory,
)
from mira.accompaniment.views import TASKS_PER_PAGE
from mira.participants.models import CaseEvent, Participant
from mira.participants.tests.factories import ParticipantFactory
from mira.roadmap.tests.factories import AgreedVersionFactory, GoalFactory, RoadmapFactory

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(centre=centre, assigned_counsellor=counsellor, opened_on=days(-30))


@pytest.fixture
def client_of():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def _url(name, participant, **kwargs):
    return reverse(f"accompaniment:{name}", kwargs={"participant_pk": participant.pk, **kwargs})


# ---------------------------------------------------------------- tasks of a case


def test_task_create_saves_and_redirects(client_of, counsellor, participant):
    response = client_of(counsellor).post(
        _url("task_create", participant),
        {"title": "Geburtsurkunde beschaffen", "due_on": days(5).isoformat(), "responsible": counsellor.pk},
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.title, task.due_on, task.responsible) == ("Geburtsurkunde beschaffen", days(5), counsellor)


def test_task_create_due_before_case_opened_shows_german_message_and_keeps_input(client_of, counsellor, participant):
    response = client_of(counsellor).post(
        _url("task_create", participant),
        {"title": "Schulzeugnis beglaubigen", "due_on": days(-31).isoformat(), "responsible": counsellor.pk,
         "notes": "Original liegt beim Schulamt"},
    )  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    opened = days(-30).strftime("%d.%m.%Y")
    due = days(-31).strftime("%d.%m.%Y")
    assert f"Das Fälligkeitsdatum {due} liegt vor der Eröffnung der Fallakte ({opened})." in html
    assert 'value="Schulzeugnis beglaubigen"' in html
    assert "Original liegt beim Schulamt" in html
    assert 'aria-describedby="id_due_on_error"' in html
    assert Task.objects.count() == 0


def test_task_create_without_title_shows_german_message(client_of, counsellor, participant):
    response = client_of(counsellor).post(
        _url("task_create", participant), {"title": "", "due_on": days(1).isoformat(), "responsible": counsellor.pk}
    )
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()


def test_task_create_responsible_of_other_centre_is_not_offered(
    client_of, counsellor, participant, counsellor_other_centre
):
    response = client_of(counsellor).post(
        _url("task_create", participant),
        {"title": "Pass", "due_on": days(1).isoformat(), "responsible": counsellor_other_centre.pk},
    )
    assert response.status_code == 400
    assert Task.objects.count() == 0


def test_case_tasks_lists_overdue_first_and_logs_the_read(client_of, counsellor, participant):
    TaskFactory(participant=participant, title="Später", due_on=days(10))
    TaskFactory(participant=participant, title="Überfällig", due_on=days(-2))
    TaskFactory(participant=participant, title="Erledigt", due_on=days(-5), status=TaskStatus.DONE)
    response = client_of(counsellor).get(_url("case_tasks", participant))
    assert response.status_code == 200
    assert [task.title for task in response.context["tasks"]] == ["Überfällig", "Später", "Erledigt"]
    assert response.content.decode().count("mira-task-overdue") == 1
    from mira.privacy.models import AccessLog

    assert AccessLog.objects.filter(participant=participant, user=counsellor).count() == 1


def test_case_tasks_of_another_centre_is_404(client_of, counsellor_other_centre, participant):
    TaskFactory(participant=participant)
    assert client_of(counsellor_other_centre).get(_url("case_tasks", participant)).status_code == 404


def test_task_detail_of_another_centre_is_404(client_of, counsellor_other_centre, participant):
    task = TaskFactory(participant=participant)
    assert client_of(counsellor_other_centre).get(task.get_absolute_url()).status_code == 404


def test_task_detail_with_wrong_case_in_url_is_404(client_of, counsellor, participant, centre):
    task = TaskFactory(participant=participant)
    other_case = ParticipantFactory(centre=centre)
    url = reverse("accompaniment:task_detail", kwargs={"participant_pk": other_case.pk, "pk": task.pk})
    assert client_of(counsellor).get(url).status_code == 404


def test_task_status_htmx_returns_the_row(client_of, counsellor, participant):
    task = TaskFactory(participant=participant, due_on=days(-1))
    response = client_of(counsellor).post(
        _url("task_status", participant, pk=task.pk), {"status": "done", "layout": "case"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr data-task="{task.pk}"')
    assert "mira-task-overdue" not in html
    task.refresh_from_db()
    assert (task.status, task.done_on) == ("done", timezone.localdate())


def test_task_status_without_htmx_redirects_to_next(client_of, counsellor, participant):
    task = TaskFactory(participant=participant)
    response = client_of(counsellor).post(
        _url("task_status", participant, pk=task.pk), {"status": "in_progress", "next": "/tasks/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/tasks/")
    task.refresh_from_db()
    assert task.status == "in_progress"


def test_task_status_ignores_a_foreign_next(client_of, counsellor, participant):
    task = TaskFactory(participant=participant)
    response = client_of(counsellor).post(
        _url("task_status", participant, pk=task.pk), {"status": "done", "next": "https://example.com/"}
    )
    assert response["Location"] == _url("case_tasks", participant)


def test_task_edit_keeps_status_and_logs_changed_fields(client_of, counsellor, participant):
    task = TaskFactory(participant=participant, title="Pass", status=TaskStatus.IN_PROGRESS)
    response = client_of(counsellor).post(
        _url("task_edit", participant, pk=task.pk),
        {"title": "Pass abholen", "due_on": days(9).isoformat(), "responsible": counsellor.pk, "notes": ""},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.due_on, task.status) == ("Pass abholen", days(9), "in_progress")
    event = CaseEvent.objects.get(participant=participant)
    assert (event.kind, event.data["fields"]) == ("task_changed", ["title", "due_on"])


def test_task_attach_stores_a_document(client_of, counsellor, participant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = TaskFactory(participant=participant)
    response = client_of(counsellor).post(
        _url("task_attach", participant, pk=task.pk),
        {"title": "Terminbestätigung Botschaft", "category": "correspondence",
         "file": SimpleUploadedFile("termin.png", PNG, content_type="image/png")},
    )  # fmt: skip
    assert response.status_code == 302
    attachment = TaskAttachment.objects.get()
    assert (attachment.task, attachment.document.title, attachment.document.participant) == (
        task,
        "Terminbestätigung Botschaft",
        participant,
    )


def test_task_attach_wrong_file_type_keeps_the_title(client_of, counsellor, participant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = TaskFactory(participant=participant)
    response = client_of(counsellor).post(
        _url("task_attach", participant, pk=task.pk),
        {"title": "Notiz", "category": "other", "file": SimpleUploadedFile("notiz.txt", b"hello")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    # The message itself is the documents app's (validate_upload); it stands next to the file field.
    assert '<ul class="errorlist" id="id_file_error">' in html
    assert 'value="Notiz"' in html
    assert TaskAttachment.objects.count() == 0


# ---------------------------------------------------------------- checklists on a case


def test_tasks_from_template_creates_the_steps(client_of, counsellor, participant, centre):
    template = ChecklistTemplateFactory(centre=centre, name="Passbeschaffung")
    ChecklistTemplateStepFactory(template=template, title="Botschaftstermin vereinbaren", offset_days=0, order=0)
    ChecklistTemplateStepFactory(template=template, title="Pass abholen", offset_days=30, order=1)
    response = client_of(counsellor).post(
        _url("tasks_from_template", participant),
        {"template": template.pk, "start_on": days(1).isoformat(), "responsible": counsellor.pk},
    )
    assert response.status_code == 302
    assert list(Task.objects.order_by("sort_order").values_list("title", "due_on")) == [
        ("Botschaftstermin vereinbaren", days(1)),
        ("Pass abholen", days(31)),
    ]


def test_tasks_from_template_start_before_opening_shows_message(client_of, counsellor, participant, centre):
    step = ChecklistTemplateStepFactory(template__centre=centre)
    response = client_of(counsellor).post(
        _url("tasks_from_template", participant),
        {"template": step.template.pk, "start_on": days(-40).isoformat(), "responsible": counsellor.pk},
    )
    assert response.status_code == 400
    assert "liegt vor der Eröffnung der Fallakte" in response.content.decode()
    assert Task.objects.count() == 0


def test_tasks_from_template_offers_no_template_of_another_centre(client_of, counsellor, participant, other_centre):
    foreign = ChecklistTemplateStepFactory(template__centre=other_centre).template
    response = client_of(counsellor).post(
        _url("tasks_from_template", participant),
        {"template": foreign.pk, "start_on": days(1).isoformat(), "responsible": counsellor.pk},
    )
    assert response.status_code == 400
    assert Task.objects.count() == 0


# ---------------------------------------------------------------- task lists


def test_my_tasks_shows_only_mine(client_of, counsellor, coordinator, participant):
    TaskFactory(participant=participant, title="Meine", responsible=counsellor)
    TaskFactory(participant=participant, title="Fremde", responsible=coordinator)
    response = client_of(counsellor).get(reverse("accompaniment:my_tasks"))
    assert [task.title for task in response.context["page"].object_list] == ["Meine"]


def test_task_list_filters_overdue_and_responsible(client_of, counsellor, coordinator, participant):
    TaskFactory(participant=participant, title="A", responsible=counsellor, due_on=days(-3))
    TaskFactory(participant=participant, title="B", responsible=coordinator, due_on=days(-1))
    TaskFactory(participant=participant, title="C", responsible=counsellor, due_on=days(4))
    TaskFactory(participant=participant, title="D", responsible=counsellor, due_on=days(-4), status="done")
    client = client_of(coordinator)
    overdue = client.get(reverse("accompaniment:task_list"), {"overdue": "on"})
    assert [task.title for task in overdue.context["page"].object_list] == ["A", "B"]
    mine = client.get(reverse("accompaniment:task_list"), {"responsible": counsellor.pk, "status": "all"})
    assert [task.title for task in mine.context["page"].object_list] == ["D", "A", "C"]


def test_task_list_calls_the_task_owner_zustaendig_and_a_goal_owner_verantwortlich(client_of, counsellor, participant):
    # One English word, two German ones: "Responsible" of a task is translated with the context "task".
    TaskFactory(participant=participant, responsible=counsellor, due_on=days(2))
    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant))
    GoalFactory(version=version, due_on=days(2))
    client = client_of(counsellor)
    tasks = client.get(reverse("accompaniment:my_tasks")).content.decode()
    goals = client.get(reverse("roadmap:goals_due")).content.decode()
    assert '<th scope="col">Zuständig</th>' in tasks and "Verantwortlich" not in tasks
    assert '<th scope="col">Verantwortlich</th>' in goals and "Zuständig" not in goals


def test_task_list_shows_nothing_of_another_centre(client_of, counsellor_other_centre, participant):
    TaskFactory(participant=participant)
    response = client_of(counsellor_other_centre).get(reverse("accompaniment:task_list"))
    assert list(response.context["page"].object_list) == []


def _many_tasks(participant, counsellor, count):
    for n in range(count):
        case = ParticipantFactory(centre=participant.centre, assigned_counsellor=counsellor)
        TaskFactory(participant=case, responsible=counsellor, due_on=days(n - 5))


@pytest.mark.parametrize("count", [1, 30])
def test_task_list_query_count_is_constant(client_of, counsellor, participant, count, django_assert_max_num_queries):
    _many_tasks(participant, counsellor, count)
    client = client_of(counsellor)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("accompaniment:task_list"), {"status": "pending"})
    assert len(response.context["page"].object_list) == min(count, TASKS_PER_PAGE)
    # The next page keeps the filter.
    assert ('href="?status=pending&amp;page=2"' in response.content.decode()) == (count > TASKS_PER_PAGE)


@pytest.mark.parametrize("count", [1, 30])
def test_my_tasks_query_count_is_constant(client_of, counsellor, participant, count, django_assert_max_num_queries):
    _many_tasks(participant, counsellor, count)
    client = client_of(counsellor)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("accompaniment:my_tasks"))
    assert len(response.context["page"].object_list) == min(count, TASKS_PER_PAGE)


@pytest.mark.parametrize("count", [1, 30])
def test_case_tasks_query_count_is_constant(client_of, counsellor, participant, count, django_assert_max_num_queries):
    for n in range(count):
        TaskFactory(participant=participant, due_on=days(n - 3))
    client = client_of(counsellor)
    with django_assert_max_num_queries(11):
        response = client.get(_url("case_tasks", participant))
    assert response.content.decode().count("data-task=") == count


# ---------------------------------------------------------------- departure planning


@pytest.fixture
def rules(db):
    DeadlineRule.objects.all().delete()
    return [
        DeadlineRuleFactory(title="JRS-Antrag im RIAT-System stellen", programme=Programme.JRS, offset=19),
        DeadlineRuleFactory(title="Reisedokument liegt vor", offset=28),
    ]


def test_departure_too_close_warns_and_saves_nothing(client_of, counsellor, participant, rules):
    ProgrammeApplicationFactory(participant=participant, programme=Programme.JRS)
    response = client_of(counsellor).post(_url("departure", participant), {"departure": days(21).isoformat()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dieses Ausreisedatum lässt für 1 Frist zu wenig Zeit." in html
    assert "Reisedokument liegt vor" in html
    assert 'name="accept_missed_deadlines"' in html
    assert f'value="{days(21).isoformat()}"' in html
    assert Participant.objects.get(pk=participant.pk).planned_departure is None
    assert Task.objects.count() == 0


def test_departure_too_close_confirmed_saves(client_of, counsellor, participant, rules):
    response = client_of(counsellor).post(
        _url("departure", participant), {"departure": days(21).isoformat(), "accept_missed_deadlines": "on"}
    )
    assert response.status_code == 302
    assert Participant.objects.get(pk=participant.pk).planned_departure == days(21)
    assert list(Task.objects.values_list("title", "due_on")) == [("Reisedokument liegt vor", days(-7))]


def test_departure_page_shows_the_plan_of_the_planned_date(client_of, counsellor, participant, rules):
    Participant.objects.filter(pk=participant.pk).update(planned_departure=days(60))
    ProgrammeApplicationFactory(participant=participant, programme=Programme.JRS)
    response = client_of(counsellor).get(_url("departure", participant))
    assert [(deadline.rule.title, deadline.due_on, task) for deadline, task in response.context["plan_rows"]] == [
        ("Reisedokument liegt vor", days(32), None),
        ("JRS-Antrag im RIAT-System stellen", days(41), None),
    ]


def test_departure_page_of_a_departed_case_offers_no_planning(client_of, counsellor, participant, rules):
    Participant.objects.filter(pk=participant.pk).update(stage="departed", departure_date=days(-3))
    response = client_of(counsellor).get(_url("departure", participant))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Diese Fallakte ist in der Stufe „Ausgereist“: ihre Ausreise wird hier nicht mehr geplant." in html
    assert 'name="departure"' not in html


def test_departure_in_the_past_shows_message(client_of, counsellor, participant, rules):
    response = client_of(counsellor).post(_url("departure", participant), {"departure": days(-1).isoformat()})
    assert response.status_code == 400
    assert "Die geplante Ausreise kann nicht in der Vergangenheit liegen." in response.content.decode()


def test_application_create_land_programme_needs_a_name(client_of, counsellor, participant):
    response = client_of(counsellor).post(
        _url("application_create", participant), {"programme": "land", "programme_name": "", "amount": "250,00"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte den Namen des Programms angeben." in html
    assert ProgrammeApplication.objects.count() == 0


def test_application_create_and_status_change(client_of, counsellor, participant):
    client = client_of(counsellor)
    response = client.post(_url("application_create", participant), {"programme": "reag_garp", "reference": "IOM-4711"})
    assert response.status_code == 302
    application = ProgrammeApplication.objects.get()
    response = client.post(
        _url("application_status", participant, pk=application.pk),
        {f"a{application.pk}-status": "submitted", f"a{application.pk}-on": days(0).isoformat()},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.submitted_on, application.reference) == (
        ApplicationStatus.SUBMITTED,
        days(0),
        "IOM-4711",
    )


def test_application_status_not_allowed_shows_message(client_of, counsellor, participant):
    application = ProgrammeApplicationFactory(participant=participant)
    client = client_of(counsellor)
    response = client.post(
        _url("application_status", participant, pk=application.pk),
        {f"a{application.pk}-status": "paid", f"a{application.pk}-on": days(0).isoformat()},
        follow=True,
    )
    assert "Der Status konnte nicht geändert werden" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "planned"


# ---------------------------------------------------------------- coordinators' pages


def _checklist_post(name, steps, **extra):
    data = {
        "name": name,
        "description": "",
        "active": "on",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for n, (title, offset) in enumerate(steps):
        data[f"steps-{n}-title"] = title
        data[f"steps-{n}-offset_days"] = str(offset) if offset is not None else ""
        data[f"steps-{n}-description"] = ""
    return data


def test_checklist_create_with_steps(client_of, coordinator):
    response = client_of(coordinator).post(
        reverse("accompaniment:checklist_create"),
        _checklist_post("Geburtsurkunde", [("Standesamt anschreiben", 0), ("", 0), ("Urkunde übersetzen", 21)]),
    )
    assert response.status_code == 302
    template = ChecklistTemplate.objects.get()
    assert template.centre == coordinator.centre
    assert list(template.steps.values_list("title", "offset_days", "order")) == [
        ("Standesamt anschreiben", 0, 0),
        ("Urkunde übersetzen", 21, 2),
    ]


def test_checklist_create_duplicate_name_keeps_the_steps(client_of, coordinator, centre):
    ChecklistTemplateFactory(centre=centre, name="Passbeschaffung")
    response = client_of(coordinator).post(
        reverse("accompaniment:checklist_create"), _checklist_post("passbeschaffung", [("Passfotos", 2)])
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Eine Checkliste mit diesem Namen gibt es schon." in html
    assert 'value="Passfotos"' in html
    assert ChecklistTemplate.objects.count() == 1


def test_checklist_edit_of_another_centre_is_404(client_of, coordinator, other_centre):
    template = ChecklistTemplateFactory(centre=other_centre)
    response = client_of(coordinator).get(reverse("accompaniment:checklist_edit", kwargs={"pk": template.pk}))
    assert response.status_code == 404


def test_checklist_list_for_counsellor_is_403(client_of, counsellor):
    assert client_of(counsellor).get(reverse("accompaniment:checklist_list")).status_code == 403


@pytest.mark.parametrize("count", [1, 20])
def test_checklist_list_query_count_is_constant(client_of, coordinator, centre, count, django_assert_max_num_queries):
    for _ in range(count):
        ChecklistTemplateStepFactory(template=ChecklistTemplateFactory(centre=centre))
    client = client_of(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("accompaniment:checklist_list"))
    assert len(response.context["templates"]) == count


@pytest.mark.parametrize("count", [1, 20])
def test_deadline_rule_list_query_count_is_constant(client_of, coordinator, count, django_assert_max_num_queries):
    DeadlineRule.objects.all().delete()
    for _ in range(count):
        DeadlineRuleFactory()
    client = client_of(coordinator)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("accompaniment:deadline_rule_list"))
    assert len(response.context["rules"]) == count


def test_deadline_rule_edit_changes_the_offset(client_of, coordinator):
    rule = DeadlineRuleFactory(title="JRS-Antrag", programme=Programme.JRS, offset=19)
    response = client_of(coordinator).post(
        reverse("accompaniment:deadline_rule_edit", kwargs={"pk": rule.pk}),
        {"title": rule.title, "offset": "21", "unit": "calendar_days", "programme": "jrs", "condition": "always",
         "description": "", "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.offset == 21
    assert rule.history.first().history_user == coordinator


def test_deadline_rule_negative_offset_shows_message(client_of, coordinator):
    response = client_of(coordinator).post(
        reverse("accompaniment:deadline_rule_create"),
        {"title": "Neue Frist", "offset": "-3", "unit": "working_days", "programme": "", "condition": "always"},
    )
    assert response.status_code == 400
    assert "Ensure this value" not in response.content.decode()
    assert 'value="Neue Frist"' in response.content.decode()


# ---------------------------------------------------------------- case page card (template tag)


def test_case_tasks_card_shows_pending_tasks_with_overdue_count(rf, counsellor, participant):
    from django.template import Context, Template

    TaskFactory(participant=participant, title="Überfällige Aufgabe", due_on=days(-1))
    TaskFactory(participant=participant, title="Erledigt", status=TaskStatus.DONE)
    request = rf.get("/")
    request.user = counsellor
    html = Template("{% load accompaniment_tags %}{% case_tasks participant %}").render(
        Context({"participant": participant, "request": request})
    )
    assert "Überfällige Aufgabe" in html
    assert "Erledigt</a>" not in html
    assert "1 überfällig" in html


def test_case_tasks_card_counts_from_one_query(rf, counsellor, participant, django_assert_num_queries):
    from django.template import Context, Template

    for number in range(8):
        TaskFactory(participant=participant, title=f"Offen {number}", due_on=days(number - 3))
    for _ in range(2):
        TaskFactory(participant=participant, title="Fertig", status=TaskStatus.DONE)
    TaskFactory(participant=participant, title="Abgebrochen", status=TaskStatus.CANCELLED)
    request = rf.get("/")
    request.user = counsellor
    template = Template("{% load accompaniment_tags %}{% case_tasks participant %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"participant": participant, "request": request}))
    assert [f"Offen {number}" in html for number in range(8)] == [True] * 6 + [False] * 2
    assert "3 überfällig" in html
    assert "Alle 8 offenen Aufgaben" in html
    assert "(2 erledigt)" in html
    assert "Abgebrochen" not in html


def test_case_tasks_card_is_empty_for_a_psychologist(rf, psychologist, participant):
    from django.template import Context, Template

    TaskFactory(participant=participant, title="Pass")
    request = rf.get("/")
    request.user = psychologist
    html = Template("{% load accompaniment_tags %}{% case_tasks participant %}").render(
        Context({"participant": participant, "request": request})
    )
    assert html.strip() == ""


@pytest.mark.parametrize("count", [1, 12])
def test_departure_page_query_count_is_constant(
    client_of, counsellor, participant, rules, count, django_assert_max_num_queries
):
    Participant.objects.filter(pk=participant.pk).update(planned_departure=days(60))
    for n in range(count):
        ProgrammeApplicationFactory(participant=participant, programme=Programme.JRS if n == 0 else Programme.OTHER,
                                    programme_name=f"Programm {n}")  # fmt: skip
    client = client_of(counsellor)
    with django_assert_max_num_queries(16):
        response = client.get(_url("departure", participant))
    assert len(response.context["applications"]) == count


@pytest.mark.parametrize("count", [1, 12])
def test_tasks_from_template_page_query_count_is_constant(
    client_of, counsellor, participant, centre, count, django_assert_max_num_queries
):
    for _ in range(count):
        ChecklistTemplateStepFactory(template=ChecklistTemplateFactory(centre=centre))
    client = client_of(counsellor)
    with django_assert_max_num_queries(14):
        response = client.get(_url("tasks_from_template", participant))
    assert response.content.decode().count("mira-checklist-steps") == count
