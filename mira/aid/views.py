from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods

from mira.aid import selectors
from mira.aid.exporters import aid_export_filename, aid_export_xlsx
from mira.aid.forms import TRANSITION_FORMS, AidRequestForm, BudgetForm, ExportForm, ProofForm, item_formset
from mira.aid.models import AidRequest, AidStatus, Budget
from mira.aid.services import (
    STEPS,
    ConcurrentEditError,
    aid_proof_add,
    aid_request_save,
    aid_request_transition,
    budget_save,
    transitions_from,
)
from mira.core.forms import add_service_errors
from mira.core.pagination import ListPaginator
from mira.core.permissions import get_object_or_404_logged, require_perm
from mira.participants.shortcuts import case_or_404
from mira.privacy.models import AccessLog
from mira.privacy.services import access_log_record

PAGE_SIZE = 25
PROOF_STATUSES = (AidStatus.APPROVED, AidStatus.ORDERED, AidStatus.PAID, AidStatus.DELIVERED)


def _aid_request(request: HttpRequest, pk: int, perm: str = "aid.view_request") -> AidRequest:
    aid_request = get_object_or_404_logged(request, selectors.aid_request_detail(pk=pk), pk=pk)
    require_perm(request.user, perm, aid_request)
    return aid_request


def _names_visible(user, participant) -> bool:
    """Finance works with case numbers; names are for those who may open the case."""
    return user.has_perm("participants.view_participant", participant)


# ---------------------------------------------------------------- requests of a case


@login_required
def case_requests(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, perm=None, select_related=("centre",))
    require_perm(request.user, "aid.view_aid")
    if not request.user.has_perm("aid.view_request", AidRequest(participant=participant)):
        raise Http404
    context = {
        "participant": participant,
        "requests": selectors.aid_requests_of_participant(participant=participant),
        "summary": selectors.participant_aid_summary(participant=participant),
        "can_add": request.user.has_perm("aid.add_request", participant) and participant.is_open,
        "show_names": _names_visible(request.user, participant),
    }
    return render(request, "aid/case_requests.html", context)


def _request_form_page(request, *, participant, aid_request, form, formset, template="aid/request_form.html"):
    summary = selectors.participant_aid_summary(participant=participant)
    return render(
        request,
        template,
        {
            "participant": participant,
            "aid_request": aid_request,
            "form": form,
            "formset": formset,
            "summary": summary,
            "typed_total": formset.total() if formset.is_bound else _initial_total(formset),
        },
    )


def _initial_total(formset):
    return sum((item.get("amount") or 0 for item in (formset.initial or [])), 0)


def _save_request(request, *, participant, aid_request, version=None) -> HttpResponse:
    """Validates form and items, saves the draft and, when asked, submits it; on any error
    the page comes back with everything typed and the message next to what is wrong."""
    form = AidRequestForm(request.POST, instance=aid_request or AidRequest(participant=participant))
    formset = item_formset(data=request.POST, add_row="add_item" in request.POST)
    if "add_item" in request.POST:
        # Only a new line was asked for: show what was typed, without complaining about what is not there yet.
        form = AidRequestForm(
            initial={name: request.POST.get(name, "") for name in form.fields}, instance=form.instance
        )
        return _request_form_page(request, participant=participant, aid_request=aid_request, form=form,
                                  formset=formset)  # fmt: skip
    if form.is_valid() and formset.is_valid():
        submit = "submit" in request.POST
        try:
            saved = aid_request_save(
                request=form.instance, items=formset.items(), actor=request.user, version=version, submit=submit
            )
        except ConcurrentEditError:
            form.add_error(
                None, _("Someone else changed this request meanwhile. Open it again and repeat your change.")
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if submit:
                message = _("The request %(number)s has been submitted for approval.")
            else:
                message = _("The request %(number)s has been saved as a draft.")
            messages.success(request, message % {"number": saved.number})
            return redirect("aid:request_detail", pk=saved.pk)
    return _request_form_page(request, participant=participant, aid_request=aid_request, form=form, formset=formset)


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "aid.add_request", select_related=("centre",))
    if request.method == "POST":
        return _save_request(request, participant=participant, aid_request=None)
    form = AidRequestForm(instance=AidRequest(participant=participant))
    return _request_form_page(request, participant=participant, aid_request=None, form=form, formset=item_formset())


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    aid_request = _aid_request(request, pk, "aid.change_request")
    participant = aid_request.participant
    if request.method == "POST":
        version = request.POST.get("version", "")
        return _save_request(
            request, participant=participant, aid_request=aid_request, version=int(version) if version.isdigit() else 0
        )
    form = AidRequestForm(instance=aid_request)
    initial = [
        {"category": item.category, "description": item.description, "amount": item.amount, "supplier": item.supplier}
        for item in aid_request.items.all()
    ]
    formset = item_formset(initial=initial)
    return _request_form_page(request, participant=participant, aid_request=aid_request, form=form, formset=formset)


