from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mira.core.forms import BootstrapFormMixin
from mira.psychology.models import NoteKind, ReferralStatus, SupportNote, Urgency
from mira.psychology.services import psychologists_of


class PsychologistChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class ReferralForm(BootstrapFormMixin, forms.Form):
    psychologist = PsychologistChoiceField(
        label=_("Psychologist"),
        queryset=None,
        error_messages={"required": _("Choose the psychologist."), "invalid_choice": _("Choose the psychologist.")},
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE)
    reason = forms.CharField(
        label=_("Reason for the referral"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_(
            "What you have observed and what the participant wishes. Only the psychologist and you read this; "
            "it does not appear in the timeline."
        ),
        error_messages={"required": _("Please describe briefly why you refer the case.")},
    )

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        psychologists = psychologists_of(participant.centre_id).order_by("last_name", "first_name")
        self.fields["psychologist"].queryset = psychologists
        if not self.is_bound and len(psychologists) == 1:
            self.initial["psychologist"] = psychologists[0].pk


class StatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(choices=ReferralStatus.choices, widget=forms.HiddenInput)
    decline_reason = forms.CharField(
        label=_("Why do you decline? (The counsellor reads this.)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SupportNoteForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = SupportNote
        fields = ["session_date", "kind", "text", "shared_with_counsellor"]
        widgets = {"session_date": forms.DateInput(), "text": forms.Textarea(attrs={"rows": 10})}
        error_messages = {
            "session_date": {"required": _("Enter the date of the session."), "invalid": _("Enter a valid date.")},
            "text": {"required": _("The note is empty.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("session_date", timezone.localdate())
            self.initial.setdefault("kind", NoteKind.SUPPORT_SESSION)
