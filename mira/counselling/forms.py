import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mira.core.forms import BootstrapFormMixin
from mira.core.geo import COMMON_LANGUAGES, language_choices, language_name
from mira.counselling.models import Appointment, CounsellingSession, Interpreter, SessionMode, Topic
from mira.counselling.selectors import calendar_staff, interpreters_of_centre
from mira.participants.models import Participant


def add_service_errors(form: forms.Form, error: ValidationError, field_map: dict[str, str]) -> None:
    """Shows a service's ValidationError next to the form fields it concerns."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.error_dict.items():
        target = field_map.get(name, name)
        form.add_error(target if target in form.fields else None, errors)


class InterpreterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Interpreter) -> str:
        return f"{obj.name} ({obj.language_display})" if obj.languages else obj.name


class HouseholdChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("%(name)s (%(relationship)s, %(age)s years)") % {
            "name": f"{obj.first_name} {obj.last_name}",
            "relationship": obj.get_relationship_display(),
            "age": obj.age,
        }


def _interpreter_queryset(centre_id: int, current: Interpreter | None):
    """Active interpreters, plus the one already chosen (who may have left since)."""
    queryset = interpreters_of_centre(centre_id=centre_id, active_only=True)
    if current is not None and not current.is_active:
        queryset = interpreters_of_centre(centre_id=centre_id).filter(
            pk__in=[*queryset.values_list("pk", flat=True), current.pk]
        )
    return queryset


class SessionForm(BootstrapFormMixin, forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput)
    time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=5,
        max_value=480,
        initial=60,
        widget=forms.NumberInput(attrs={"step": 5}),
    )
    mode = forms.ChoiceField(
        label=_("Mode"), choices=SessionMode.choices, initial=SessionMode.IN_PERSON, widget=forms.RadioSelect
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
    )
    language = forms.ChoiceField(label=_("Language of the session"))
    interpreter = InterpreterChoiceField(
        label=_("Interpreter"), queryset=Interpreter.objects.none(), required=False, empty_label="—"
    )
    interpreter_other = forms.CharField(
        label=_("Other interpreter"),
        max_length=200,
        required=False,
        help_text=_("An interpreter not on the centre's list, e.g. a phone interpreting service."),
    )
    participant_attended = forms.BooleanField(label=_("The participant attended"), required=False, initial=True)
    household_attendees = HouseholdChoiceField(
        label=_("Household members who attended"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 7}))
    next_steps = forms.CharField(label=_("Agreed next steps"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    # Where a service's error on a model field is shown.
    FIELD_MAP = {"started_at": "time"}

    def __init__(self, *args, participant: Participant, session: CounsellingSession | None = None, **kwargs):
        if session is not None and "initial" not in kwargs:
            start = timezone.localtime(session.started_at)
            kwargs["initial"] = {
                "day": start.date(),
                "time": start.time().replace(second=0, microsecond=0),
                "duration_minutes": session.duration_minutes,
                "mode": session.mode,
                "topics": session.topic_codes,
                "language": session.language,
                "interpreter": session.interpreter,
                "interpreter_other": session.interpreter_other,
                "participant_attended": session.participant_attended,
                "household_attendees": list(session.household_attendees.all()),
                "notes": session.notes,
                "next_steps": session.next_steps,
            }
        super().__init__(*args, **kwargs)
        self.participant = participant
        for name in ("mode", "topics", "household_attendees"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        languages = dict(language_choices())
        extra = [code for code in participant.language_codes if code not in languages]
        self.fields["language"].choices = [("", "—"), *language_choices()] + [
            (code, language_name(code)) for code in extra
        ]
        if session is None:
            self.fields["language"].initial = (
                participant.interpreter_language
                if participant.needs_interpreter and participant.interpreter_language
                else "de"
            )
            now = timezone.localtime()
            self.fields["day"].initial = now.date()
            self.fields["time"].initial = now.time().replace(
                minute=0 if now.minute < 30 else 30, second=0, microsecond=0
            )
        self.fields["interpreter"].queryset = _interpreter_queryset(
            participant.centre_id, session.interpreter if session is not None and session.interpreter_id else None
        )
        self.fields["household_attendees"].queryset = participant.household_members.all()

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("day"), cleaned.get("time")
        if day and time:
            cleaned["started_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        return cleaned

    def fill(self, session: CounsellingSession) -> CounsellingSession:
        """Copies the cleaned values onto session (new or existing)."""
        data = self.cleaned_data
        session.participant = self.participant
        session.started_at = data["started_at"]
        session.duration_minutes = data["duration_minutes"]
        session.mode = data["mode"]
        session.topics = " ".join(code for code in Topic.values if code in data["topics"])
        session.language = data["language"]
        session.interpreter = data["interpreter"]
        session.interpreter_other = data["interpreter_other"].strip()
        session.participant_attended = data["participant_attended"]
        session.notes = data["notes"].strip()
        session.next_steps = data["next_steps"].strip()
        return session


class AppointmentForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    case_number = forms.CharField(
        label=_("Case"),
        max_length=20,
        required=False,
        help_text=_("Case number, e.g. EF-2026-0042. Leave empty for an internal appointment."),
    )
    counsellor = forms.ModelChoiceField(label=_("Counsellor"), queryset=None)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput)
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("To"), widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(
        label=_("Video link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[
            URLValidator(
                schemes=["https"], message=_("Enter a secure address beginning with https://."), code="not_https"
            )
        ],
        help_text=_("For a video meeting: the address of the meeting (https://…)."),
    )
    interpreter = InterpreterChoiceField(
        label=_("Interpreter"), queryset=Interpreter.objects.none(), required=False, empty_label="—"
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only visible in MIRA, never in calendar programs or reminder emails."),
    )

    FIELD_MAP = {"starts_at": "start_time", "ends_at": "end_time", "participant": "case_number"}

    def __init__(self, *args, centre, appointment: Appointment | None = None, **kwargs):
        if appointment is not None and "initial" not in kwargs:
            start, end = timezone.localtime(appointment.starts_at), timezone.localtime(appointment.ends_at)
            kwargs["initial"] = {
                "title": appointment.title,
                "case_number": appointment.participant.case_number if appointment.participant_id else "",
                "counsellor": appointment.counsellor,
                "day": start.date(),
                "start_time": start.time(),
                "end_time": end.time(),
                "place": appointment.place,
                "video_link": appointment.video_link,
                "interpreter": appointment.interpreter,
                "notes": appointment.notes,
            }
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.fields["counsellor"].queryset = calendar_staff(centre_id=centre.pk)
        self.fields["interpreter"].queryset = _interpreter_queryset(
            centre.pk, appointment.interpreter if appointment is not None and appointment.interpreter_id else None
        )
        self.fields["case_number"].widget.attrs.update({"list": "case-numbers", "autocomplete": "off"})

    def clean_case_number(self) -> Participant | None:
        number = self.cleaned_data["case_number"].strip().upper()
        if not number:
            return None
        participant = Participant.objects.filter(case_number=number, centre=self.centre).first()
        if participant is None:
            raise ValidationError(_("There is no case with this number in your centre."))
        return participant

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("The appointment must end after it starts."))
            else:
                cleaned["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, start))
                cleaned["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, end))
        return cleaned

    def fill(self, appointment: Appointment) -> Appointment:
        data = self.cleaned_data
        appointment.title = data["title"].strip()
        appointment.participant = data["case_number"]
        appointment.counsellor = data["counsellor"]
        appointment.starts_at = data["starts_at"]
        appointment.ends_at = data["ends_at"]
        appointment.place = data["place"].strip()
        appointment.video_link = data["video_link"]
        appointment.interpreter = data["interpreter"]
        appointment.notes = data["notes"].strip()
        return appointment


class InterpreterForm(BootstrapFormMixin, forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )

    class Meta:
        model = Interpreter
        fields = ["name", "languages", "phone", "email", "is_active", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = dict(language_choices())
        current = self.instance.language_codes if self.instance.pk else []
        extra = [(code, language_name(code)) for code in current if code not in codes]
        self.fields["languages"].choices = [*language_choices(), *extra]
        self.fields["languages"].widget.attrs["class"] = "form-check-input"
        if self.instance.pk:
            self.initial["languages"] = current

    def clean_languages(self) -> str:
        chosen = self.cleaned_data["languages"]
        order = list(COMMON_LANGUAGES)
        return " ".join(sorted(chosen, key=lambda code: order.index(code) if code in order else len(order)))


class CalendarFilterForm(forms.Form):
    """The calendar's view settings (from the query string); bad values fall back to defaults."""

    view = forms.ChoiceField(choices=[("week", _("Week")), ("day", _("Day"))], required=False)
    date = forms.DateField(required=False)
    who = forms.CharField(required=False)