@login_required
@require_http_methods(["GET", "POST"])
def remaining(request: HttpRequest, participant_pk: int) -> HttpResponse:
    """The cap hint of the request form, recomputed from the amounts typed so far (htmx)."""
    participant = case_or_404(request, participant_pk, "aid.add_request", select_related=("centre",))
    formset = item_formset(data=request.POST if request.method == "POST" else None)
    summary = selectors.participant_aid_summary(participant=participant)
    total = formset.total() if formset.is_bound else 0
    return render(request, "aid/_remaining.html", {"summary": summary, "typed_total": total})


# ---------------------------------------------------------------- one request


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    aid_request = _aid_request(request, pk)
    user = request.user
    actions = [to for to in transitions_from(aid_request.status) if user.has_perm(STEPS[to].permission, aid_request)]
    own = user.pk in (aid_request.created_by_id, aid_request.submitted_by_id)
    context = {
        "aid_request": aid_request,
        "participant": aid_request.participant,
        "items": aid_request.items.all(),
        "proofs": selectors.aid_request_proofs(request=aid_request),
        "transitions": selectors.aid_request_transitions(request=aid_request),
        "actions": actions,
        "own_request": own,
        "can_edit": user.has_perm("aid.change_request", aid_request),
        "can_add_proof": user.has_perm("aid.add_proof", aid_request) and aid_request.status in PROOF_STATUSES,
        "summary": selectors.participant_aid_summary(participant=aid_request.participant),
        "show_names": _names_visible(user, aid_request.participant),
    }
    return render(request, "aid/request_detail.html", context)


ACTIONS = {
    AidStatus.SUBMITTED: (pgettext_lazy("aid", "Submit for approval"), "send"),
    AidStatus.APPROVED: (pgettext_lazy("aid", "Approve"), "check2-circle"),
    AidStatus.REJECTED: (pgettext_lazy("aid", "Reject"), "x-circle"),
    AidStatus.ORDERED: (pgettext_lazy("aid", "Record the order"), "cart-check"),
    AidStatus.PAID: (pgettext_lazy("aid", "Record the payment"), "cash-coin"),
    AidStatus.DELIVERED: (pgettext_lazy("aid", "Record the delivery"), "box-seam"),
    AidStatus.CLOSED: (pgettext_lazy("aid", "Close the request"), "archive"),
    AidStatus.CANCELLED: (pgettext_lazy("aid", "Cancel the request"), "slash-circle"),
}


