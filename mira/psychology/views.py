"""Pages of psychological support.

Each view loads the case within the centre scope (404 outside it), then checks
psychology.view_case (403 for everyone but the named psychologist and the assigned
counsellor, whether or not the case has a referral), then looks up a referral or note
among those the user sees (404 otherwise), then checks the action. Every page that
shows referral reasons or notes is recorded in the read-access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mira.accounts.models import Role
from mira.core.forms import add_service_errors
from mira.core.geo import language_name
from mira.core.permissions import get_object_or_404_logged, require_perm
from mira.participants.models import Participant
from mira.participants.shortcuts import case_or_404
from mira.privacy.models import AccessLog
from mira.privacy.services import access_log_record
from mira.psychology import selectors, services
from mira.psychology.forms import ReferralForm, StatusForm, SupportNoteForm
from mira.psychology.models import PsychologicalReferral, ReferralStatus

CLIENTS_PER_PAGE = 50

# The button that moves a referral to a status, by (old, new) or by new status.
STATUS_ACTIONS = {
    (ReferralStatus.COMPLETED, ReferralStatus.IN_SUPPORT): (gettext_lazy("Resume support"), "arrow-counterclockwise"),
    ReferralStatus.ACCEPTED: (gettext_lazy("Accept referral"), "check2"),
    ReferralStatus.IN_SUPPORT: (gettext_lazy("Start support"), "play"),
    ReferralStatus.COMPLETED: (gettext_lazy("Complete support"), "check2-circle"),
    ReferralStatus.DECLINED: (gettext_lazy("Decline referral"), "x-circle"),
}


def _psychology_url(participant: Participant) -> str:
    return reverse("psychology:case", kwargs={"participant_pk": participant.pk})


def _referral(request: HttpRequest, participant: Participant, pk: int, perm: str) -> PsychologicalReferral:
    referral = get_object_or_404_logged(
        request, selectors.referrals_visible_to(user=request.user, participant=participant), pk=pk
    )
    referral.participant = participant
    require_perm(request.user, perm, referral)
    return referral


# ---------------------------------------------------------------- the psychologist's clients


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    """Meine Klient:innen: the referrals naming the psychologist (also their start page)."""
    require_perm(request.user, "psychology.list_my_cases")
    which = request.GET.get("show", selectors.ClientFilter.OPEN)
    if which not in selectors.ClientFilter.CHOICES:
        which = selectors.ClientFilter.OPEN
    paginator = Paginator(selectors.my_clients(psychologist=request.user, which=which), CLIENTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "psychology/my_cases.html",
        {
            "page": page,
            "which": which,
            "counts": selectors.my_client_counts(psychologist=request.user),
            "filters": selectors.ClientFilter,
        },
    )


# ---------------------------------------------------------------- a case


def _render_case(request, participant, status_forms=None, status=200) -> HttpResponse:
    """The psychology page of a case; every rendering is a read of restricted data and logged."""
    user = request.user
    access_log_record(request=request, participant=participant, what=AccessLog.What.OTHER)
    referrals = selectors.referrals_with_notes_visible_to(user=user, participant=participant)
    status_forms = status_forms or {}
    blocks = []
    for referral in referrals:
        referral.participant = participant
        may_change = user.has_perm("psychology.change_referral_status", referral)
        actions = []
        if may_change:
            for new in referral.next_statuses:
                label, icon = STATUS_ACTIONS.get((referral.status, new)) or STATUS_ACTIONS[new]
                actions.append({"status": new, "label": label, "icon": icon})
        blocks.append(
            {
                "referral": referral,
                "actions": actions,
                "can_add_note": user.has_perm("psychology.add_note", referral)
                and referral.status != ReferralStatus.DECLINED,
                "status_form": status_forms[referral.pk]
                if referral.pk in status_forms
                else StatusForm(auto_id=f"id_%s_{referral.pk}"),
                "notes": [
                    {"note": note, "can_edit": note.author_id == user.pk and may_change}
                    for note in referral.visible_notes
                ],
            }
        )
    can_refer = user.has_perm("psychology.refer_case", participant) and participant.is_open
    return render(
        request,
        "psychology/case.html",
        {
            "participant": participant,
            "blocks": blocks,
            "is_psychologist_view": user.role == Role.PSYCHOLOGIST,
            "languages": ", ".join(language_name(code) for code in participant.language_codes),
            "interpreter_language": language_name(participant.interpreter_language)
            if participant.needs_interpreter
            else "",
            "can_refer": can_refer and not any(block["referral"].is_open for block in blocks),
        },
        status=status,
    )


@login_required
def case(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "psychology.view_case")
    return _render_case(request, participant)


@login_required
def referral_create(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "psychology.view_case")
    require_perm(request.user, "psychology.refer_case", participant)
    form = ReferralForm(request.POST or None, participant=participant)
    if request.method == "POST" and form.is_valid():
        try:
            services.psych_referral_create(
                participant=participant,
                psychologist=form.cleaned_data["psychologist"],
                reason=form.cleaned_data["reason"],
                urgency=form.cleaned_data["urgency"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The case has been referred to %(name)s.")
                % {"name": form.cleaned_data["psychologist"].get_full_name()},
            )
            return redirect(_psychology_url(participant))
    return render(
        request,
        "psychology/referral_form.html",
        {"participant": participant, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def referral_status(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "psychology.view_case")
    referral = _referral(request, participant, pk, "psychology.change_referral_status")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = StatusForm(request.POST, auto_id=f"id_%s_{referral.pk}")
    if form.is_valid():
        try:
            referral = services.psych_referral_set_status(
                referral=referral,
                status=form.cleaned_data["status"],
                decline_reason=form.cleaned_data["decline_reason"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The referral is now “%(status)s”.") % {"status": referral.get_status_display()},
            )
            return redirect(_psychology_url(participant) + f"#referral-{referral.pk}")
    return _render_case(request, participant, status_forms={referral.pk: form}, status=400)


@login_required
def note_create(request: HttpRequest, participant_pk: int, referral_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "psychology.view_case")
    referral = _referral(request, participant, referral_pk, "psychology.add_note")
    form = SupportNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note = services.support_note_create(referral=referral, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The note has been saved."))
            return redirect(_psychology_url(participant) + f"#note-{note.pk}")
    return render(
        request,
        "psychology/note_form.html",
        {"participant": participant, "referral": referral, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def note_edit(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "psychology.view_case")
    note = get_object_or_404_logged(
        request,
        selectors.notes_visible_to(user=request.user, participant=participant).select_related("referral"),
        pk=pk,
    )
    note.referral.participant = participant
    require_perm(request.user, "psychology.change_note", note)
    form = SupportNoteForm(request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_note_update(note=form.instance, actor=request.user, changed_fields=form.changed_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The note has been saved."))
            return redirect(_psychology_url(participant) + f"#note-{note.pk}")
    access_log_record(request=request, participant=participant, what=AccessLog.What.OTHER, object_id=note.pk)
    return render(
        request,
        "psychology/note_form.html",
        {
            "participant": participant,
            "referral": note.referral,
            "note": note,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
