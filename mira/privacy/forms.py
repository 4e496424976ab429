from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mira.accounts.models import Role, User
from mira.core.forms import BootstrapFormMixin
from mira.documents.forms import UploadField, upload_help_text
from mira.privacy.audit import SOURCES
from mira.privacy.models import AccessLog


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
    user = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.none(), required=False, empty_label=_("All users")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput)

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff of the centre and the partner coaches, who also read and change shared cases.
        self.fields["user"].queryset = User.objects.filter(Q(centre=centre) | Q(role=Role.PARTNER)).order_by(
            "last_name", "first_name", "username"
        )
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username} ({user.get_role_display()})"
        )

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
