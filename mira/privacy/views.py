from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from mira.core.db import planned_for_each_search
from mira.core.forms import add_service_errors
from mira.core.pagination import peek_page
from mira.core.permissions import get_object_or_404_logged, require_perm
from mira.documents.views import case_url
from mira.participants.shortcuts import case_or_404
from mira.privacy.audit import history_entries, history_entry, history_page
from mira.privacy.forms import AccessLogSearchForm, ConsentRecordForm, ConsentWithdrawForm, HistorySearchForm
from mira.privacy.models import Consent, ConsentPurpose
from mira.privacy.selectors import access_log_search
from mira.privacy.services import consent_record, consent_withdraw

PAGE_SIZE = 25


@login_required
def record_consent(request: HttpRequest, participant_id: int, purpose: str) -> HttpResponse:
    participant = case_or_404(request, participant_id, "privacy.manage_consents", select_related=())
    if purpose not in ConsentPurpose.values:
        raise Http404
    if request.method == "POST":
        form = ConsentRecordForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                consent_record(
                    participant=participant,
                    purpose=purpose,
                    given_on=form.cleaned_data["given_on"],
                    language=form.cleaned_data["language"],
                    notes=form.cleaned_data["notes"],
                    signed_form_file=form.cleaned_data["signed_form"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The consent “%(purpose)s” has been recorded.") % {"purpose": ConsentPurpose(purpose).label},
                )
                return redirect(case_url(participant, "consents"))
    else:
        form = ConsentRecordForm(initial={"language": participant.preferred_language})
    return render(
        request,
        "privacy/consent_record.html",
        {
            "participant": participant,
            "purpose_label": ConsentPurpose(purpose).label,
            "form": form,
            "case_url": case_url(participant, "consents"),
        },
    )


@login_required
def withdraw_consent(request: HttpRequest, pk: int) -> HttpResponse:
    consent = get_object_or_404_logged(request, Consent.objects.select_related("participant"), pk=pk)
    participant = consent.participant
    require_perm(request.user, "privacy.manage_consents", participant)
    if request.method == "POST":
        form = ConsentWithdrawForm(request.POST, consent=consent)
        if form.is_valid():
            try:
                consent_withdraw(
                    consent=consent,
                    withdrawn_on=form.cleaned_data["withdrawn_on"],
                    notes=form.cleaned_data["notes"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The withdrawal of the consent “%(purpose)s” has been recorded.")
                    % {"purpose": consent.get_purpose_display()},
                )  # fmt: skip
                return redirect(case_url(participant, "consents"))
    else:
        form = ConsentWithdrawForm(consent=consent)
    return render(
        request,
        "privacy/consent_withdraw.html",
        {"participant": participant, "consent": consent, "form": form, "case_url": case_url(participant, "consents")},
    )


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """The change history of the centre's case data (data protection officer)."""
    require_perm(request.user, "privacy.view_audit")
    form = HistorySearchForm(request.GET, centre=request.user.centre)
    page = entries = None
    if form.is_valid():
        data = form.cleaned_data
        page = history_page(
            centre_id=request.user.centre_id,
            number=request.GET.get("page"),
            per_page=PAGE_SIZE,
            case_number=data["case_number"],
            user_id=data["user"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            source=data["source"],
        )
        entries = history_entries(page.object_list)
    return render(request, "privacy/audit.html", {"form": form, "page": page, "entries": entries})


@login_required
def audit_entry(request: HttpRequest, source: str, history_id: int) -> HttpResponse:
    """All changed fields of one entry of the change history: the part the audit page loads when a
    long entry is opened, or a page of its own without JavaScript."""
    require_perm(request.user, "privacy.view_audit")
    entry = history_entry(centre_id=request.user.centre_id, source=source, history_id=history_id)
    if entry is None:
        raise Http404
    if request.htmx:
        response = render(request, "privacy/_audit_changes.html", {"entry": entry})
    else:
        response = render(request, "privacy/audit_entry.html", {"entry": entry})
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Who read which case and document (data protection officer)."""
    require_perm(request.user, "privacy.view_audit")
    form = AccessLogSearchForm(request.GET, centre=request.user.centre)
    page = None
    if form.is_valid():
        data = form.cleaned_data
        entries = access_log_search(
            centre_id=request.user.centre_id,
            case_number=data["case_number"],
            user_id=data["user"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            what=data["what"],
        )
        # A search by part of a case number is planned for its pattern; the other filters need no such care.
        with planned_for_each_search(data["case_number"]):
            page = peek_page(entries, request.GET.get("page"), PAGE_SIZE)
    return render(request, "privacy/access_log.html", {"form": form, "page": page})
