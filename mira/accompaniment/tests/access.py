from mira.accompaniment.tests.factories import (
    ChecklistTemplateFactory,
    DeadlineRuleFactory,
    ProgrammeApplicationFactory,
    TaskFactory,
)
from mira.core.testing.access import OUTSIDER, STAFF_WITH_CASES, route


def _case(world) -> dict:
    return {"participant_pk": world.participant.pk}


def _task(world) -> dict:
    task = TaskFactory(participant=world.participant)
    return {"participant_pk": world.participant.pk, "pk": task.pk}


def _application(world) -> dict:
    application = ProgrammeApplicationFactory(participant=world.participant)
    return {"participant_pk": world.participant.pk, "pk": application.pk}


def _template(world) -> dict:
    return {"pk": ChecklistTemplateFactory(centre=world.centre).pk}


def _rule(world) -> dict:
    return {"pk": DeadlineRuleFactory().pk}


ROUTES = {
    # Case work: counsellors and coordinators of the case's centre (the outsider gets 404).
    "accompaniment:case_tasks": route(*STAFF_WITH_CASES, kwargs=_case),
    "accompaniment:task_create": route(*STAFF_WITH_CASES, kwargs=_case),
    "accompaniment:tasks_from_template": route(*STAFF_WITH_CASES, kwargs=_case),
    "accompaniment:task_detail": route(*STAFF_WITH_CASES, kwargs=_task),
    "accompaniment:task_edit": route(*STAFF_WITH_CASES, kwargs=_task),
    "accompaniment:task_status": route(*STAFF_WITH_CASES, kwargs=_task, post_only=True),
    "accompaniment:task_attach": route(*STAFF_WITH_CASES, kwargs=_task, post_only=True),
    "accompaniment:departure": route(*STAFF_WITH_CASES, kwargs=_case),
    "accompaniment:application_create": route(*STAFF_WITH_CASES, kwargs=_case),
    "accompaniment:application_edit": route(*STAFF_WITH_CASES, kwargs=_application),
    "accompaniment:application_status": route(*STAFF_WITH_CASES, kwargs=_application, post_only=True),
    # Task lists show the user's own centre: open to the other centre's counsellor too.
    "accompaniment:my_tasks": route(*STAFF_WITH_CASES, OUTSIDER),
    "accompaniment:task_list": route(*STAFF_WITH_CASES, OUTSIDER),
    # Coordinators maintain checklist templates (of their centre) and the deadline rules.
    "accompaniment:checklist_list": route("coordinator"),
    "accompaniment:checklist_create": route("coordinator"),
    "accompaniment:checklist_edit": route("coordinator", kwargs=_template),
    "accompaniment:deadline_rule_list": route("coordinator"),
    "accompaniment:deadline_rule_create": route("coordinator"),
    "accompaniment:deadline_rule_edit": route("coordinator", kwargs=_rule),
}
