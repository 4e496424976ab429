"""Pages of the roadmap on a case. Thin: find the case, check the permission, validate a
form, call a service, answer (a partial for htmx, a redirect otherwise)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import reswap, retarget

from mira.core.permissions import get_object_or_404_logged, require_perm
from mira.network.models import Offer
from mira.participants.events import event_message
from mira.participants.models import CaseEvent, Participant
from mira.participants.shortcuts import case_or_404
from mira.privacy.models import AccessLog
from mira.privacy.services import access_log_record
from mira.roadmap import selectors, services
from mira.roadmap.compare import versions_compare
from mira.roadmap.exporters import roadmap_pdf, roadmap_pdf_filename
from mira.roadmap.forms import (
    AgreementForm,
    GoalForm,
    GoalStatusForm,
    OfferAddForm,
    RevokeForm,
    RoadmapContentForm,
    ShareForm,
)
from mira.roadmap.models import Goal, Phase, RecipientKind, Roadmap, RoadmapOffer, RoadmapShare, VersionState


def _roadmap(request: HttpRequest, participant: Participant) -> Roadmap:
    return get_object_or_404_logged(request, Roadmap.objects.all(), participant=participant)


def _draft(roadmap: Roadmap):
    draft = roadmap.versions.filter(state=VersionState.DRAFT).first()
    if draft is None:
        raise Http404
    return draft


def _detail_url(participant: Participant, anchor: str = "") -> str:
    url = reverse("roadmap:detail", kwargs={"participant_pk": participant.pk})
    return f"{url}#{anchor}" if anchor else url


def _roadmap_events(participant: Participant) -> list[dict]:
    events = CaseEvent.objects.filter(participant=participant, kind__startswith="roadmap_").select_related("actor")[:15]
    return [{"at": event.at, "actor": event.actor, "message": event_message(event)} for event in events]


def _version_context(request, participant, roadmap, version, **extra) -> dict:
    user = request.user
    can_edit = user.has_perm("roadmap.change_roadmap", participant)
    editing = version.is_draft and can_edit
    goals = list(version.goals.all())
    versions = selectors.versions_of(roadmap)
    context = {
        "participant": participant,
        "roadmap": roadmap,
        "version": version,
        "versions": versions,
        "has_draft": any(item.state == VersionState.DRAFT for item in versions),
        "phases": selectors.goals_by_phase(goals),
        "progress": selectors.goal_progress(goals),
        "offers": list(version.offers.all()),
        "can_edit": can_edit,
        "editing": editing,
        "can_record_progress": version.state == VersionState.AGREED
        and user.has_perm("roadmap.record_goal_progress", participant),
        "can_export": user.has_perm("roadmap.export_roadmap", participant),
        "can_share": user.has_perm("roadmap.share_roadmap", participant),
        "agreed": next((item for item in versions if item.state == VersionState.AGREED), None),
        "shares": selectors.shares_of(roadmap),
        "events": _roadmap_events(participant),
        "today": timezone.localdate(),
    }
    if editing:
        context.setdefault("content_form", RoadmapContentForm(instance=version))
        context["suggestions"] = selectors.offer_suggestions(version)
    context.update(extra)
    return context


@login_required
def detail(request: HttpRequest, participant_pk: int) -> HttpResponse:
    """The roadmap of a case: the draft in the editor, or the agreed version with its progress."""
    participant = case_or_404(request, participant_pk, "roadmap.view_roadmap")
    roadmap = selectors.roadmap_of(participant)
    if roadmap is None:
        return render(
            request,
            "roadmap/start.html",
            {
                "participant": participant,
                "can_edit": request.user.has_perm("roadmap.change_roadmap", participant),
            },
        )
    version = selectors.working_version(roadmap)
    access_log_record(request=request, participant=participant, what=AccessLog.What.OTHER, object_id=version.pk)
    return render(request, "roadmap/detail.html", _version_context(request, participant, roadmap, version))


@login_required
def version_detail(request: HttpRequest, participant_pk: int, number: int) -> HttpResponse:
    """Any version, read-only (the agreed one with its progress)."""
    participant = case_or_404(request, participant_pk, "roadmap.view_roadmap")
    roadmap = _roadmap(request, participant)
    version = selectors.version_with_content(roadmap=roadmap, number=number)
    if version is None:
        raise Http404
    access_log_record(request=request, participant=participant, what=AccessLog.What.OTHER, object_id=version.pk)
    context = _version_context(request, participant, roadmap, version)
    context["editing"] = False
    return render(request, "roadmap/detail.html", context)


@login_required
def start(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "roadmap.change_roadmap")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.roadmap_start(participant=participant, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The roadmap has been started. Fill in the situation and wishes, then add goals."))
    return redirect(_detail_url(participant))


@login_required
def revise(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "roadmap.change_roadmap")
    roadmap = _roadmap(request, participant)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        draft = services.roadmap_revision_start(roadmap=roadmap, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Version %(number)s has been started as a draft. The agreed version stays valid until this one is agreed."
            )
            % {"number": draft.number},
        )
    return redirect(_detail_url(participant))


@login_required
def content(request: HttpRequest, participant_pk: int) -> HttpResponse:
    """Saves the situation, wishes and destination of the draft."""
    participant = case_or_404(request, participant_pk, "roadmap.change_roadmap")
    roadmap = _roadmap(request, participant)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    draft = _draft(roadmap)
    form = RoadmapContentForm(request.POST, instance=draft)
    saved = False
    if form.is_valid():
        try:
            services.roadmap_content_update(version=draft, data=form.content(), actor=request.user)
            saved = True
        except ValidationError as error:
            form.add_error(None, error)
    if request.htmx:
        context = {"participant": participant, "version": draft, "content_form": form, "saved": saved}
        if saved:
            context["content_form"] = RoadmapContentForm(instance=draft)
        return render(request, "roadmap/_content_form.html", context)
    if saved:
        messages.success(request, _("The situation and wishes have been saved."))
        return redirect(_detail_url(participant, "roadmap-content"))
    draft = selectors.working_version(roadmap)
    return render(
        request, "roadmap/detail.html", _version_context(request, participant, roadmap, draft, content_form=form)
    )


def _goals_section(request, participant, roadmap, number: int, **extra) -> HttpResponse:
    version = selectors.version_with_content(roadmap=roadmap, number=number)
    if version is None:
        raise Http404
    return render(request, "roadmap/_goals.html", _version_context(request, participant, roadmap, version, **extra))


GOALS_PER_PAGE = 50


@login_required
def goals_due(request: HttpRequest) -> HttpResponse:
    """All goals of the user's cases due within REMINDER_DAYS or overdue, most urgent first (the
    start page shows the first of them)."""
    require_perm(request.user, "roadmap.list_due_goals")
    today = timezone.localdate()
    page = Paginator(selectors.goals_due_for(user=request.user, today=today), GOALS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "roadmap/goals_due.html", {"page": page, "today": today, "days": selectors.REMINDER_DAYS})


@login_required
def goals(request: HttpRequest, participant_pk: int) -> HttpResponse:
    """The goals section of a version alone (htmx: after cancelling an edit; ?version=N)."""
    participant = case_or_404(request, participant_pk, "roadmap.view_roadmap")
    roadmap = _roadmap(request, participant)
    if not request.htmx:
        return redirect(_detail_url(participant, "roadmap-goals"))
    number = request.GET.get("version", "")
    if not number.isdigit():
        working = selectors.working_version(roadmap)
        number = working.number if working else 0
    return _goals_section(request, participant, roadmap, int(number))


def _goal_form_response(request, participant, form, goal=None, phase="") -> HttpResponse:
    context = {
        "participant": participant,
        "form": form,
        "goal": goal,
        "phase": phase,
    }
    template = "roadmap/_goal_form.html" if request.htmx else "roadmap/goal_form_page.html"
    return render(request, template, context)


def _goal_saved(request, participant, roadmap, version, message) -> HttpResponse:
    if request.htmx:
        response = _goals_section(request, participant, roadmap, version.number, saved_message=message)
        return reswap(retarget(response, "#roadmap-goals"), "outerHTML")
    messages.success(request, message)
    return redirect(_detail_url(participant, "roadmap-goals"))


@login_required
def goal_add(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "roadmap.change_roadmap")
    roadmap = _roadmap(request, participant)
    draft = _draft(roadmap)
    phase = request.GET.get("phase", "") if request.GET.get("phase", "") in Phase.values else ""
    if request.method == "POST":
        form = GoalForm(request.POST, instance=Goal(version=draft), participant=participant)
        if form.is_valid():
            try:
                goal = services.goal_save(goal=form.instance, actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _goal_saved(
                    request, participant, roadmap, draft, _("The goal “%(title)s” has been added.") % {"title": goal}
                )
    else:
        form = GoalForm(initial={"phase": phase}, participant=participant)
    return _goal_form_response(request, participant, form, phase=phase)


def _goal_of(request, roadmap, goal_pk: int) -> Goal:
    return get_object_or_404_logged(
        request, Goal.objects.select_related("version", "owner_organisation"), pk=goal_pk, version__roadmap=roadmap
    )


@login_required
def goal_edit(request: HttpRequest, participant_pk: int, goal_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "roadmap.change_roadmap")
    roadmap = _roadmap(request, participant)
    goal = _goal_of(request, roadmap, goal_pk)
    if not goal.version.is_draft:
        messages.error(request, str(services.FrozenVersionError().message))
        return redirect(_detail_url(participant, "roadmap-goals"))
    if request.method == "POST":
        form = GoalForm(request.POST, instance=goal, participant=participant)
        if form.is_valid():
            try:
                goal = services.goal_save(goal=form.instance, actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _goal_saved(
                    request,
                    participant,
                    roadmap,
                    goal.version,
                    _("The goal “%(title)s” has been saved.") % {"title": goal},
                )
    else:
        form = GoalForm(instance=goal, participant=participant)
    return _goal_form_response(request, participant, form, goal=goal)


@login_required
def goal_delete(request: HttpRequest, participant_pk: int, goal_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "roadmap.change_roadmap")
    roadmap = _roadmap(request, participant)
    goal = _goal_of(request, roadmap, goal_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    title, version = goal.title, goal.version
    try:
        services.goal_delete(goal=goal, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_detail_url(participant, "roadmap-goals"))
    return _goal_saved(
        request, participant, roadmap, version, _("The goal “%(title)s” has been removed.") % {"title": title}
    )


@login_required
def goal_status(request: HttpRequest, participant_pk: int, goal_pk: int) -> HttpResponse:
    """Progress on a goal of the agreed version: status, reason, evidence, comment."""
    participant = case_or_404(request, participant_pk, "roadmap.record_goal_progress")
    roadmap = _roadmap(request, participant)
    goal = _goal_of(request, roadmap, goal_pk)
    if goal.version.state != VersionState.AGREED:
        raise Http404
    if request.method == "POST":
        form = GoalStatusForm(request.POST, request.FILES, goal=goal, with_upload=True)
        if form.is_valid():
            try:
                services.goal_status_set(
                    goal=goal,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["status_reason"],
                    comment=form.cleaned_data["comment"],
                    evidence_note=form.cleaned_data["evidence_note"],
                    evidence_file=form.cleaned_data.get("evidence_file"),
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                message = _("The progress of “%(title)s” has been saved.") % {"title": goal}
                if request.htmx:
                    goal = _goal_of(request, roadmap, goal_pk)
                    return render(
                        request,
                        "roadmap/_goal_row.html",
                        {
                            "participant": participant,
                            "goal": goal,
                            "version": goal.version,
                            "can_record_progress": True,
                            "row_message": message,
                            "today": timezone.localdate(),
                        },
                    )
                messages.success(request, message)
                return redirect(
                    reverse("roadmap:version", args=[participant.pk, goal.version.number]) + "#roadmap-goals"
                )
    else:
        form = GoalStatusForm(goal=goal, with_upload=True)
    context = {
        "participant": participant,
        "goal": goal,
        "form": form,
        "history": selectors.goal_status_history(goal),
    }
    template = "roadmap/_goal_status_form.html" if request.htmx else "roadmap/goal_status_page.html"
    return render(request, template, context)


def _offers_response(request, participant, roadmap, message: str = "", error: str = "") -> HttpResponse:
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif message:
            messages.success(request, message)
        return redirect(_detail_url(participant, "roadmap-offers"))
    version = selectors.working_version(roadmap)
    context = _version_context(request, participant, roadmap, version, offer_message=message, offer_error=error)
    return render(request, "roadmap/_offers.html", context)


@login_required
def offer_add(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "roadmap.change_roadmap")
    roadmap = _roadmap(request, participant)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    draft = _draft(roadmap)
    form = OfferAddForm(request.POST)
    offer = None
    if form.is_valid():
        offer = Offer.objects.select_related("organisation").filter(pk=form.cleaned_data["offer"]).first()
    if offer is None:
        return _offers_response(request, participant, roadmap, error=_("Choose an offer of the network."))
    try:
        services.roadmap_offer_add(version=draft, offer=offer, note=form.cleaned_data["note"], actor=request.user)
    except ValidationError as error:
        return _offers_response(request, participant, roadmap, error=" ".join(error.messages))
    return _offers_response(request, participant, roadmap, message=_("“%(title)s” has been added.") % {"title": offer})


@login_required
def offer_remove(request: HttpRequest, participant_pk: int, chosen_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "roadmap.change_roadmap")
    roadmap = _roadmap(request, participant)
    chosen = get_object_or_404_logged(
        request, RoadmapOffer.objects.select_related("version"), pk=chosen_pk, version__roadmap=roadmap
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.roadmap_offer_remove(chosen=chosen, actor=request.user)
    except ValidationError as error:
        return _offers_response(request, participant, roadmap, error=" ".join(error.messages))
    return _offers_response(
        request, participant, roadmap, message=_("“%(title)s” has been removed.") % {"title": chosen}
    )


@login_required
def agree(request: HttpRequest, participant_pk: int) -> HttpResponse:
    """Records that participant and counsellor signed the draft: it becomes the agreed version."""
    participant = case_or_404(request, participant_pk, "roadmap.agree_roadmap")
    roadmap = _roadmap(request, participant)
    draft = roadmap.versions.filter(state=VersionState.DRAFT).first()
    if draft is None:
        messages.info(request, _("There is no draft to agree. Start a new draft to change the roadmap."))
        return redirect(_detail_url(participant))
    if request.method == "POST":
        form = AgreementForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.roadmap_agree(
                    version=draft,
                    agreed_on=data["agreed_on"],
                    method=data["method"],
                    participant_signed=data["participant_signed"],
                    counsellor_signed=data["counsellor_signed"],
                    signed_file=data["signed_file"],
                    participant_signature=data["participant_signature"],
                    counsellor_signature=data["counsellor_signature"],
                    carry_shares=data["carry_shares"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, _rename(error, {"signed_document": "signed_file"}))
            else:
                messages.success(
                    request,
                    _("Version %(number)s of the roadmap is agreed. It can now be printed and shared.")
                    % {"number": draft.number},
                )
                return redirect(_detail_url(participant))
    else:
        form = AgreementForm()
    agreed = selectors.agreed_version(roadmap)
    partner_shares = (
        [share for share in agreed.shares.all() if share.is_active and share.recipient_kind == RecipientKind.PARTNER]
        if agreed
        else []
    )
    goals = list(draft.goals.all())
    return render(
        request,
        "roadmap/agree.html",
        {
            "participant": participant,
            "version": draft,
            "form": form,
            "goal_count": len(goals),
            "phases": selectors.goals_by_phase(goals),
            "partner_shares": partner_shares,
        },
    )


def _rename(error: ValidationError, names: dict) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(field, field): errors for field, errors in error.error_dict.items()})


@login_required
def compare(request: HttpRequest, participant_pk: int) -> HttpResponse:
    """Two versions side by side, changes marked (?old=1&new=2; default: the newest and the one before)."""
    participant = case_or_404(request, participant_pk, "roadmap.view_roadmap")
    roadmap = _roadmap(request, participant)
    versions = selectors.versions_of(roadmap)
    numbers = [version.number for version in versions]

    def number(name, default):
        try:
            value = int(request.GET.get(name, default))
        except (TypeError, ValueError):
            return default
        return value if value in numbers else default

    comparison = None
    if len(numbers) >= 2:
        new_number = number("new", numbers[0])
        old_number = number("old", next((n for n in numbers if n < new_number), numbers[-1]))
        old = selectors.version_with_content(roadmap=roadmap, number=old_number)
        new = selectors.version_with_content(roadmap=roadmap, number=new_number)
        comparison = versions_compare(old, new)
        access_log_record(request=request, participant=participant, what=AccessLog.What.OTHER, object_id=new.pk)
    return render(
        request,
        "roadmap/compare.html",
        {"participant": participant, "versions": versions, "comparison": comparison},
    )


@login_required
def share(request: HttpRequest, participant_pk: int) -> HttpResponse:
    """Shares the agreed version with a partner organisation or a body in Germany; lists all shares."""
    participant = case_or_404(request, participant_pk, "roadmap.share_roadmap")
    roadmap = _roadmap(request, participant)
    agreed = selectors.agreed_version(roadmap)
    form_kwargs = {"country": agreed.destination_country if agreed else ""}
    if request.method == "POST" and agreed is not None:
        form = ShareForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                shared = services.roadmap_share(
                    version=agreed,
                    recipient_kind=data["recipient_kind"],
                    organisation=data["organisation"],
                    recipient_name=data["recipient_name"],
                    purpose=data["purpose"],
                    pdf_handed_over=data["pdf_handed_over"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Version %(number)s of the roadmap has been shared with %(recipient)s.")
                    % {"number": agreed.number, "recipient": shared.recipient_name},
                )
                return redirect("roadmap:share", participant_pk=participant.pk)
    else:
        form = ShareForm(**form_kwargs)
    return render(
        request,
        "roadmap/share.html",
        {
            "participant": participant,
            "roadmap": roadmap,
            "version": agreed,
            "form": form,
            "shares": selectors.shares_of(roadmap),
            "missing": selectors.consent_state_for_sharing(participant=participant),
            "recipient_kinds": RecipientKind,
        },
    )


@login_required
def share_revoke(request: HttpRequest, participant_pk: int, share_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "roadmap.share_roadmap")
    roadmap = _roadmap(request, participant)
    shared = get_object_or_404_logged(
        request, RoadmapShare.objects.select_related("version", "organisation"), pk=share_pk, version__roadmap=roadmap
    )
    if request.method == "POST":
        form = RevokeForm(request.POST)
        if form.is_valid():
            try:
                services.roadmap_share_revoke(share=shared, reason=form.cleaned_data["reason"], actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The sharing with %(recipient)s has been revoked.") % {"recipient": shared.recipient_name},
                )
                return redirect("roadmap:share", participant_pk=participant.pk)
    else:
        form = RevokeForm()
    return render(
        request,
        "roadmap/share_revoke.html",
        {"participant": participant, "share": shared, "form": form},
    )


@login_required
def pdf(request: HttpRequest, participant_pk: int) -> HttpResponse:
    """The PDF of the agreed version (or of an earlier agreed one, ?version=N), never of a draft."""
    participant = case_or_404(request, participant_pk, "roadmap.export_roadmap")
    roadmap = _roadmap(request, participant)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    versions = roadmap.versions.exclude(state=VersionState.DRAFT)
    number = request.GET.get("version", "")
    version = versions.filter(number=number).first() if number.isdigit() else versions.filter(state="agreed").first()
    if version is None:
        messages.error(request, _("There is no agreed version to print yet. A draft is never printed."))
        return redirect(_detail_url(participant))
    content = roadmap_pdf(version=version)
    access_log_record(request=request, participant=participant, what=AccessLog.What.EXPORT, object_id=version.pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{roadmap_pdf_filename(version)}"'
    response["Cache-Control"] = "private, no-store"
    return response
