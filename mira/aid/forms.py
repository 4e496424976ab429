import datetime
from decimal import Decimal

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mira.aid.models import AidCategory, AidRequest, AidStatus, Budget, FundingSource, ProofKind
from mira.core.forms import BootstrapFormMixin

AMOUNT_MESSAGES = {
    "required": pgettext_lazy("aid", "Enter the amount."),
    "invalid": _("Enter the amount as a number in euros, e.g. 249,90."),
    "min_value": _("The amount must be greater than zero."),
    "max_decimal_places": _("Enter at most two decimal places (euros and cents)."),
    "max_digits": _("The amount is too large."),
    "max_whole_digits": _("The amount is too large."),
}


def amount_field(*, label, minimum=Decimal("0.01"), max_digits=10, **kwargs) -> forms.DecimalField:
    """Euros as typed in Germany (249,90) or with a point; at most two decimals."""
    messages = dict(AMOUNT_MESSAGES)
    if minimum == 0:
        messages["min_value"] = _("The amount cannot be negative.")
    return forms.DecimalField(
        label=label,
        max_digits=max_digits,
        decimal_places=2,
        min_value=minimum,
        localize=True,
        error_messages=messages,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


class AidRequestForm(BootstrapFormMixin, forms.ModelForm):
    # Goals are scoped by centre: the choices are set per case in __init__, never at import time.
    roadmap_goal = forms.ModelChoiceField(label=pgettext_lazy("aid", "Goal of the roadmap"), queryset=None,
                                          required=False)  # fmt: skip

    class Meta:
        model = AidRequest
        fields = ["roadmap_goal", "justification", "funding_source"]
        widgets = {"justification": forms.Textarea(attrs={"rows": 3})}
        labels = {"funding_source": pgettext_lazy("aid", "Proposed funding source")}
        help_texts = {"funding_source": _("The coordination confirms or changes it when approving.")}
        error_messages = {"justification": {"required": _("Say why this aid is needed for the return.")}}

    def __init__(self, *args, **kwargs):
        from mira.aid.selectors import roadmap_goals_for
        from mira.roadmap.models import Goal

        super().__init__(*args, **kwargs)
        self.fields["funding_source"].queryset = FundingSource.objects.filter(is_active=True)
        self.fields["funding_source"].empty_label = _("— not yet decided —")
        goals = roadmap_goals_for(participant=self.instance.participant)
        current = self.instance.roadmap_goal_id
        if goals or current:
            ids = [goal.pk for goal in goals] + ([current] if current else [])
            field = self.fields["roadmap_goal"]
            field.queryset = Goal.objects.filter(pk__in=ids).order_by("due_on", "position", "id")
            field.empty_label = _("— none —")
            field.label_from_instance = lambda goal: f"{goal.title} ({goal.due_on:%d.%m.%Y})"
            field.help_text = _("The binding goal of the roadmap that this aid serves.")
        else:
            # No roadmap goals yet: nothing to choose from.
            del self.fields["roadmap_goal"]


class AidItemForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(
        label=pgettext_lazy("aid", "Category"),
        choices=[("", "—"), *AidCategory.choices],
        error_messages={"required": pgettext_lazy("aid", "Choose a category.")},
    )
    description = forms.CharField(
        label=pgettext_lazy("aid", "Description"),
        max_length=300,
        error_messages={"required": _("Describe what is bought.")},
    )
    amount = amount_field(label=pgettext_lazy("aid", "Amount (EUR)"))
    supplier = forms.CharField(label=pgettext_lazy("aid", "Supplier"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["class"] += " text-end"


class BaseAidItemFormSet(BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("Add at least one item."),
        "too_many_forms": _("Please submit at most %(num)d items."),
    }

    def items(self) -> list[dict]:
        """The cleaned lines that are neither empty nor marked for removal."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.has_changed()
        ]

    def total(self) -> Decimal:
        """The sum of the amounts that are valid so far (for the remaining-cap hint while typing)."""
        total = Decimal("0.00")
        for form in self.forms:
            field = form.fields["amount"]
            raw = form[("amount")].value()
            deleted = form["DELETE"].value() if "DELETE" in form.fields else False
            if not raw or deleted:
                continue
            try:
                value = field.clean(raw)
            except forms.ValidationError:
                continue
            total += value
        return total


AidItemFormSet = formset_factory(
    AidItemForm, formset=BaseAidItemFormSet, extra=0, min_num=1, validate_min=True, max_num=30, can_delete=True
)


def item_formset(*, data=None, initial=None, add_row=False) -> BaseAidItemFormSet:
    """The item lines; add_row gives one more empty line and keeps everything typed so far."""
    if data is not None and add_row:
        data = data.copy()
        data["items-TOTAL_FORMS"] = str(int(data.get("items-TOTAL_FORMS", "1") or 1) + 1)
    formset = AidItemFormSet(data=data, initial=initial, prefix="items")
    for form in formset.forms:
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = pgettext_lazy("aid", "Remove")
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"
    return formset


class TransitionForm(BootstrapFormMixin, forms.Form):
    """The comment every step may carry; subclasses add what their step needs."""

    comment = forms.CharField(
        label=pgettext_lazy("aid", "Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def details(self) -> dict:
        return {}


class ReasonForm(TransitionForm):
    comment = forms.CharField(
        label=pgettext_lazy("aid", "Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": pgettext_lazy("aid", "Give the reason.")},
    )


class ApproveForm(TransitionForm):
    field_order = ["funding_source", "comment"]
    funding_source = forms.ModelChoiceField(
        label=_("Book against funding source"),
        queryset=FundingSource.objects.none(),
        error_messages={"required": _("Choose the funding source the aid is booked against.")},
    )

    def __init__(self, *args, aid_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_source"].queryset = FundingSource.objects.filter(is_active=True)
        if aid_request is not None and aid_request.funding_source_id and not self.is_bound:
            self.initial["funding_source"] = aid_request.funding_source_id

    def details(self) -> dict:
        return {"funding_source": self.cleaned_data["funding_source"]}


class PayForm(TransitionForm):
    field_order = ["payment_reference", "comment"]
    payment_reference = forms.CharField(
        label=pgettext_lazy("aid", "Payment reference"),
        max_length=100,
        help_text=_("Booking or transfer number in the accounts."),
        error_messages={"required": _("Enter the payment reference (booking or transfer number).")},
    )

    def details(self) -> dict:
        return {"payment_reference": self.cleaned_data["payment_reference"]}


TRANSITION_FORMS: dict[str, type[TransitionForm]] = {
    AidStatus.SUBMITTED: TransitionForm,
    AidStatus.APPROVED: ApproveForm,
    AidStatus.REJECTED: ReasonForm,
    AidStatus.ORDERED: TransitionForm,
    AidStatus.PAID: PayForm,
    AidStatus.DELIVERED: TransitionForm,
    AidStatus.CLOSED: TransitionForm,
    AidStatus.CANCELLED: ReasonForm,
}


class ProofForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG)"),
        error_messages={"required": _("Choose the file of the receipt, delivery note or photo.")},
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("aid", "Kind of proof"), choices=ProofKind.choices, initial=ProofKind.RECEIPT
    )
    reference = forms.CharField(
        label=pgettext_lazy("aid", "Receipt reference"),
        max_length=100,
        required=False,
        help_text=_("Invoice or receipt number, if there is one."),
    )

    def __init__(self, *args, **kwargs):
        from mira.documents.validation import ACCEPT_ATTRIBUTE

        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ACCEPT_ATTRIBUTE

    def clean_file(self):
        from mira.documents.validation import validate_upload

        uploaded = self.cleaned_data["file"]
        validate_upload(uploaded)
        return uploaded


class BudgetForm(BootstrapFormMixin, forms.ModelForm):
    amount = amount_field(label=pgettext_lazy("aid", "Budget (EUR)"), minimum=Decimal("0.00"), max_digits=12)

    class Meta:
        model = Budget
        fields = ["funding_source", "year", "amount", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_source"].queryset = FundingSource.objects.filter(is_active=True)
        self.fields["year"].widget = forms.NumberInput(attrs={"class": "form-control", "min": 2020, "max": 2100})
        self.fields["year"].error_messages["required"] = pgettext_lazy("aid", "Enter the year.")
        if self.instance.pk:
            # The source and year of an existing budget stay; a different one is a new budget.
            self.fields["funding_source"].disabled = True
            self.fields["year"].disabled = True

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2020 <= year <= 2100:
            raise forms.ValidationError(_("Enter a year between 2020 and 2100."))
        return year


class ExportForm(BootstrapFormMixin, forms.Form):
    date_from = forms.DateField(
        label=pgettext_lazy("aid", "Approved from"), error_messages={"required": _("Enter the first day.")}
    )
    date_to = forms.DateField(
        label=pgettext_lazy("aid", "Approved until"), error_messages={"required": _("Enter the last day.")}
    )
    funding_source = forms.ModelChoiceField(
        label=pgettext_lazy("aid", "Funding source"),
        queryset=FundingSource.objects.none(),
        required=False,
        empty_label=pgettext_lazy("aid", "All funding sources"),
    )
    include_names = forms.BooleanField(
        label=_("Include the participants' names"),
        required=False,
        help_text=_("Only if the funder asks for them. Every case included is then recorded in the access log."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_source"].queryset = FundingSource.objects.all()
        today = timezone.localdate()
        self.fields["date_from"].initial = datetime.date(today.year, 1, 1)
        self.fields["date_to"].initial = datetime.date(today.year, 12, 31)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The last day cannot lie before the first."))
        return cleaned
