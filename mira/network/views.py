from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from mira.accounts.models import Role, User
from mira.core.forms import add_service_errors
from mira.core.pagination import CountedIdsPaginator, ListPaginator
from mira.core.permissions import get_object_or_404_logged, require_perm
from mira.network import selectors, services
from mira.network.exporters import directory_export_csv, directory_export_xlsx
from mira.network.forms import (
    ImportForm,
    OfferFilterForm,
    OfferForm,
    OrganisationFilterForm,
    OrganisationForm,
    ReferralCreateForm,
    ReferralFilterForm,
    ReferralNotesForm,
    ReferralStatusForm,
)
from mira.network.importers import directory_import
from mira.network.models import Offer, Organisation
from mira.participants.shortcuts import case_or_404
from mira.privacy.models import AccessLog, ConsentPurpose
from mira.privacy.selectors import consent_is_valid
from mira.privacy.services import access_log_record

PAGE_SIZE = 25
PICKER_LIMIT = 60


def _page(request, items, *, counted: bool = False):
    """A page of a list; `counted` for a filter through a join, whose count would cost as much as
    the page (CountedIdsPaginator reads the count with the page's ids)."""
    paginator = CountedIdsPaginator if counted else ListPaginator
    return paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


# -- directory ---------------------------------------------------------------


@login_required
def organisation_list(request):
    require_perm(request.user, "network.view_directory")
    form = OrganisationFilterForm(request.GET or None)
    filters = selectors.OrganisationFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.OrganisationFilter(
            text=data["q"], country=data["country"], region=data["region"], type=data["type"],
            sector=data["sector"], coaches_after_return=data["coaches_after_return"],
            include_inactive=data["include_inactive"],
        )  # fmt: skip
    page = _page(request, selectors.organisation_list(filters=filters))
    return render(
        request,
        "network/organisation_list.html",
        {"form": form, "page": page, "section": "organisations"},
    )


@login_required
def organisation_detail(request, pk: int):
    require_perm(request.user, "network.view_directory")
    organisation = get_object_or_404_logged(request, Organisation.objects.all(), pk=pk)
    today = timezone.localdate()
    offers = list(selectors.offers_of(organisation))
    for offer in offers:
        offer.valid_today = offer.is_valid_on(today)
    return render(
        request,
        "network/organisation_detail.html",
        {"organisation": organisation, "offers": offers, "section": "organisations"},
    )


