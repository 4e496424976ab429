"""Forms of the case file: intake and master data, household members, stage changes, the case list filter."""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mira.accounts.models import Role, User
from mira.core.forms import BootstrapFormMixin
from mira.core.geo import country_name, district_choices, language_choices, split_country_choices
from mira.participants.eligibility import EligibilityResult, eligibility_check
from mira.participants.models import HouseholdMember, Participant, Stage, Vulnerability
from mira.participants.selectors import CaseStatus, participant_return_countries
from mira.participants.services import counsellors_of

BLANK = [("", "—")]


def grouped_countries():
    frequent, others = split_country_choices()
    return [(_("Frequent countries of origin"), frequent), (_("All countries"), others)]


def grouped_countries_or_blank():
    return BLANK + grouped_countries()


def districts_or_blank():
    return BLANK + district_choices()


def languages_or_blank():
    return BLANK + language_choices()


class CodeListField(forms.MultipleChoiceField):
    """Several codes chosen from a list, stored space-separated in one text column."""

    def prepare_value(self, value):
        return value.split() if isinstance(value, str) else value

    def clean(self, value):
        return " ".join(super().clean(value))

    def has_changed(self, initial, data):
        return super().has_changed(self.prepare_value(initial), data)


class CounsellorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name() or user.username
        return f"{name} ({user.get_role_display()})" if user.role == Role.COORDINATOR else name


