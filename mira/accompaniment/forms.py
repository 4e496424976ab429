from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mira.accompaniment.models import (
    ChecklistTemplate,
    ChecklistTemplateStep,
    DeadlineRule,
    Programme,
    ProgrammeApplication,
    Task,
    TaskStatus,
)
from mira.core.forms import BootstrapFormMixin
from mira.documents.forms import UploadField, upload_help_text
from mira.documents.models import DocumentCategory
from mira.participants.services import counsellors_of


class ResponsibleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username


def _responsible_field(centre, **kwargs) -> ResponsibleChoiceField:
    return ResponsibleChoiceField(
        label=pgettext_lazy("task", "Responsible"),
        queryset=counsellors_of(centre).order_by("last_name", "first_name"),
        **kwargs,
    )


class TaskForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "due_on", "responsible", "notes"]
        widgets = {"due_on": forms.DateInput(), "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"] = _responsible_field(participant.centre)
        self.fields["responsible"].widget.attrs["class"] = "form-select"
        self.fields["due_on"].widget.attrs.setdefault("min", participant.opened_on.isoformat())


class TemplateTasksForm(BootstrapFormMixin, forms.Form):
    template = forms.ModelChoiceField(label=_("Checklist"), queryset=ChecklistTemplate.objects.none())
    start_on = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(), help_text=_("The steps' due dates count from this day.")
    )

    def __init__(self, *args, participant, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["responsible"] = _responsible_field(participant.centre)
        self.fields["responsible"].widget.attrs["class"] = "form-select"


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(choices=TaskStatus.choices)


class TaskAttachmentForm(BootstrapFormMixin, forms.Form):
    file = UploadField(label=_("File"))
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=DocumentCategory.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = upload_help_text()


class TaskFilterForm(BootstrapFormMixin, forms.Form):
    STATUS_CHOICES = [("pending", _("Open or in progress")), *TaskStatus.choices, ("all", _("All"))]

    responsible = forms.ChoiceField(label=pgettext_lazy("task", "Responsible"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        people = counsellors_of(centre).order_by("last_name", "first_name")
        self.fields["responsible"].choices = [("", _("Everybody"))] + [
            (str(user.pk), user.get_full_name() or user.username) for user in people
        ]


class DepartureForm(BootstrapFormMixin, forms.Form):
    departure = forms.DateField(label=_("Planned departure"), widget=forms.DateInput())
    # Set by the second submit after the warning about deadlines that can no longer be met.
    accept_missed_deadlines = forms.BooleanField(
        label=_("I know that these deadlines can no longer be met and want to plan this date anyway."),
        required=False,
    )


class ProgrammeApplicationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ProgrammeApplication
        fields = ["programme", "programme_name", "amount", "reference", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("programme") in (Programme.LAND, Programme.OTHER) and not cleaned.get("programme_name"):
            self.add_error("programme_name", _("Name the programme."))
        return cleaned


class ApplicationStatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    on = forms.DateField(label=_("On"), widget=forms.DateInput())

    def __init__(self, *args, transitions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = transitions


class ChecklistTemplateForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["name", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = ChecklistTemplate.objects.filter(centre=self.centre, name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("A checklist with this name exists already."))
        return name


class ChecklistStepForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ChecklistTemplateStep
        fields = ["title", "offset_days", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The step table explains the offset once, above the rows.
        self.fields["offset_days"].help_text = ""
        self.fields["offset_days"].widget.attrs["min"] = 0


ChecklistStepFormSet = forms.inlineformset_factory(
    ChecklistTemplate,
    ChecklistTemplateStep,
    form=ChecklistStepForm,
    extra=3,
    can_delete=True,
)


class DeadlineRuleForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = DeadlineRule
        fields = ["title", "offset", "unit", "programme", "condition", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
