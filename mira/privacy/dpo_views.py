"""The data protection officer's pages: retention (due cases, legal holds, deletion runs and
their protocols) and data-subject requests (record, export, erase, close)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mira.core.forms import add_service_errors
from mira.core.permissions import get_object_or_404_logged, require_perm
from mira.privacy import exporters
from mira.privacy.erasure import audit_records_exist, erasure_blockers, is_erased
from mira.privacy.forms import (
    DataSubjectRequestForm,
    LegalHoldForm,
    LegalHoldLiftForm,
    RequestCloseForm,
    RequestFilterForm,
)
from mira.privacy.models import (
    DataSubjectExport,
    DataSubjectRequest,
    DeletionRun,
    ExportStatus,
    LegalHold,
    RequestKind,
)
from mira.privacy.selectors import (
    case_in_centre,
    cases_due_for_audit_clearing,
    cases_due_for_erasure,
    cases_due_soon,
    cases_held_back,
    data_subject_requests,
    deletion_runs,
    pending_run,
    retention_periods,
    run_counts,
    years_after,
)
from mira.privacy.services import (
    data_subject_export_fetch,
    data_subject_export_log,
    data_subject_export_request,
    data_subject_request_close,
    data_subject_request_erase,
    data_subject_request_record,
    deletion_run_request,
    legal_hold_lift,
    legal_hold_set,
)

PAGE_SIZE = 50
# The request page lists this many of the request's export PDFs, the newest first.
EXPORTS_SHOWN = 10
# A PDF still waiting for the worker after this long: the page says the worker may not be running.
WORKER_LATE = datetime.timedelta(minutes=1)


# --- Retention ------------------------------------------------------------------------------


@login_required
def retention(request: HttpRequest) -> HttpResponse:
    """What is due for deletion, what is held back, and the latest runs."""
    require_perm(request.user, "privacy.manage_retention")
    centre_id = request.user.centre_id
    periods = retention_periods()
    due = Paginator(cases_due_for_erasure(centre_id=centre_id, with_audit_flag=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for case in due.object_list:
        case.due_since = years_after(case.closed_on, periods.years_after_close)
    return render(
        request,
        "privacy/retention.html",
        {
            "periods": periods,
            "due": due,
            "audit_due": list(cases_due_for_audit_clearing(centre_id=centre_id)[:PAGE_SIZE]),
            "holds": list(cases_held_back(centre_id=centre_id)),
            "due_soon": cases_due_soon(centre_id=centre_id).count(),
            "runs": list(deletion_runs(centre_id=centre_id)[:5]),
            "pending": pending_run(centre_id=centre_id),
        },
    )


@login_required
def run_now(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "privacy.manage_retention")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        deletion_run_request(centre=request.user.centre, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The deletion run has been queued; the worker starts it shortly."))
    return redirect("privacy:retention")


@login_required
def legal_hold_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "privacy.manage_retention")
    if request.method == "POST":
        form = LegalHoldForm(request.POST)
        if form.is_valid():
            participant = case_in_centre(centre_id=request.user.centre_id, case_number=form.cleaned_data["case_number"])
            if participant is None:
                add_service_errors(
                    form,
                    ValidationError(
                        {"case_number": _("There is no case with this number in your counselling centre.")}
                    ),
                )
            else:
                try:
                    legal_hold_set(participant=participant, reason=form.cleaned_data["reason"], actor=request.user)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("Case %(case)s is on legal hold: no deletion run touches it until the hold is lifted.")
                        % {"case": participant.case_number},
                    )
                    return redirect("privacy:retention")
    else:
        form = LegalHoldForm(initial={"case_number": request.GET.get("case", "")[:20]})
    return render(request, "privacy/legal_hold_form.html", {"form": form})


@login_required
def legal_hold_lift_view(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404_logged(
        request, LegalHold.objects.select_related("participant", "set_by"), pk=pk, lifted_at__isnull=True
    )
    require_perm(request.user, "privacy.handle_retention_record", hold)
    if request.method == "POST":
        form = LegalHoldLiftForm(request.POST)
        if form.is_valid():
            try:
                legal_hold_lift(hold=hold, reason=form.cleaned_data["lift_reason"], actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The legal hold on case %(case)s has been lifted.") % {"case": hold.participant.case_number},
                )
                return redirect("privacy:retention")
    else:
        form = LegalHoldLiftForm()
    return render(request, "privacy/legal_hold_lift.html", {"form": form, "hold": hold})


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "privacy.manage_retention")
    page = Paginator(deletion_runs(centre_id=request.user.centre_id), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/run_list.html", {"page": page})


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404_logged(
        request, DeletionRun.objects.select_related("requested_by", "data_subject_request"), pk=pk
    )
    require_perm(request.user, "privacy.handle_retention_record", run)
    return render(request, "privacy/run_detail.html", {"run": run, "counts": run_counts(run)})


# --- Data-subject requests ------------------------------------------------------------------


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "privacy.manage_requests")
    form = RequestFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    requests = data_subject_requests(centre_id=request.user.centre_id, status=status)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/request_list.html", {"form": form, "page": page, "today": timezone.localdate()})


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "privacy.manage_requests")
    if request.method == "POST":
        form = DataSubjectRequestForm(request.POST)
        if form.is_valid():
            try:
                created = data_subject_request_record(
                    centre=request.user.centre,
                    case_number=form.cleaned_data["case_number"],
                    kind=form.cleaned_data["kind"],
                    received_on=form.cleaned_data["received_on"],
                    notes=form.cleaned_data["notes"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The request has been recorded. The answer is due by %(date)s.")
                    % {"date": date_format(created.due_on, "SHORT_DATE_FORMAT")},
                )
                return redirect("privacy:request_detail", pk=created.pk)
    else:
        form = DataSubjectRequestForm(initial={"received_on": timezone.localdate()})
    return render(request, "privacy/request_form.html", {"form": form})


def _get_request(request: HttpRequest, pk: int) -> DataSubjectRequest:
    found = get_object_or_404_logged(
        request,
        DataSubjectRequest.objects.select_related("participant", "participant__assigned_counsellor", "handled_by"),
        pk=pk,
    )
    require_perm(request.user, "privacy.handle_request", found)
    return found


def _request_page(request: HttpRequest, data_request: DataSubjectRequest, close_form=None, status: int = 200):
    participant = data_request.participant
    language = exporters.pdf_language(participant)
    return render(
        request,
        "privacy/request_detail.html",
        {
            "data_request": data_request,
            "participant": participant,
            "erased": is_erased(participant=participant),
            "blockers": erasure_blockers(participant=participant) if data_request.kind == RequestKind.ERASURE else [],
            "pdf_language": language,
            "pdf_language_name": _language_names().get(language, language),
            "close_form": close_form or RequestCloseForm(),
            "case_edit_url": reverse("participants:update", kwargs={"pk": participant.pk}),
            **_exports_context(data_request),
        },
        status=status,
    )


def _language_names() -> dict:
    return {code: str(name) for code, name in settings.LANGUAGES}


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, _get_request(request, pk))


@login_required
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = _get_request(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = RequestCloseForm(request.POST)
    if form.is_valid():
        try:
            data_subject_request_close(
                request=data_request,
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The request has been closed."))
            return redirect("privacy:request_detail", pk=data_request.pk)
    return _request_page(request, data_request, close_form=form)


@login_required
def request_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The data-subject export as JSON (data portability), made at once; the download is logged
    (read-access log, "export")."""
    data_request = _get_request(request, pk)
    participant = data_request.participant
    content = exporters.export_json(participant=participant)
    data_subject_export_log(request=data_request, http_request=request)
    return _attachment(content, "application/json", f"MIRA-{participant.case_number}-Auskunft.json")


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def request_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks the worker for the PDF of the data-subject export in a language; the request page
    follows it until it can be downloaded."""
    data_request = _get_request(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        data_subject_export_request(request=data_request, language=request.POST.get("lang", ""), actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The PDF is being made. It can be downloaded below as soon as it is ready."))
    return _to_export_section(data_request)


def _to_export_section(data_request: DataSubjectRequest) -> HttpResponse:
    return redirect(reverse("privacy:request_detail", kwargs={"pk": data_request.pk}) + "#request-export")


def _exports_context(data_request: DataSubjectRequest) -> dict:
    exports = list(
        DataSubjectExport.objects.filter(request=data_request)
        .select_related("requested_by", "fetched_by")
        .defer("content")[:EXPORTS_SHOWN]
    )
    now = timezone.now()
    for export in exports:
        export.waits_long = export.status == ExportStatus.QUEUED and export.requested_at < now - WORKER_LATE
    return {
        "data_request": data_request,
        "exports": exports,
        "exports_pending": any(export.is_pending for export in exports),
        # Waiting long for a worker that may not run: look less often.
        "exports_poll": "10s" if any(export.waits_long for export in exports) else "2s",
        "export_keep_hours": settings.MIRA_EXPORT_KEEP_HOURS,
    }


@login_required
def request_exports(request: HttpRequest, pk: int) -> HttpResponse:
    """The request's export PDFs and where each stands (polled by the request page while one is made)."""
    data_request = _get_request(request, pk)
    return render(request, "privacy/_exports.html", _exports_context(data_request))