class ParticipantForm(BootstrapFormMixin, forms.ModelForm):
    """The master data of a case, as entered at intake and edited later."""

    nationalities = CodeListField(
        label=_("Nationalities"),
        choices=grouped_countries,
        required=False,
        widget=forms.SelectMultiple(
            attrs={
                "size": 8,
                "data-filter-select": "",
                "data-filter-placeholder": _("Filter the countries"),
                "data-filter-chosen": _("Chosen:"),
            }
        ),
        help_text=_("Choose every nationality the person has; a click selects a country, another click removes it."),
    )
    languages = CodeListField(
        label=_("Languages"), choices=language_choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter language"), choices=languages_or_blank, required=False
    )
    district = forms.ChoiceField(label=_("District"), choices=districts_or_blank)
    return_country = forms.ChoiceField(label=_("Return country"), choices=grouped_countries_or_blank, required=False)
    vulnerabilities = CodeListField(
        label=_("Vulnerabilities"), choices=Vulnerability.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    # (section key, heading, [(field name, column width on wider screens)])
    SECTIONS = [
        ("person", _("Person"), [("first_name", 6), ("last_name", 6), ("first_name_original", 6),
                                 ("last_name_original", 6), ("date_of_birth", 6), ("gender", 6)]),
        ("origin", _("Nationality and languages"), [("nationalities", 6), ("is_stateless", 6), ("languages", 12),
                                                    ("needs_interpreter", 6), ("interpreter_language", 6),
                                                    ("preferred_language", 6)]),
        ("address", _("Address in Thuringia and contact"), [("street", 12), ("postcode", 4), ("city", 8),
                                                            ("district", 12), ("phone", 6), ("email", 6)]),
        ("residence", _("Residence"), [("residence_status", 8), ("residence_valid_until", 4)]),
        ("counselling", _("Counselling"), [("assigned_counsellor", 6), ("referral_source", 6),
                                           ("referral_source_detail", 12), ("vulnerabilities", 12), ("notes", 12)]),
        ("return", _("Return"), [("return_country", 6), ("return_region", 6)]),
        ("eligibility", _("Eligibility"), [("eligibility_evidence", 12)]),
    ]  # fmt: skip

    class Meta:
        model = Participant
        fields = [
            "first_name", "last_name", "first_name_original", "last_name_original", "date_of_birth", "gender",
            "nationalities", "is_stateless", "languages", "needs_interpreter", "interpreter_language",
            "preferred_language", "street", "postcode", "city", "district", "phone", "email",
            "residence_status", "residence_valid_until", "assigned_counsellor", "referral_source",
            "referral_source_detail", "vulnerabilities", "notes", "return_country", "return_region",
            "eligibility_evidence",
        ]  # fmt: skip
        field_classes = {"assigned_counsellor": CounsellorChoiceField}
        widgets = {
            "date_of_birth": forms.DateInput(),
            "residence_valid_until": forms.DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "first_name_original": forms.TextInput(attrs={"dir": "auto"}),
            "last_name_original": forms.TextInput(attrs={"dir": "auto"}),
        }
        labels = {"is_stateless": _("Stateless (no nationality)")}
        help_texts = {
            "first_name": _("In Latin letters, as in the residence document."),
            "first_name_original": _("E.g. in Arabic, Cyrillic or Georgian script, as the person writes it."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.eligibility = EligibilityResult()
        # The counsellors of the centre; on edit also the one assigned now, even if no longer active.
        choosable = Q(pk__in=counsellors_of(user.centre))
        if self.instance.pk:
            choosable |= Q(pk=self.instance.assigned_counsellor_id)
        self.fields["assigned_counsellor"].queryset = User.objects.filter(choosable).order_by("last_name", "first_name")
        if not self.instance.pk and user.role in (Role.COUNSELLOR, Role.COORDINATOR):
            self.fields["assigned_counsellor"].initial = user.pk
        postcode = self.fields["postcode"].widget
        postcode.attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "postal-code",
                "maxlength": "5",
                "hx-get": reverse("participants:postcode_lookup"),
                "hx-trigger": "input changed delay:300ms, change",
                "hx-target": "#postcode-hints",
                "hx-include": "#id_postcode, #id_city, #id_district",
                "aria-describedby": "postcode-hints",
            }
        )
        for name in ("languages", "vulnerabilities"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        self.fields["eligibility_evidence"].choices = BLANK + list(self.fields["eligibility_evidence"].choices)[1:]
        self.fields["city"].widget.attrs.update({"list": "city-suggestions", "autocomplete": "address-level2"})
        self.fields["street"].widget.attrs["autocomplete"] = "street-address"

    def clean(self):
        cleaned = super().clean()
        self.eligibility = eligibility_check(
            nationalities=(cleaned.get("nationalities") or "").split(),
            is_stateless=bool(cleaned.get("is_stateless")),
            postcode=cleaned.get("postcode") or "",
            district=cleaned.get("district") or "",
        )
        for name, messages in self.eligibility.field_errors.items():
            if name in self.errors:  # already says what is wrong with it
                continue
            for message in messages:
                self.add_error(name, message)
        return cleaned

    def error_summary(self) -> list[tuple]:
        """(field, messages) for the summary above the form; the eligibility reasons stand there already."""
        summary = []
        for field in self.visible_fields():
            messages = [str(message) for message in field.errors if str(message) not in self.eligibility.reasons]
            if messages:
                summary.append((field, messages))
        return summary

    def width_of(self, name: str) -> int:
        return next(width for _key, _heading, names in self.SECTIONS for field, width in names if field == name)

    def sections(self):
        for key, heading, names in self.SECTIONS:
            yield key, heading, [(self[name], width) for name, width in names]


class IntakeForm(ParticipantForm):
    confirm_not_duplicate = forms.BooleanField(label=_("It is a different person — enrol anyway"), required=False)


class ParticipantUpdateForm(ParticipantForm):
    # The version the form was opened with (optimistic locking); rendered by hand.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def master_data_changes(self) -> list[str]:
        return [name for name in self.changed_data if name != "version"]


class HouseholdMemberForm(BootstrapFormMixin, forms.ModelForm):
    nationality = forms.ChoiceField(label=_("Nationality"), choices=grouped_countries_or_blank, required=False)

    class Meta:
        model = HouseholdMember
        fields = ["first_name", "last_name", "date_of_birth", "gender", "relationship", "nationality", "returns_along"]
        widgets = {"date_of_birth": forms.DateInput()}


class BaseHouseholdFormSet(forms.BaseFormSet):
    def members(self) -> list[HouseholdMember]:
        """The unsaved members of the rows that were filled in and not removed."""
        return [
            form.save(commit=False)
            for form in self.forms
            if form.has_changed() and not (self.can_delete and self._should_delete_form(form))
        ]


HouseholdFormSet = forms.formset_factory(
    HouseholdMemberForm, formset=BaseHouseholdFormSet, extra=0, can_delete=True, max_num=20, validate_max=True
)


class StageForm(BootstrapFormMixin, forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    departure_date = forms.DateField(label=_("Departure date"), required=False, widget=forms.DateInput())
    reason = forms.CharField(
        label=_("Reason for withdrawal"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class CaseListForm(BootstrapFormMixin, forms.Form):
    """The search and filters of the case list (GET parameters)."""

    STATUS_CHOICES = [(CaseStatus.OPEN, _("Open cases")), (CaseStatus.CLOSED, _("Closed cases")),
                      (CaseStatus.ALL, _("All cases"))]  # fmt: skip

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Case number, name in any spelling, nationality")}
        ),
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices])
    counsellor = CounsellorChoiceField(
        label=_("Counsellor"), required=False, queryset=None, empty_label=_("All counsellors")
    )
    return_country = forms.ChoiceField(label=_("Return country"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    mine = forms.BooleanField(label=_("Only my cases"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Live search: the results follow the typing and every filter change (htmx);
        # without JavaScript the form submits as usual.
        live = {
            "hx-get": reverse("participants:list"),
            "hx-target": "#case-results",
            "hx-push-url": "true",
            "hx-include": "closest form",
        }
        self.fields["q"].widget.attrs.update(
            {**live, "hx-trigger": "input changed delay:300ms, search", "autocomplete": "off"}
        )
        for name in ("stage", "counsellor", "return_country", "status", "mine"):
            self.fields[name].widget.attrs.update({**live, "hx-trigger": "change"})
        self.fields["counsellor"].queryset = counsellors_of(user.centre).order_by("last_name", "first_name")
        codes = participant_return_countries(centre_id=user.centre_id)
        self.fields["return_country"].choices = [("", _("All countries"))] + sorted(
            ((code, country_name(code)) for code in codes), key=lambda item: item[1].casefold()
        )

    def value_of(self, name: str):
        """The cleaned value of a filter; a value that did not validate counts as not set."""
        self.is_valid()
        return self.cleaned_data.get(name)
