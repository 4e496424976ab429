from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mira.core.forms import BootstrapFormMixin
from mira.core.geo import country_choices, language_choices, language_name
from mira.network.models import Offer, OfferKind, Organisation, OrganisationType, ReferralStatus, Sector

MAX_IMPORT_BYTES = 5 * 1024 * 1024


ALL = _("all")


def _with_empty(choices) -> list:
    return [("", ALL), *choices]


class CountryChoiceField(forms.ChoiceField):
    def __init__(self, *, required=True, empty_label=None, **kwargs):
        super().__init__(required=required, choices=(), **kwargs)
        self.empty_label = empty_label

    def build_choices(self):
        # Built per request, so the names follow the user's language.
        self.choices = [("", self.empty_label or "—"), *country_choices()]


# -- directory filters -------------------------------------------------------


class OrganisationFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = CountryChoiceField(label=_("Country"), required=False, empty_label=_("all countries"))
    region = forms.CharField(label=_("Region"), required=False, max_length=100)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=_with_empty(OrganisationType.choices))
    sector = forms.ChoiceField(label=_("Sector of an offer"), required=False, choices=_with_empty(Sector.choices))
    coaches_after_return = forms.BooleanField(label=_("Coaches after return"), required=False)
    include_inactive = forms.BooleanField(label=_("Show inactive ones too"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].build_choices()
        self.fields["q"].widget.attrs["placeholder"] = _("Name, city, service, offer …")


class OfferFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = CountryChoiceField(label=_("Country"), required=False, empty_label=_("all countries"))
    region = forms.CharField(label=_("Region"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_with_empty(OfferKind.choices))
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=_with_empty(Sector.choices))
    valid_today = forms.BooleanField(label=_("Valid today"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].build_choices()
        self.fields["q"].widget.attrs["placeholder"] = _("Title, description, organisation …")


# -- directory entries -------------------------------------------------------


class LanguagesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class OrganisationForm(BootstrapFormMixin, forms.ModelForm):
    """Counsellors and coordinators edit entries; only coordinators get the `active` switch."""

    country = CountryChoiceField(label=_("Country"))
    languages = LanguagesField(label=_("Languages"), required=False)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Organisation
        fields = [
            "name", "type", "country", "region", "city", "address", "languages", "contact_person", "email",
            "phone", "website", "services", "coaches_after_return", "active", "reference",
        ]  # fmt: skip
        widgets = {"services": forms.Textarea(attrs={"rows": 4}), "address": forms.TextInput()}

    def __init__(self, *args, can_manage: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].build_choices()
        current = self.instance.language_list if self.instance.pk else []
        choices = language_choices()
        known = {code for code, _label in choices}
        self.fields["languages"].choices = choices + [(c, language_name(c)) for c in current if c not in known]
        self.fields["languages"].widget.attrs["class"] = "form-check-input"
        self.initial["languages"] = current
        if not can_manage:
            del self.fields["active"]

    def clean_languages(self):
        return " ".join(self.cleaned_data["languages"])


class OfferForm(BootstrapFormMixin, forms.ModelForm):
    country = CountryChoiceField(
        label=_("Country"),
        required=False,
        empty_label=_("as the organisation"),
        help_text=_("Where the offer is available; empty means the organisation's country."),
    )

    class Meta:
        model = Offer
        fields = [
            "title", "kind", "sector", "description", "target_group", "country", "region",
            "valid_from", "valid_until", "active", "reference",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "valid_from": forms.DateInput(),
            "valid_until": forms.DateInput(),
        }
        help_texts = {"region": _("Empty means the whole country (or the organisation's region).")}

    def __init__(self, *args, can_manage: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].build_choices()
        self.fields["sector"].choices = [("", "—"), *Sector.choices]
        if not can_manage:
            del self.fields["active"]


# -- import ------------------------------------------------------------------


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File (XLSX or CSV)"),
        help_text=_(
            "The format of the export: an XLSX workbook with the sheets organisations and offers, or one CSV file."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Only check, import nothing"),
        required=False,
        help_text=_("Shows the report of what the import would do."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv,text/csv"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


# -- referrals ---------------------------------------------------------------


class ReferralCreateForm(BootstrapFormMixin, forms.Form):
    offer = forms.ModelChoiceField(
        label=_("Offer"), queryset=Offer.objects.none(), required=False, widget=forms.RadioSelect
    )
    organisation = forms.ModelChoiceField(
        label=_("Or an organisation without a particular offer"),
        queryset=Organisation.objects.filter(active=True).order_by("country", "name"),
        required=False,
        empty_label=_("— none, an offer from the list —"),
    )
    suggested_on = forms.DateField(label=_("Suggested on"), widget=forms.DateInput())
    notes = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any offer may be posted; whether it is valid is checked by referral_create.
        self.fields["offer"].queryset = Offer.objects.select_related("organisation")
        self.fields["organisation"].label_from_instance = lambda o: (
            f"{o.name} ({o.country}{', ' + o.city if o.city else ''})"
        )
        self.initial.setdefault("suggested_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("offer") and not cleaned.get("organisation") and not self.errors:
            raise forms.ValidationError(_("Choose an offer from the list or an organisation."))
        return cleaned


class ReferralStatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    on = forms.DateField(label=_("On"), widget=forms.DateInput())

    def __init__(self, *args, referral, without_consent: bool = False, **kwargs):
        """without_consent: the partner-sharing consent is no longer valid; only the steps that
        share nothing (completed, declined) are offered."""
        super().__init__(*args, **kwargs)
        labels = dict(ReferralStatus.choices)
        statuses = referral.next_statuses()
        if without_consent:
            statuses = [s for s in statuses if s in (ReferralStatus.COMPLETED, ReferralStatus.DECLINED)]
        self.fields["status"].choices = [(status, labels[status]) for status in statuses]
        self.initial.setdefault("on", timezone.localdate())
        self.fields["status"].widget.attrs["class"] += " form-select-sm"
        self.fields["on"].widget.attrs["class"] += " form-control-sm"
        # Several of these forms sit on one page: ids must differ.
        self.auto_id = f"id_referral{referral.pk}_%s"


class ReferralNotesForm(BootstrapFormMixin, forms.Form):
    notes = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class ReferralFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_with_empty(ReferralStatus.choices))
    country = CountryChoiceField(label=_("Country"), required=False, empty_label=_("all countries"))
    counsellor = forms.ModelChoiceField(label=_("Counsellor"), required=False, queryset=None, empty_label=_("all"))
    open_only = forms.BooleanField(label=_("Open only"), required=False)
    consent_missing = forms.BooleanField(label=_("Consent missing"), required=False)

    def __init__(self, *args, counsellors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].build_choices()
        self.fields["counsellor"].queryset = counsellors
