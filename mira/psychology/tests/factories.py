import datetime

import factory
from django.utils import timezone

from mira.accounts.models import Role
from mira.participants.tests.factories import ParticipantFactory, UserFactory
from mira.psychology.models import NoteKind, PsychologicalReferral, ReferralStatus, SupportNote, Urgency


class PsychologistFactory(UserFactory):
    role = Role.PSYCHOLOGIST
    username = factory.Sequence(lambda n: f"psychologist{n}")


class PsychologicalReferralFactory(factory.django.DjangoModelFactory):
    """A referral by the case's assigned counsellor to a psychologist of the same centre."""

    class Meta:
        model = PsychologicalReferral

    participant = factory.SubFactory(ParticipantFactory)
    referred_by = factory.SelfAttribute("participant.assigned_counsellor")
    psychologist = factory.SubFactory(PsychologistFactory, centre=factory.SelfAttribute("..participant.centre"))
    reason = "Schlafstörungen und Albträume seit der Ablehnung des Asylantrags; wünscht Unterstützung."
    urgency = Urgency.ROUTINE
    status = ReferralStatus.REQUESTED
    requested_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class SupportNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportNote

    referral = factory.SubFactory(PsychologicalReferralFactory, status=ReferralStatus.IN_SUPPORT)
    author = factory.SelfAttribute("referral.psychologist")
    session_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    kind = NoteKind.SUPPORT_SESSION
    text = factory.Sequence(lambda n: f"Stabilisierungsgespräch {n}: Atemübungen geübt, Schlaf etwas besser.")
    shared_with_counsellor = False