@login_required
def request_export_download(request: HttpRequest, pk: int, export_pk: int) -> HttpResponse:
    """Hands out a ready PDF once; MIRA deletes its copy with the download."""
    data_request = _get_request(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    export = get_object_or_404_logged(
        request, DataSubjectExport.objects.defer("content"), pk=export_pk, request_id=data_request.pk
    )
    try:
        content = data_subject_export_fetch(export=export, http_request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_export_section(data_request)
    return _attachment(content, "application/pdf", f"MIRA-{data_request.case_number}-Auskunft-{export.language}.pdf")


@login_required
def request_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirms, then erases the case of an erasure request (through the deletion machinery)."""
    data_request = _get_request(request, pk)
    if data_request.kind != RequestKind.ERASURE:
        raise Http404
    participant = data_request.participant
    errors = []
    if request.method == "POST":
        try:
            run = data_subject_request_erase(request=data_request, actor=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request, _("The personal data of case %(case)s has been erased.") % {"case": participant.case_number}
            )
            return redirect("privacy:run_detail", pk=run.pk)
    return render(
        request,
        "privacy/request_erase.html",
        {
            "data_request": data_request,
            "participant": participant,
            "errors": errors,
            "blockers": erasure_blockers(participant=participant),
            "erased": is_erased(participant=participant),
            "keeps_aid": audit_records_exist(participant=participant),
            "periods": retention_periods(),
        },
        status=400 if errors else 200,
    )