def _organisation_form(request, organisation: Organisation | None):
    can_manage = request.user.has_perm("network.manage_directory")
    instance = organisation or Organisation()
    form = OrganisationForm(request.POST or None, instance=instance, can_manage=can_manage)
    if request.method == "POST" and form.is_valid():
        try:
            saved = (services.organisation_update if organisation else services.organisation_create)(
                organisation=form.save(commit=False), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation “%(name)s” was saved.") % {"name": saved.name})
            return redirect("network:organisation_detail", pk=saved.pk)
    return render(
        request,
        "network/organisation_form.html",
        {"form": form, "organisation": organisation, "section": "organisations"},
    )


@login_required
def organisation_create(request):
    require_perm(request.user, "network.change_directory")
    return _organisation_form(request, None)


@login_required
def organisation_update(request, pk: int):
    require_perm(request.user, "network.change_directory")
    organisation = get_object_or_404_logged(request, Organisation.objects.all(), pk=pk)
    return _organisation_form(request, organisation)


@login_required
def offer_list(request):
    require_perm(request.user, "network.view_directory")
    form = OfferFilterForm(request.GET or None)
    filters = selectors.OfferFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.OfferFilter(
            text=data["q"], country=data["country"], region=data["region"], kind=data["kind"],
            sector=data["sector"], valid_on=timezone.localdate() if data["valid_today"] else None,
        )  # fmt: skip
    page = _page(request, selectors.offer_list(filters=filters))
    today = timezone.localdate()
    for offer in page:
        offer.valid_today = offer.is_valid_on(today)
    return render(
        request,
        "network/offer_list.html",
        {"form": form, "page": page, "section": "offers"},
    )


@login_required
def offer_detail(request, pk: int):
    require_perm(request.user, "network.view_directory")
    offer = get_object_or_404_logged(request, Offer.objects.select_related("organisation"), pk=pk)
    offer.valid_today = offer.is_valid_on(timezone.localdate())
    return render(request, "network/offer_detail.html", {"offer": offer, "section": "offers"})


def _offer_form(request, organisation: Organisation, offer: Offer | None):
    can_manage = request.user.has_perm("network.manage_directory")
    instance = offer or Offer(organisation=organisation)
    form = OfferForm(request.POST or None, instance=instance, can_manage=can_manage)
    if request.method == "POST" and form.is_valid():
        try:
            saved = (services.offer_update if offer else services.offer_create)(
                offer=form.save(commit=False), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The offer “%(title)s” was saved.") % {"title": saved.title})
            return redirect("network:offer_detail", pk=saved.pk)
    return render(
        request,
        "network/offer_form.html",
        {"form": form, "organisation": organisation, "offer": offer, "section": "offers"},
    )


@login_required
def offer_create(request, organisation_pk: int):
    require_perm(request.user, "network.change_directory")
    organisation = get_object_or_404_logged(request, Organisation.objects.all(), pk=organisation_pk)
    return _offer_form(request, organisation, None)


@login_required
def offer_update(request, pk: int):
    require_perm(request.user, "network.change_directory")
    offer = get_object_or_404_logged(request, Offer.objects.select_related("organisation"), pk=pk)
    return _offer_form(request, offer.organisation, offer)


# -- import and export -------------------------------------------------------

EXPORTS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


@login_required
def directory_export(request):
    require_perm(request.user, "network.export_directory")
    file_format = request.GET.get("format", "xlsx")
    table = request.GET.get("table", "organisations")
    if file_format not in EXPORTS or table not in ("organisations", "offers"):
        file_format, table = "xlsx", "organisations"
    stamp = timezone.localdate().isoformat()
    if file_format == "xlsx":
        content, name = directory_export_xlsx(), f"mira-netzwerk-{stamp}.xlsx"
    else:
        content, name = directory_export_csv(table), f"mira-netzwerk-{table}-{stamp}.csv"
    response = HttpResponse(content, content_type=EXPORTS[file_format][0])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def directory_import_view(request):
    require_perm(request.user, "network.import_directory")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = directory_import(
            name=upload.name, content=upload.read(), actor=request.user, dry_run=form.cleaned_data["dry_run"]
        )
        if report.imported:
            messages.success(request, _("The import is done."))
        elif report.has_errors:
            messages.error(request, _("Nothing was imported: the file has errors (see the report)."))
        form = ImportForm()
    return render(request, "network/import.html", {"form": form, "report": report, "section": "import"})


# -- referrals ---------------------------------------------------------------


def _centre_counsellors(user):
    return User.objects.filter(centre_id=user.centre_id, role__in=[Role.COUNSELLOR, Role.COORDINATOR], is_active=True)


@login_required
def referral_list(request):
    require_perm(request.user, "network.list_referrals")
    form = ReferralFilterForm(request.GET or None, counsellors=_centre_counsellors(request.user))
    filters = selectors.ReferralFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.ReferralFilter(
            status=data["status"], country=data["country"],
            counsellor_id=data["counsellor"].pk if data["counsellor"] else None,
            open_only=data["open_only"], consent_missing=data["consent_missing"],
        )  # fmt: skip
    # One counsellor's referrals are found through their cases: PostgreSQL joins all the centre's
    # referrals (6,665 at 100,000 participants) to the cases, for the count as for the page.
    page = _page(request, selectors.referral_list(filters=filters), counted=bool(filters.counsellor_id))
    page.object_list = selectors.referrals_with_consent(page.object_list)
    return render(
        request,
        "network/referral_list.html",
        {"form": form, "page": page, "section": "referrals"},
    )


@login_required
def referral_create(request, participant_pk: int):
    participant = case_or_404(request, participant_pk, "network.add_referral", select_related=())
    picker = OfferFilterForm(request.GET or {"country": participant.return_country}, auto_id="picker_%s")
    offers = []
    if picker.is_valid():
        data = picker.cleaned_data
        if data["country"]:
            offers = selectors.offers_suggested_for(
                country=data["country"],
                region=data["region"] or participant.return_region,
                sectors=[data["sector"]] if data["sector"] else [],
                kinds=[data["kind"]] if data["kind"] else [],
                text=data["q"],
            )
            offers = [
                offer for offer in offers
                if (not data["kind"] or offer.kind == data["kind"]) and (not data["sector"] or offer.sector == data["sector"])
            ]  # fmt: skip
        else:
            offers = list(
                selectors.offer_list(
                    filters=selectors.OfferFilter(
                        text=data["q"], region=data["region"], kind=data["kind"], sector=data["sector"],
                        valid_on=timezone.localdate(),
                    )
                )[: PICKER_LIMIT + 1]
            )  # fmt: skip
    too_many = len(offers) > PICKER_LIMIT
    offers = offers[:PICKER_LIMIT]
    form = ReferralCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(
                participant=participant,
                actor=request.user,
                offer=form.cleaned_data["offer"],
                organisation=form.cleaned_data["organisation"] if not form.cleaned_data["offer"] else None,
                suggested_on=form.cleaned_data["suggested_on"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The referral was saved."))
            return redirect(participant.get_absolute_url())
    selected_offer = form["offer"].value() if form.is_bound else None
    return render(
        request,
        "network/referral_create.html",
        {
            "participant": participant,
            "picker": picker,
            "offers": offers,
            "too_many": too_many,
            "form": form,
            "selected_offer": str(selected_offer or ""),
            "has_consent": consent_is_valid(participant=participant, purpose=ConsentPurpose.PARTNER_SHARING),
            "section": "referrals",
        },
    )


@login_required
def referral_detail(request, pk: int):
    referral = get_object_or_404_logged(request, selectors.referral_get(pk=pk), pk=pk)
    require_perm(request.user, "network.view_referral", referral)
    can_change = request.user.has_perm("network.change_referral", referral)
    notes_form = ReferralNotesForm(request.POST or None, initial={"notes": referral.notes})
    if request.method == "POST":
        require_perm(request.user, "network.change_referral", referral)
        if notes_form.is_valid():
            services.referral_update(referral=referral, notes=notes_form.cleaned_data["notes"], actor=request.user)
            messages.success(request, _("The remarks were saved."))
            return redirect("network:referral_detail", pk=referral.pk)
    access_log_record(
        request=request, participant=referral.participant, what=AccessLog.What.OTHER, object_id=referral.pk
    )
    referral.consent_warning = selectors.referral_needs_consent_warning(referral)
    status_form = None
    if can_change and referral.is_open:
        status_form = ReferralStatusForm(referral=referral, without_consent=referral.consent_warning)
    return render(
        request,
        "network/referral_detail.html",
        {
            "referral": referral,
            "can_change": can_change,
            "notes_form": notes_form,
            "status_form": status_form,
            "history": referral.history.select_related("history_user").order_by("-history_date", "-history_id")[:20],
            "section": "referrals",
        },
    )


@login_required
def referral_set_status(request, pk: int):
    referral = get_object_or_404_logged(request, selectors.referral_get(pk=pk), pk=pk)
    require_perm(request.user, "network.change_referral", referral)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ReferralStatusForm(request.POST, referral=referral)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    if form.is_valid():
        try:
            services.referral_set_status(
                referral=referral, status=form.cleaned_data["status"], on=form.cleaned_data["on"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The status of the referral was changed."))
            return redirect(back or reverse("network:referral_detail", kwargs={"pk": referral.pk}))
    # Show what went wrong on the referral's page, with what was entered.
    messages.error(request, _("The status was not changed."))
    referral.consent_warning = selectors.referral_needs_consent_warning(referral)
    return render(
        request,
        "network/referral_detail.html",
        {
            "referral": referral,
            "can_change": True,
            "notes_form": ReferralNotesForm(initial={"notes": referral.notes}),
            "status_form": form,
            "history": referral.history.select_related("history_user").order_by("-history_date", "-history_id")[:20],
            "section": "referrals",
        },
        status=400,
    )
