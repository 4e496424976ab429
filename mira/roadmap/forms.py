from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mira.core.forms import BootstrapFormMixin
from mira.core.geo import country_choices
from mira.network.models import Organisation, Sector
from mira.roadmap.models import (
    AgreementMethod,
    Goal,
    GoalOwner,
    GoalStatus,
    RecipientKind,
    RoadmapVersion,
)

# Radio buttons and check boxes rendered one by one (Bootstrap's form-check).
CHECK_INPUT = {"class": "form-check-input"}


class RoadmapContentForm(BootstrapFormMixin, forms.ModelForm):
    wished_sectors = forms.MultipleChoiceField(
        label=_("Sectors of interest"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECK_INPUT),
        help_text=_("Used to suggest matching offers."),
    )

    class Meta:
        model = RoadmapVersion
        fields = [
            "current_situation",
            "professional_wishes",
            "personal_wishes",
            "family_situation",
            "qualifications",
            "wished_sectors",
            "destination_country",
            "destination_region",
            "destination_city",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "current_situation",
                "professional_wishes",
                "personal_wishes",
                "family_situation",
                "qualifications",
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination_country"] = forms.ChoiceField(
            label=_("Destination country"),
            choices=[("", "—"), *country_choices()],
            required=False,
        )
        self.fields["destination_country"].widget.attrs["class"] = "form-select"
        if self.instance.pk and not self.is_bound:
            self.initial["wished_sectors"] = self.instance.wished_sector_codes

    def content(self) -> dict:
        data = {name: self.cleaned_data[name] for name in RoadmapVersion.CONTENT_FIELDS}
        data["wished_sectors"] = " ".join(self.cleaned_data["wished_sectors"])
        return data


class GoalForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["phase", "title", "title_translated", "measure", "owner", "owner_organisation", "due_on"]
        widgets = {
            "measure": forms.Textarea(attrs={"rows": 2}),
            "due_on": forms.DateInput(),
        }
        error_messages = {
            "title": {"required": _("Say what is to be achieved.")},
            "measure": {"required": _("Say how everyone can tell that the goal is reached.")},
            "owner": {"required": _("Choose who is responsible for this goal.")},
            "due_on": {"required": _("Enter the date by which the goal is to be reached.")},
            "phase": {"required": _("Choose the phase of the journey.")},
        }

    def __init__(self, *args, participant=None, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(active=True).order_by("country", "name")
        self.fields["owner_organisation"].queryset = organisations
        self.fields["owner_organisation"].help_text = _("Only when a partner organisation is responsible.")
        self.fields["owner"].choices = [("", "—"), *GoalOwner.choices]
        language = participant.preferred_language if participant else ""
        if language and language != "de":
            name = dict(settings.LANGUAGES).get(language, language)
            self.fields["title_translated"].label = _("Goal in %(language)s") % {"language": name}
            self.fields["title_translated"].widget.attrs.update(
                {"lang": language, "dir": "rtl" if language in ("ar", "fa") else "ltr"}
            )


class GoalStatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    status_reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the goal was missed or dropped."),
    )
    evidence_note = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What shows the progress, e.g. “certificate of the course seen on 12 May”."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, goal=None, with_upload=False, **kwargs):
        super().__init__(*args, **kwargs)
        if goal is not None and not self.is_bound:
            self.initial.update(
                {"status": goal.status, "status_reason": goal.status_reason, "evidence_note": goal.evidence_note}
            )
        if with_upload:
            self.fields["evidence_file"] = forms.FileField(
                label=_("Evidence document"), required=False, help_text=_("PDF or image, e.g. a certificate.")
            )
            self.fields["evidence_file"].widget.attrs["class"] = "form-control"


class AgreementForm(BootstrapFormMixin, forms.Form):
    agreed_on = forms.DateField(
        label=_("Date of the agreement"),
        widget=forms.DateInput(),
        error_messages={"required": _("Enter the date of the agreement.")},
    )
    method = forms.ChoiceField(
        label=_("How was it signed?"),
        choices=AgreementMethod.choices,
        widget=forms.RadioSelect(attrs=CHECK_INPUT),
        error_messages={"required": _("Choose how the roadmap was signed.")},
    )
    participant_signed = forms.BooleanField(label=_("The participant has signed the roadmap."), required=False)
    counsellor_signed = forms.BooleanField(label=_("I have signed the roadmap as counsellor."), required=False)
    signed_file = forms.FileField(
        label=_("Scan of the signed roadmap"), required=False, help_text=_("PDF or image, at most 10 MB.")
    )
    participant_signature = forms.CharField(required=False, widget=forms.HiddenInput)
    counsellor_signature = forms.CharField(required=False, widget=forms.HiddenInput)
    carry_shares = forms.BooleanField(
        label=_("Share the new version with the partner organisations that have the current one"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("agreed_on", timezone.localdate())
        self.fields["signed_file"].widget.attrs["accept"] = "application/pdf,image/png,image/jpeg"


class ShareForm(BootstrapFormMixin, forms.Form):
    recipient_kind = forms.ChoiceField(
        label=_("Share with"),
        choices=RecipientKind.choices,
        widget=forms.RadioSelect(attrs=CHECK_INPUT),
        error_messages={"required": _("Choose who receives the roadmap.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Organisation.objects.none(), required=False
    )
    recipient_name = forms.CharField(
        label=_("Authority or body"),
        required=False,
        max_length=200,
        help_text=_("E.g. “Ausländerbehörde Erfurt” or “Jobcenter Gotha”."),
    )
    purpose = forms.CharField(label=_("Purpose of the sharing"), required=False, max_length=300)
    pdf_handed_over = forms.BooleanField(label=_("The PDF was handed over"), required=False)

    def __init__(self, *args, country: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(active=True)
        if country:
            # Partner organisations in the destination country first.
            from django.db.models import Case, IntegerField, Value, When

            organisations = organisations.annotate(
                here=Case(When(country=country, then=Value(0)), default=Value(1), output_field=IntegerField())
            ).order_by("here", "-coaches_after_return", "name")
        self.fields["organisation"].queryset = organisations


class RevokeForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=300,
        error_messages={"required": _("Give the reason for revoking.")},
    )


class OfferAddForm(forms.Form):
    offer = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=300)
