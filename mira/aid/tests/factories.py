from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mira.aid.models import AidCategory, AidStatus, Budget, FundingSource
from mira.aid.services import aid_proof_add, aid_request_save, aid_request_transition
from mira.participants.tests.factories import UserFactory


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource
        django_get_or_create = ("code",)

    code = "amif"
    name = "AMIF"


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    funding_source = factory.SubFactory(FundingSourceFactory)
    centre = factory.SubFactory("mira.participants.tests.factories.CentreFactory")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    amount = Decimal("50000.00")
    updated_by = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..centre"))


def pdf_upload(name: str = "beleg.pdf") -> SimpleUploadedFile:
    """A tiny but real PDF."""
    content = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_request(participant, *, amounts=("400.00",), actor=None, category=AidCategory.TOOLS, funding_source=None,
                 submit=False):  # fmt: skip
    """A request with one item per amount, written (and submitted) by actor or the case's counsellor."""
    from mira.aid.models import AidRequest

    actor = actor or participant.assigned_counsellor
    items = [
        {"category": category, "description": f"Werkzeug {number}", "amount": Decimal(amount), "supplier": "Baumarkt"}
        for number, amount in enumerate(amounts, start=1)
    ]
    request = AidRequest(participant=participant, justification="Start einer Werkstatt", funding_source=funding_source)
    return aid_request_save(request=request, items=items, actor=actor, submit=submit)


def advance(request, to: str, *, coordinator=None, finance=None, source=None, counsellor=None):
    """Walks a request along the workflow up to status `to` (approval by coordinator, payment by finance)."""
    path = [AidStatus.SUBMITTED, AidStatus.APPROVED, AidStatus.ORDERED, AidStatus.PAID, AidStatus.DELIVERED,
            AidStatus.CLOSED]  # fmt: skip
    if to in (AidStatus.REJECTED, AidStatus.CANCELLED):
        path = [AidStatus.SUBMITTED, to]
    counsellor = counsellor or request.created_by
    start = path.index(request.status) + 1 if request.status in path else 0
    for step in path[start : path.index(to) + 1]:
        if step == AidStatus.SUBMITTED:
            request = aid_request_transition(request=request, to=step, actor=counsellor)
        elif step == AidStatus.APPROVED:
            request = aid_request_transition(request=request, to=step, actor=coordinator, funding_source=source)
        elif step == AidStatus.REJECTED:
            request = aid_request_transition(request=request, to=step, actor=coordinator, comment="Nicht notwendig")
        elif step == AidStatus.CANCELLED:
            request = aid_request_transition(request=request, to=step, actor=counsellor, comment="Zurückgezogen")
        elif step == AidStatus.PAID:
            request = aid_request_transition(request=request, to=step, actor=finance, payment_reference="BU-2026-1")
        elif step == AidStatus.DELIVERED:
            aid_proof_add(request=request, uploaded_file=pdf_upload(), kind="receipt", reference="RE-1", actor=finance)
            request = aid_request_transition(request=request, to=step, actor=finance)
        else:
            request = aid_request_transition(request=request, to=step, actor=finance)
    return request