@login_required
@require_http_methods(["GET", "POST"])
def request_transition(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    """Every step of the workflow: a small form (comment, and what the step needs); the
    service decides whether the step is allowed and says why not."""
    if to not in TRANSITION_FORMS:
        raise Http404
    aid_request = _aid_request(request, pk)
    # Who may cancel depends on the status; for that the service answers in words.
    perm = "aid.view_request" if to == AidStatus.CANCELLED else STEPS[to].permission
    require_perm(request.user, perm, aid_request)
    form_class = TRANSITION_FORMS[to]
    kwargs = {"aid_request": aid_request} if to == AidStatus.APPROVED else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            aid_request_transition(
                request=aid_request,
                to=to,
                actor=request.user,
                comment=form.cleaned_data.get("comment", ""),
                **form.details(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The request %(number)s is now “%(status)s”.")
                % {"number": aid_request.number, "status": AidStatus(to).label},
            )
            return redirect("aid:request_detail", pk=aid_request.pk)
    title, icon = ACTIONS[to]
    context = {
        "aid_request": aid_request,
        "participant": aid_request.participant,
        "to": to,
        "title": title,
        "icon": icon,
        "form": form,
        "summary": selectors.participant_aid_summary(participant=aid_request.participant),
        "budgets": _budget_choices(aid_request) if to == AidStatus.APPROVED else None,
        "own_request": request.user.pk in (aid_request.created_by_id, aid_request.submitted_by_id),
        "show_names": _names_visible(request.user, aid_request.participant),
        "status_allows": aid_request.status in STEPS[to].from_statuses,
    }
    return render(request, "aid/transition.html", context)


def _budget_choices(aid_request: AidRequest) -> list:
    year = timezone.localdate().year
    return [
        row
        for row in selectors.budget_overview(centre_id=aid_request.participant.centre_id, year=year)
        if row.funding_source is not None
    ]


@login_required
@require_http_methods(["GET", "POST"])
def proof_add(request: HttpRequest, pk: int) -> HttpResponse:
    aid_request = _aid_request(request, pk, "aid.add_proof")
    form = ProofForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            aid_proof_add(
                request=aid_request,
                uploaded_file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                reference=form.cleaned_data["reference"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The proof has been added to %(number)s.") % {"number": aid_request.number})
            return redirect("aid:request_detail", pk=aid_request.pk)
    return render(
        request,
        "aid/proof_form.html",
        {
            "aid_request": aid_request,
            "form": form,
            "show_names": _names_visible(request.user, aid_request.participant),
            "status_allows": aid_request.status in PROOF_STATUSES,
        },
    )


# ---------------------------------------------------------------- lists


def _paged(request, queryset):
    return ListPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "aid.view_aid")
    status = request.GET.get("status", "open")
    if status not in ("", "open", *AidStatus.values):
        status = "open"
    query = request.GET.get("q", "").strip()[:30]
    page = _paged(request, selectors.aid_requests_list(status=status, query=query))
    return render(
        request,
        "aid/request_list.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "statuses": AidStatus.choices,
            "query_string": urlencode({"status": status, "q": query}),
        },
    )


@login_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "aid.view_approval_queue")
    page = _paged(request, selectors.approval_queue())
    return render(request, "aid/approval_queue.html", {"page": page})


@login_required
def open_payments(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "aid.view_finance")
    page = _paged(request, selectors.open_payments())
    return render(request, "aid/open_payments.html", {"page": page})


@login_required
def missing_proofs(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "aid.view_finance")
    page = _paged(request, selectors.deliveries_without_proof())
    return render(request, "aid/missing_proofs.html", {"page": page})


# ---------------------------------------------------------------- budgets


@login_required
def budgets(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "aid.view_budgets")
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, 2020), this_year + 5)
    rows = selectors.budget_overview(centre_id=request.user.centre_id, year=year)
    totals = {
        name: sum((getattr(row, name) for row in rows), 0)
        for name in ("amount", "planned", "approved", "paid", "remaining")
    }
    return render(
        request,
        "aid/budgets.html",
        {
            "rows": rows,
            "totals": totals,
            "year": year,
            "years": list(range(this_year - 3, this_year + 2)),
            "can_manage": request.user.has_perm("aid.manage_budgets"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "aid.manage_budgets")
    return _budget_form(request, Budget(year=_year_param(request)))


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "aid.manage_budgets")
    budget = get_object_or_404_logged(request, Budget.objects.select_related("funding_source"), pk=pk)
    return _budget_form(request, budget)


def _year_param(request) -> int:
    year = request.GET.get("year", "")
    return int(year) if year.isdigit() and 2020 <= int(year) <= 2100 else timezone.localdate().year


def _budget_form(request, budget: Budget) -> HttpResponse:
    form = BudgetForm(request.POST or None, instance=budget)
    if request.method == "POST" and form.is_valid():
        try:
            saved = budget_save(budget=form.instance, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The budget “%(budget)s” has been saved.") % {"budget": saved})
            return redirect(f"{reverse('aid:budgets')}?year={saved.year}")
    return render(request, "aid/budget_form.html", {"form": form, "budget": budget})


# ---------------------------------------------------------------- export


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The XLSX for the proof of use (Verwendungsnachweis): the form, and the file once it is filled in."""
    require_perm(request.user, "aid.export")
    form = ExportForm(request.GET if "date_from" in request.GET else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        requests = selectors.aid_requests_for_export(
            date_from=data["date_from"], date_to=data["date_to"], funding_source=data["funding_source"]
        )
        content = aid_export_xlsx(
            requests=requests,
            date_from=data["date_from"],
            date_to=data["date_to"],
            funding_source=data["funding_source"],
            include_names=data["include_names"],
        )
        if data["include_names"]:
            # Names leave the system: every case in the file is in the access log.
            seen = set()
            for aid_request in requests:
                if aid_request.participant_id not in seen:
                    seen.add(aid_request.participant_id)
                    access_log_record(
                        request=request, participant=aid_request.participant, what=AccessLog.What.EXPORT,
                        object_id=f"aid-export {data['date_from']:%Y-%m-%d}..{data['date_to']:%Y-%m-%d}",
                    )  # fmt: skip
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = aid_export_filename(
            date_from=data["date_from"], date_to=data["date_to"], funding_source=data["funding_source"]
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "aid/export.html", {"form": form})
