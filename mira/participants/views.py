"""Views of the case file: thin — check permission, validate, call a service, answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from mira.core.forms import add_service_errors
from mira.core.geo import is_residential_postcode, postcode_lookup
from mira.core.pagination import CountedPaginator
from mira.core.permissions import get_object_or_404_logged, require_perm
from mira.participants import display
from mira.participants.eligibility import postcode_hint
from mira.participants.events import event_icon, event_message
from mira.participants.forms import (
    CaseListForm,
    HouseholdFormSet,
    HouseholdMemberForm,
    IntakeForm,
    ParticipantForm,
    ParticipantUpdateForm,
    StageForm,
)
from mira.participants.models import STAGE_PATH, HouseholdMember, Participant, Stage
from mira.participants.selectors import (
    DEFAULT_LIST_SORT,
    TIMELINE_CAP,
    CaseListFilter,
    CaseStatus,
    case_timeline,
    household_members_of,
    participant_duplicates,
    participant_last_editor,
    participant_list,
)
from mira.participants.services import (
    ConcurrentEditError,
    household_member_delete,
    household_member_save,
    participant_create,
    participant_set_stage,
    participant_update,
    stage_transitions_from,
)
from mira.participants.shortcuts import CASE_RELATED, case_or_404
from mira.privacy.models import AccessLog
from mira.privacy.services import access_log_record

PAGE_SIZE = 25
# Stages whose transition asks for more than a click (see services.participant_set_stage).
STAGES_WITH_FORM = {Stage.DEPARTED: "departure_date", Stage.WITHDRAWN: "reason"}


# The case list ---------------------------------------------------------------------------------

LIST_COLUMNS = [
    ("case_number", gettext_lazy("Case number")),
    ("name", gettext_lazy("Name")),
    ("opened", gettext_lazy("Opened")),
    ("stage", gettext_lazy("Stage")),
    ("counsellor", gettext_lazy("Counsellor")),
    ("last_contact", gettext_lazy("Last contact")),
]


@login_required
@require_GET
def participant_list_view(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "participants.list_participants")
    data = request.GET.copy()
    data.setdefault("status", CaseStatus.OPEN)
    form = CaseListForm(data, user=request.user)
    counsellor = form.value_of("counsellor")
    sort = form.value_of("sort") or DEFAULT_LIST_SORT
    filters = CaseListFilter(
        query=form.value_of("q") or "",
        stage=form.value_of("stage") or "",
        counsellor_id=counsellor.pk if counsellor else None,
        return_country=form.value_of("return_country") or "",
        only_mine_of=request.user.pk if form.value_of("mine") else None,
        status=form.value_of("status") or CaseStatus.OPEN,
        sort=sort,
    )
    # A name search costs more than its rows: its page and count come from one query.
    paginator_class = CountedPaginator if filters.query.strip() else Paginator
    page = paginator_class(participant_list(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "columns": _sort_columns(request, sort),
        "pagination": _pagination(request, page),
        "sort": sort,
        "filtered": any(data.get(name) for name in ("q", "stage", "counsellor", "return_country", "mine"))
        or data.get("status") != CaseStatus.OPEN,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "participants/_list_results.html" if partial else "participants/list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _list_url(request: HttpRequest, **changes) -> str:
    params = {key: value for key, value in request.GET.items() if key not in changes and value}
    params.update({key: value for key, value in changes.items() if value})
    return reverse("participants:list") + ("?" + urlencode(params) if params else "")


def _sort_columns(request: HttpRequest, sort: str) -> list[dict]:
    columns = []
    for key, label in LIST_COLUMNS:
        active = sort.lstrip("-") == key
        descending = active and sort.startswith("-")
        # A click on the active column turns the order round; a new column starts ascending.
        target = key if (not active or descending) else f"-{key}"
        columns.append(
            {
                "key": key,
                "label": label,
                "url": _list_url(request, sort=target, page=None),
                "active": active,
                "descending": descending,
            }
        )
    return columns


def _pagination(request: HttpRequest, page) -> dict | None:
    if page.paginator.num_pages <= 1:
        return None
    links = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            links.append({"ellipsis": True})
        else:
            links.append(
                {"number": number, "url": _list_url(request, page=str(number)), "current": number == page.number}
            )
    return {
        "links": links,
        "previous": _list_url(request, page=str(page.previous_page_number())) if page.has_previous() else None,
        "next": _list_url(request, page=str(page.next_page_number())) if page.has_next() else None,
    }


# Intake and master data ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_create_view(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "participants.add_participant")
    duplicates = []
    if request.method == "POST":
        form = IntakeForm(request.POST, user=request.user)
        household = HouseholdFormSet(request.POST, prefix="household")
        valid = form.is_valid()
        valid = household.is_valid() and valid
        if valid:
            participant = form.save(commit=False)
            duplicates = participant_duplicates(
                centre_id=request.user.centre_id,
                first_name=participant.first_name,
                last_name=participant.last_name,
                first_name_original=participant.first_name_original,
                last_name_original=participant.last_name_original,
                date_of_birth=participant.date_of_birth,
            )
            if not duplicates or form.cleaned_data["confirm_not_duplicate"]:
                try:
                    participant = participant_create(
                        participant=participant,
                        household=household.members(),
                        actor=request.user,
                        different_from=duplicates,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("%(name)s is enrolled. Case number: %(number)s.")
                        % {"name": participant.full_name, "number": participant.case_number},
                    )
                    return redirect("participants:detail", pk=participant.pk)
    else:
        form = IntakeForm(user=request.user)
        household = HouseholdFormSet(prefix="household")
    return render(
        request,
        "participants/intake.html",
        {
            "form": form,
            "household": household,
            "duplicates": duplicates,
            "postcode": _postcode_context(form["postcode"].value() or ""),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    participant = case_or_404(request, pk, "participants.change_participant")
    conflict = None
    version = participant.version
    if request.method == "POST":
        form = ParticipantUpdateForm(request.POST, instance=participant, user=request.user)
        version = request.POST.get("version", "")
        if form.is_valid():
            try:
                participant_update(
                    participant=form.instance,
                    version=form.cleaned_data["version"],
                    changed_fields=form.master_data_changes(),
                    actor=request.user,
                )
            except ConcurrentEditError:
                conflict = _conflict(form, pk)
                # Saving again is now a decision taken with the differences in view.
                version = conflict["current"].version
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The master data are saved."))
                return redirect("participants:detail", pk=pk)
    else:
        form = ParticipantUpdateForm(instance=participant, user=request.user)
    case = Participant.objects.select_related("assigned_counsellor").get(pk=pk)
    return render(
        request,
        "participants/update.html",
        {
            "form": form,
            "participant": case,
            "version": version,
            "conflict": conflict,
            "postcode": _postcode_context(form["postcode"].value() or ""),
        },
    )


def _conflict(form: ParticipantForm, pk: int) -> dict:
    """What the other person saved: who, when, and where it differs from this form."""
    current = Participant.objects.select_related(*CASE_RELATED).get(pk=pk)
    editor = participant_last_editor(participant=current)
    differences = []
    for name in form.fields:
        if name == "version" or name not in form.cleaned_data:
            continue
        theirs, yours = getattr(current, name), form.cleaned_data[name]
        if (theirs or "") != (yours or ""):
            differences.append(
                {
                    "label": form.fields[name].label,
                    "saved": display.form_value(form.fields[name], theirs),
                    "yours": display.form_value(form.fields[name], yours),
                }
            )
    return {
        "current": current,
        "editor": (editor[0].get_full_name() or editor[0].username) if editor and editor[0] else _("a colleague"),
        "at": editor[1] if editor else current.updated_at,
        "differences": differences,
    }


@login_required
@require_GET
def postcode_lookup_view(request: HttpRequest) -> HttpResponse:
    """The htmx answer to a typed postcode: places, district and eligibility hints."""
    require_perm(request.user, "participants.add_participant")
    postcode = request.GET.get("postcode", "").strip()[:10]
    context = {"postcode": _postcode_context(postcode)}
    entry = context["postcode"]["entry"]
    if entry is not None:
        form = ParticipantForm(user=request.user)
        city = request.GET.get("city", "").strip()
        district = request.GET.get("district", "").strip()
        if not city and len(entry.places) == 1 and is_residential_postcode(entry.code):
            form.initial["city"] = entry.places[0]
            context["city_field"] = (form["city"], form.width_of("city"))
        if len(entry.districts) == 1 and district != entry.districts[0]:
            form.initial["district"] = entry.districts[0]
            context["district_field"] = (form["district"], form.width_of("district"))
    return render(request, "participants/_postcode_hints.html", context)


def _postcode_context(postcode: str) -> dict:
    postcode = (postcode or "").strip()
    complete = len(postcode) == 5
    entry = postcode_lookup(postcode) if complete and postcode.isdigit() else None
    return {
        "code": postcode,
        "complete": complete,
        "valid_format": complete and postcode.isdigit(),
        "entry": entry,
        "residential": entry is None or is_residential_postcode(entry.code),
        "cross_border_note": postcode_hint(postcode),
    }


# The case page ---------------------------------------------------------------------------------


@login_required
@require_GET
def participant_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page. Its upper cards come with the page; the lower ones (referrals, aid, consents,
    documents, psychology, timeline) follow in one htmx request (participant_detail_more_view), so
    the page is there in half the time. With ?timeline=all (or without JavaScript, through the
    link in <noscript>) everything comes at once."""
    participant = case_or_404(request, pk, "participants.view_participant")
    access_log_record(request=request, participant=participant, what=AccessLog.What.CASE)
    context = {
        "participant": participant,
        "can_edit": request.user.has_perm("participants.change_participant", participant),
        "can_change_stage": request.user.has_perm("participants.change_stage", participant),
        "stage_plan": _stage_plan(participant),
        "next_stages": _next_stages(participant),
        "household": household_members_of(participant),
        "master_data": display.master_data(participant),
    }
    if request.GET.get("timeline") == "all":
        context.update(_lower_cards(participant, show_all=True))
    else:
        token = signing.dumps([request.user.pk, participant.pk], salt=MORE_SALT, compress=True)
        context["more_url"] = (
            f"{reverse('participants:detail_more', kwargs={'pk': participant.pk})}?{urlencode({'t': token})}"
        )
    return render(request, "participants/detail.html", context)


