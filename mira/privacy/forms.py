from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mira.accounts.models import Role, User
from mira.core.forms import BootstrapFormMixin
from mira.documents.forms import UploadField, upload_help_text
from mira.privacy.audit import SOURCES
from mira.privacy.models import AccessLog, RequestKind, RequestStatus


class ConsentRecordForm(BootstrapFormMixin, forms.Form):
    given_on = forms.DateField(label=_("Given on"), widget=forms.DateInput)
    language = forms.ChoiceField(label=_("Language of the form"), choices=settings.LANGUAGES)
    signed_form = UploadField(label=_("Signed form (scan or photo)"), required=False)
    notes = forms.CharField(
        label=_("Remarks"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["signed_form"].help_text = upload_help_text()


class ConsentWithdrawForm(BootstrapFormMixin, forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=forms.DateInput)
    notes = forms.CharField(
        label=_("Remarks"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, consent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].widget.attrs["min"] = consent.given_on.isoformat()
        self.fields["withdrawn_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class _SearchForm(BootstrapFormMixin, forms.Form):
    """The filters of the audit pages (GET): every field optional."""

    case_number = forms.CharField(label=_("Case number"), max_length=20, required=False)
    # The id of a user (an int) or None; a ChoiceField over plain rows, because a select of some hundred
    # users as model instances costs several milliseconds a page.
    user = forms.TypedChoiceField(label=_("User"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput)

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff of the centre and the partner coaches, who also read and change shared cases. Finding
        # only the coaches the centre shared with would cost more than listing them all.
        users = (
            User.objects.filter(Q(centre=centre) | Q(role=Role.PARTNER))
            .order_by("last_name", "first_name", "username")
            .values_list("id", "first_name", "last_name", "username", "role")
        )
        # The role names translated once, not once per option.
        roles = {value: str(label) for value, label in Role.choices}
        self.fields["user"].choices = [("", _("All users"))] + [
            (pk, f"{f'{first} {last}'.strip() or username} ({roles.get(role, role)})")
            for pk, first, last, username, role in users
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date lies before the start date."))
        return cleaned


class HistorySearchForm(_SearchForm):
    source = forms.ChoiceField(
        label=_("Data"),
        required=False,
        choices=[("", _("All case data"))] + [(source.key, source.label) for source in SOURCES],
    )


class AccessLogSearchForm(_SearchForm):
    what = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *AccessLog.What.choices])


class CaseNumberField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Case number"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "placeholder": "EF-2021-0042", "spellcheck": "false"})

    def clean(self, value):
        return super().clean(value).strip().upper()


class LegalHoldForm(BootstrapFormMixin, forms.Form):
    case_number = CaseNumberField()
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the case must be kept, e.g. the court case or the authority's reference. No health data."),
    )


class LegalHoldLiftForm(BootstrapFormMixin, forms.Form):
    lift_reason = forms.CharField(
        label=_("Why does the hold end?"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class DataSubjectRequestForm(BootstrapFormMixin, forms.Form):
    case_number = CaseNumberField()
    kind = forms.ChoiceField(
        label=_("Kind of request"),
        choices=RequestKind.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput)
    notes = forms.CharField(
        label=_("Remarks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the request came in and how the identity of the person was checked."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class RequestCloseForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Result"),
        choices=[(RequestStatus.COMPLETED, _("Completed")), (RequestStatus.REFUSED, _("Refused"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    outcome = forms.CharField(
        label=_("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the export handed over on …, the corrected data, or the reason for the refusal."),
    )


class RequestFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All requests")), *RequestStatus.choices]
    )
