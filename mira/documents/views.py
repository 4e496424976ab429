import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mira.core.permissions import get_object_or_404_logged, require_perm, security_log
from mira.documents.forms import DocumentUploadForm
from mira.documents.models import Document
from mira.documents.selectors import document_for_download
from mira.documents.services import document_create, document_delete
from mira.documents.validation import canonical_extension
from mira.participants.models import Participant
from mira.participants.shortcuts import case_or_404
from mira.privacy.models import AccessLog
from mira.privacy.services import access_log_record


def case_url(participant: Participant, card: str = "documents") -> str:
    """The case page, scrolled to the card (documents or consents) the action came from."""
    return f"{participant.get_absolute_url()}#{card}"


@login_required
def upload(request: HttpRequest, participant_id: int) -> HttpResponse:
    """The upload form: its own page, and the target of the form in the documents card of the case page."""
    participant = case_or_404(request, participant_id, "documents.add_document", select_related=())
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = document_create(
                    participant=participant,
                    uploaded_file=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    category=form.cleaned_data["category"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The document “%(title)s” has been saved.") % {"title": document.title})
                return redirect(case_url(participant))
    else:
        form = DocumentUploadForm()
    return render(
        request,
        "documents/upload.html",
        {"participant": participant, "form": form, "case_url": case_url(participant)},
    )


def download_filename(document: Document) -> str:
    """The name offered to the browser: the original name, its ending set by the checked content."""
    stem = os.path.splitext(document.original_filename)[0].strip(" .") or "document"
    for character in '/\\"\r\n':
        stem = stem.replace(character, "_")
    return stem[:120] + canonical_extension(document.content_type)


@login_required
def download(request: HttpRequest, uuid) -> FileResponse:
    document = get_object_or_404_logged(request, document_for_download(uuid=uuid), uuid=uuid)
    require_perm(request.user, "documents.view_document", document)
    try:
        handle = document.file.open("rb")
    except OSError:
        security_log.error("Stored file of document %s is missing", document.pk)
        raise Http404 from None
    access_log_record(
        request=request, participant=document.participant, what=AccessLog.What.DOCUMENT, object_id=document.pk
    )
    response = FileResponse(
        handle, as_attachment=True, filename=download_filename(document), content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def delete(request: HttpRequest, uuid) -> HttpResponse:
    document = get_object_or_404_logged(request, document_for_download(uuid=uuid), uuid=uuid)
    require_perm(request.user, "documents.delete_document", document)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    participant = document.participant
    try:
        document_delete(document=document, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document “%(title)s” has been deleted.") % {"title": document.title})
    return redirect(case_url(participant))
