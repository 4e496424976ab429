"""Pages of accompaniment tasks, departure planning, checklist templates and deadline rules.

Views check the permission (on the object, after loading it within the centre
scope), validate a form, call a service and redirect; POST-only actions answer
405 to a GET only after the permission check, so nobody learns what exists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from mira.accompaniment import selectors, services
from mira.accompaniment.forms import (
    ApplicationStatusForm,
    ChecklistStepFormSet,
    ChecklistTemplateForm,
    DeadlineRuleForm,
    DepartureForm,
    ProgrammeApplicationForm,
    TaskAttachmentForm,
    TaskFilterForm,
    TaskForm,
    TaskStatusForm,
    TemplateTasksForm,
)
from mira.accompaniment.models import (
    ChecklistTemplate,
    ChecklistTemplateStep,
    DeadlineRule,
    ProgrammeApplication,
    Task,
)
from mira.core.forms import add_service_errors
from mira.core.pagination import ListPaginator
from mira.core.permissions import get_object_or_404_logged, require_perm
from mira.participants.models import Participant
from mira.participants.shortcuts import case_or_404
from mira.privacy.models import AccessLog
from mira.privacy.services import access_log_record

TASKS_PER_PAGE = 25


def _task(request: HttpRequest, participant_pk: int, pk: int) -> Task:
    task = get_object_or_404_logged(
        request,
        Task.objects.select_related("participant__centre", "responsible"),
        pk=pk,
        participant_id=participant_pk,
    )
    require_perm(request.user, "accompaniment.change_task", task)
    return task


def _application(request: HttpRequest, participant_pk: int, pk: int) -> ProgrammeApplication:
    application = get_object_or_404_logged(
        request,
        ProgrammeApplication.objects.select_related("participant__centre"),
        pk=pk,
        participant_id=participant_pk,
    )
    require_perm(request.user, "accompaniment.change_application", application)
    return application


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return fallback


# ---------------------------------------------------------------- tasks of a case


@login_required
def case_tasks(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "accompaniment.view_tasks")
    access_log_record(request=request, participant=participant, what=AccessLog.What.CASE)
    return render(
        request,
        "accompaniment/case_tasks.html",
        {
            "participant": participant,
            "tasks": selectors.tasks_of_case(participant),
            "today": timezone.localdate(),
        },
    )


@login_required
def task_create(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "accompaniment.add_task")
    form = TaskForm(request.POST or None, participant=participant, initial={"responsible": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(
                participant=participant,
                title=form.cleaned_data["title"],
                notes=form.cleaned_data["notes"],
                due_on=form.cleaned_data["due_on"],
                responsible=form.cleaned_data["responsible"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task “%(title)s” has been added.") % {"title": task.title})
            return redirect("accompaniment:case_tasks", participant_pk=participant.pk)
    return render(
        request,
        "accompaniment/task_form.html",
        {"participant": participant, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def tasks_from_template(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "accompaniment.add_task")
    templates = selectors.checklist_templates(active_only=True).prefetch_related(
        Prefetch("steps", queryset=ChecklistTemplateStep.objects.all())
    )
    form = TemplateTasksForm(
        request.POST or None,
        participant=participant,
        templates=templates,
        initial={"responsible": request.user.pk, "start_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            tasks = services.tasks_create_from_template(
                participant=participant,
                template=form.cleaned_data["template"],
                start_on=form.cleaned_data["start_on"],
                responsible=form.cleaned_data["responsible"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)d tasks have been added from the checklist “%(name)s”.")
                % {"count": len(tasks), "name": form.cleaned_data["template"].name},
            )
            return redirect("accompaniment:case_tasks", participant_pk=participant.pk)
    return render(
        request,
        "accompaniment/tasks_from_template.html",
        {"participant": participant, "form": form, "templates": templates},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def task_detail(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    task = _task(request, participant_pk, pk)
    access_log_record(request=request, participant=task.participant, what=AccessLog.What.CASE, object_id=task.pk)
    return _render_task_detail(request, task, TaskAttachmentForm())


def _render_task_detail(request, task, attachment_form, status=200) -> HttpResponse:
    attachments = task.attachments.select_related("document", "added_by")
    return render(
        request,
        "accompaniment/task_detail.html",
        {
            "task": task,
            "participant": task.participant,
            "attachments": attachments,
            "attachment_form": attachment_form,
            "history": task.history.select_related("history_user").order_by("-history_date")[:20],
            "may_attach": request.user.has_perm("documents.add_document", task.participant),
        },
        status=status,
    )


@login_required
def task_edit(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    task = _task(request, participant_pk, pk)
    form = TaskForm(request.POST or None, instance=task, participant=task.participant)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(task=form.instance, actor=request.user, changed_fields=form.changed_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task has been saved."))
            return redirect(task.get_absolute_url())
    return render(
        request,
        "accompaniment/task_form.html",
        {"participant": task.participant, "form": form, "task": task},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def task_status(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    """Quick status change; answers htmx with the updated row (or card line), others with a redirect."""
    task = _task(request, participant_pk, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = TaskStatusForm(request.POST)
    if form.is_valid():
        services.task_set_status(task=task, status=form.cleaned_data["status"], actor=request.user)
    elif not request.htmx:
        messages.error(request, _("Choose a valid status."))
    if request.htmx:
        template = {
            "card": "accompaniment/_card_task.html",
            "list": "accompaniment/_list_task_row.html",
        }.get(request.POST.get("layout"), "accompaniment/_case_task_row.html")
        return render(
            request,
            template,
            {"task": task, "participant": task.participant},
            status=200 if form.is_valid() else 400,
        )
    return redirect(_safe_next(request, reverse("accompaniment:case_tasks", kwargs={"participant_pk": participant_pk})))


@login_required
def task_attach(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    task = _task(request, participant_pk, pk)
    require_perm(request.user, "documents.add_document", task.participant)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = TaskAttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.task_attachment_add(
                task=task,
                uploaded_file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                category=form.cleaned_data["category"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document has been attached."))
            return redirect(task.get_absolute_url())
    return _render_task_detail(request, task, form, status=400)


# ---------------------------------------------------------------- task lists


def _task_list_page(request: HttpRequest, *, mine: bool) -> HttpResponse:
    require_perm(request.user, "accompaniment.list_tasks")
    today = timezone.localdate()
    data = request.GET.copy()
    if mine:
        data["responsible"] = str(request.user.pk)
    form = TaskFilterForm(data, centre=request.user.centre)
    if form.is_valid():
        cleaned = form.cleaned_data
        task_filter = selectors.TaskFilter(
            responsible_id=int(cleaned["responsible"]) if cleaned["responsible"] else None,
            status=cleaned["status"] or "pending",
            overdue_only=cleaned["overdue"],
        )
    else:
        task_filter = selectors.TaskFilter(responsible_id=request.user.pk if mine else None)
    page = ListPaginator(selectors.task_list(task_filter=task_filter, today=today), TASKS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accompaniment/task_list.html",
        {
            "form": form,
            "page": page,
            "mine": mine,
            "today": today,
        },
    )


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    return _task_list_page(request, mine=True)


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    return _task_list_page(request, mine=False)


# ---------------------------------------------------------------- departure planning


def _transition_choices(application: ProgrammeApplication) -> list[tuple[str, str]]:
    return [(status.value, status.label) for status in services.application_transitions_from(application.status)]


def _departure_context(participant: Participant, form: DepartureForm, plan=None, missed=None) -> dict:
    departure = None
    if plan is None and participant.planned_departure and participant.is_open:
        departure = participant.planned_departure
        try:
            plan = services.departure_plan_check(participant=participant, departure=departure)
        except ValidationError:
            plan = None
    generated = {
        task.deadline_rule_id: task
        for task in Task.objects.filter(participant=participant, deadline_rule__isnull=False)
    }
    rows = [(deadline, generated.get(deadline.rule.pk)) for deadline in plan or []]
    applications = list(selectors.applications_of_case(participant))
    transitions = {application.pk: _transition_choices(application) for application in applications}
    return {
        "participant": participant,
        "form": form,
        "plan_rows": rows,
        "missed": missed or [],
        "applications": [
            (
                application,
                ApplicationStatusForm(
                    transitions=transitions[application.pk],
                    prefix=f"a{application.pk}",
                    initial={"on": timezone.localdate()},
                ),
            )  # fmt: skip
            for application in applications
        ],
        "today": timezone.localdate(),
        "plannable": participant.stage not in services.NOT_PLANNABLE_STAGES,
    }


@login_required
def departure(request: HttpRequest, participant_pk: int) -> HttpResponse:
    """Programme applications and the planned departure with its back-scheduled deadlines.

    Planning a date whose deadlines can no longer all be met shows them and asks for
    an explicit confirmation (the checkbox) before anything is saved."""
    participant = case_or_404(request, participant_pk, "accompaniment.plan_departure")
    if request.method != "POST":
        access_log_record(request=request, participant=participant, what=AccessLog.What.CASE)
        form = DepartureForm(initial={"departure": participant.planned_departure})
        return render(request, "accompaniment/departure.html", _departure_context(participant, form))
    form = DepartureForm(request.POST)
    plan = missed = None
    if form.is_valid():
        departure_on = form.cleaned_data["departure"]
        try:
            services.departure_plan_apply(
                participant=participant,
                departure=departure_on,
                actor=request.user,
                accept_missed_deadlines=form.cleaned_data["accept_missed_deadlines"],
            )
        except services.MissedDeadlines as error:
            missed = error.missed
            plan = services.departure_plan_check(participant=participant, departure=departure_on)
            form.add_error("departure", error.messages[0])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The departure has been planned and the deadlines scheduled as tasks."))
            return redirect("accompaniment:departure", participant_pk=participant.pk)
    return render(
        request, "accompaniment/departure.html", _departure_context(participant, form, plan, missed), status=400
    )


@login_required
def application_create(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "accompaniment.plan_departure")
    form = ProgrammeApplicationForm(request.POST or None, instance=ProgrammeApplication(participant=participant))
    if request.method == "POST" and form.is_valid():
        try:
            application = services.programme_application_create(application=form.instance, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The application to %(name)s has been recorded.") % {"name": application})
            return redirect("accompaniment:departure", participant_pk=participant.pk)
    return render(
        request,
        "accompaniment/application_form.html",
        {"participant": participant, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def application_edit(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    application = _application(request, participant_pk, pk)
    form = ProgrammeApplicationForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_application_update(
                application=form.instance, actor=request.user, changed_fields=form.changed_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The application has been saved."))
            return redirect("accompaniment:departure", participant_pk=participant_pk)
    return render(
        request,
        "accompaniment/application_form.html",
        {
            "participant": application.participant,
            "form": form,
            "application": application,
            "history": application.history.select_related("history_user").order_by("-history_date")[:20],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def application_status(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    application = _application(request, participant_pk, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ApplicationStatusForm(
        request.POST, transitions=_transition_choices(application), prefix=f"a{application.pk}"
    )
    if form.is_valid():
        try:
            application = services.programme_application_set_status(
                application=application, status=form.cleaned_data["status"], on=form.cleaned_data["on"],
                actor=request.user,
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The application to %(name)s is now “%(status)s”.")
                % {"name": application, "status": application.get_status_display()},
            )
    else:
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        messages.error(request, _("The status could not be changed: %(errors)s") % {"errors": " ".join(errors)})
    return redirect("accompaniment:departure", participant_pk=participant_pk)


# ---------------------------------------------------------------- checklist templates (coordinators)


@login_required
def checklist_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "accompaniment.manage_templates")
    return render(
        request,
        "accompaniment/checklist_list.html",
        {
            "templates": selectors.checklist_templates().prefetch_related(
                Prefetch("steps", queryset=ChecklistTemplateStep.objects.all())
            ),
            "section": "checklists",
        },
    )


def _checklist_form_page(request: HttpRequest, template: ChecklistTemplate) -> HttpResponse:
    form = ChecklistTemplateForm(request.POST or None, instance=template, centre=request.user.centre)
    formset = ChecklistStepFormSet(request.POST or None, instance=template, prefix="steps")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        steps = []
        for position, step_form in enumerate(formset.forms):
            if not step_form.has_changed() and step_form.instance.pk is None:
                continue
            if step_form in formset.deleted_forms:
                continue
            step = step_form.instance
            step.order = position
            steps.append(step)
        try:
            services.checklist_template_save(
                template=form.instance,
                steps=steps,
                deleted_steps=[step_form.instance for step_form in formset.deleted_forms],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The checklist “%(name)s” has been saved.") % {"name": form.instance.name})
            return redirect("accompaniment:checklist_list")
    return render(
        request,
        "accompaniment/checklist_form.html",
        {"form": form, "formset": formset, "template_obj": template, "section": "checklists"},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def checklist_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "accompaniment.manage_templates")
    return _checklist_form_page(request, ChecklistTemplate(centre=request.user.centre))


@login_required
def checklist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404_logged(request, ChecklistTemplate.objects.all(), pk=pk)
    require_perm(request.user, "accompaniment.change_template", template)
    return _checklist_form_page(request, template)


# ---------------------------------------------------------------- deadline rules (coordinators)


@login_required
def deadline_rule_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "accompaniment.manage_deadline_rules")
    return render(
        request, "accompaniment/deadline_rule_list.html", {"rules": selectors.deadline_rules(), "section": "rules"}
    )


def _deadline_rule_form_page(request: HttpRequest, rule: DeadlineRule) -> HttpResponse:
    form = DeadlineRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_rule_save(rule=form.instance, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The deadline rule “%(title)s” has been saved.") % {"title": rule.title})
            return redirect("accompaniment:deadline_rule_list")
    history = rule.history.select_related("history_user").order_by("-history_date")[:20] if rule.pk else []
    return render(
        request,
        "accompaniment/deadline_rule_form.html",
        {"form": form, "rule": rule, "history": history, "section": "rules"},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def deadline_rule_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "accompaniment.manage_deadline_rules")
    return _deadline_rule_form_page(request, DeadlineRule())


@login_required
def deadline_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "accompaniment.manage_deadline_rules")
    rule = get_object_or_404_logged(request, DeadlineRule.objects.all(), pk=pk)
    return _deadline_rule_form_page(request, rule)