# The lower cards of the case page are part of its read: a request that comes with the page's token
# (the same user, the same case, within MORE_MAX_AGE seconds) is not logged a second time.
MORE_SALT = "mira.participants.detail_more"
MORE_MAX_AGE = 600


@login_required
@require_GET
def participant_detail_more_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The lower cards of the case page (loaded by the page with htmx)."""
    participant = case_or_404(request, pk, "participants.view_participant")
    try:
        same_read = signing.loads(request.GET.get("t", ""), salt=MORE_SALT, max_age=MORE_MAX_AGE) == [
            request.user.pk,
            participant.pk,
        ]
    except signing.BadSignature:
        same_read = False
    if not same_read:
        access_log_record(request=request, participant=participant, what=AccessLog.What.CASE)
    context = {"participant": participant, **_lower_cards(participant, show_all=False)}
    return render(request, "participants/_detail_more.html", context)


def _lower_cards(participant: Participant, *, show_all: bool) -> dict:
    events, event_count = case_timeline(participant=participant, limit=None if show_all else TIMELINE_CAP)
    return {
        "timeline": [(event, event_message(event), event_icon(event)) for event in events],
        "event_count": event_count,
        "timeline_capped": not show_all and event_count > TIMELINE_CAP,
    }


def _stage_plan(participant: Participant) -> list[dict]:
    current = participant.stage
    position = STAGE_PATH.index(current) if current in STAGE_PATH else -1
    plan = []
    for index, stage in enumerate(STAGE_PATH):
        state = "current" if stage == current else ("done" if index < position else "")
        plan.append({"value": stage, "label": stage.label, "state": state})
    if current == Stage.WITHDRAWN:
        plan.append({"value": Stage.WITHDRAWN, "label": Stage.WITHDRAWN.label, "state": "off current"})
    return plan


def _next_stages(participant: Participant) -> list[dict]:
    path_position = {stage: index for index, stage in enumerate(STAGE_PATH)}
    current = path_position.get(participant.stage, -1)
    steps = []
    for value in stage_transitions_from(participant.stage):
        stage = Stage(value)
        steps.append(
            {
                "value": value,
                "label": stage.label,
                "needs": STAGES_WITH_FORM.get(stage, ""),
                "kind": "withdraw"
                if stage == Stage.WITHDRAWN
                else ("back" if path_position.get(stage, 99) < current else "forward"),
            }
        )
    return steps


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_stage_view(request: HttpRequest, pk: int) -> HttpResponse:
    participant = case_or_404(request, pk, "participants.change_stage")
    allowed = stage_transitions_from(participant.stage)
    if request.method == "POST":
        form = StageForm(request.POST)
        if form.is_valid():
            try:
                participant_set_stage(
                    participant=participant,
                    stage=form.cleaned_data["stage"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    departure_date=form.cleaned_data["departure_date"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The case is now in stage “%(stage)s”.") % {"stage": participant.get_stage_display()}
                )
                return redirect("participants:detail", pk=pk)
        target = request.POST.get("stage", "")
    else:
        target = request.GET.get("to", "")
        form = StageForm(initial={"stage": target})
    return render(
        request,
        "participants/stage.html",
        {
            "participant": participant,
            "form": form,
            "target": Stage(target) if target in allowed else None,
            "allowed": [Stage(value) for value in allowed],
            "needs": STAGES_WITH_FORM.get(target, ""),
        },
    )


# Household -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def household_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    participant = case_or_404(request, pk, "participants.change_participant")
    member = HouseholdMember(participant=participant, last_name=participant.last_name)
    return _household_form(request, participant, member)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def household_edit_view(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    participant = case_or_404(request, pk, "participants.change_participant")
    member = get_object_or_404_logged(request, HouseholdMember.objects.all(), pk=member_pk, participant=participant)
    return _household_form(request, participant, member)


def _household_form(request: HttpRequest, participant: Participant, member: HouseholdMember) -> HttpResponse:
    if request.method == "POST":
        form = HouseholdMemberForm(request.POST, instance=member)
        if form.is_valid():
            try:
                household_member_save(member=form.save(commit=False), actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The household member %(name)s is saved.") % {"name": member})
                return redirect(reverse("participants:detail", kwargs={"pk": participant.pk}) + "#household")
    else:
        form = HouseholdMemberForm(instance=member)
    return render(request, "participants/household_form.html", {"participant": participant, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def household_delete_view(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    participant = case_or_404(request, pk, "participants.change_participant")
    member = get_object_or_404_logged(request, HouseholdMember.objects.all(), pk=member_pk, participant=participant)
    if request.method == "POST":
        household_member_delete(member=member, actor=request.user)
        messages.success(request, _("%(name)s is no longer listed in the household.") % {"name": member})
        return redirect(reverse("participants:detail", kwargs={"pk": participant.pk}) + "#household")
    return render(request, "participants/household_delete.html", {"participant": participant, "member": member})
