from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mira.core.forms import BootstrapFormMixin
from mira.documents.models import DocumentCategory
from mira.documents.validation import ACCEPT_ATTRIBUTE, format_megabytes, validate_upload


def upload_help_text() -> str:
    return _("PDF, JPEG or PNG, at most %(limit)s MB.") % {"limit": format_megabytes(settings.MIRA_UPLOAD_MAX_BYTES)}


class UploadField(forms.FileField):
    """A file field that accepts what validate_upload accepts (PDF, JPEG, PNG by content)."""

    widget = forms.FileInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ACCEPT_ATTRIBUTE

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded:
            validate_upload(uploaded)
        return uploaded


class DocumentUploadForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=DocumentCategory.choices)
    file = UploadField(label=gettext_lazy("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = upload_help_text()
