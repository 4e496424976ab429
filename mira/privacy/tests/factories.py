import datetime

import factory
from django.utils import timezone

from mira.accounts.models import Role
from mira.participants.models import Participant, Stage
from mira.participants.tests.factories import UserFactory
from mira.privacy.models import (
    AccessLog,
    Consent,
    ConsentPurpose,
    DataSubjectExport,
    DataSubjectRequest,
    DeletionRun,
    ExportStatus,
    LegalHold,
    RequestKind,
    RequestStatus,
    RunStatus,
    RunTrigger,
)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    purpose = ConsentPurpose.COUNSELLING
    given_on = datetime.date(2026, 3, 2)
    language = "de"
    recorded_by = factory.SelfAttribute("participant.assigned_counsellor")


class LegalHoldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalHold

    reason = "Klage vor dem Verwaltungsgericht Weimar, Az. 1 K 123/26 We"
    set_by = factory.SubFactory(
        UserFactory, role=Role.DATA_PROTECTION, centre=factory.SelfAttribute("..participant.centre")
    )


class DataSubjectRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSubjectRequest

    centre = factory.SelfAttribute("participant.centre")
    case_number = factory.SelfAttribute("participant.case_number")
    kind = RequestKind.ACCESS
    received_on = datetime.date(2026, 3, 2)
    due_on = datetime.date(2026, 4, 2)
    notes = "Schriftlich per Brief, Ausweis im Büro geprüft."
    recorded_by = factory.SubFactory(
        UserFactory, role=Role.DATA_PROTECTION, centre=factory.SelfAttribute("..participant.centre")
    )


class DataSubjectExportFactory(factory.django.DjangoModelFactory):
    """A PDF the worker has made, waiting for its download."""

    class Meta:
        model = DataSubjectExport

    request = factory.SubFactory(DataSubjectRequestFactory)
    centre = factory.SelfAttribute("request.centre")
    language = "de"
    status = ExportStatus.READY
    requested_by = factory.SelfAttribute("request.recorded_by")
    finished_at = factory.LazyFunction(timezone.now)
    content = b"%PDF-1.7 synthetic"
    size = factory.LazyAttribute(lambda export: len(export.content) if export.content else None)


class DeletionRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeletionRun

    trigger = RunTrigger.SCHEDULED
    status = RunStatus.FINISHED
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)
    retention_years = 3
    audit_years = 10


def close_case(participant, *, closed_on: datetime.date, stage: str = Stage.CLOSED):
    """Puts a case into a closed stage on a past day (the stage plan dates everything today)."""
    Participant._base_manager.filter(pk=participant.pk).update(stage=stage, closed_on=closed_on)
    participant.refresh_from_db()
    return participant


# A name that appears nowhere else: after an erasure it must be found nowhere in the database.
SECRET_NAME = "Zzyzxbauer"


def full_case(*, centre, counsellor, coordinator, finance, psychologist, case_number="EF-2021-0007"):
    """A case with at least one row in every model of the personal-data registry, written
    through the apps' services and factories (their history included); every free text
    mentions SECRET_NAME. Returns the participant."""
    from mira.accompaniment.models import TaskAttachment
    from mira.accompaniment.tests.factories import ProgrammeApplicationFactory, TaskFactory
    from mira.aid.models import AidStatus
    from mira.aid.tests.factories import BudgetFactory, advance, make_request
    from mira.counselling.tests.factories import AppointmentFactory, CounsellingSessionFactory
    from mira.documents.tests.factories import make_document, pdf_upload
    from mira.network.models import Organisation
    from mira.network.tests.factories import ReferralFactory
    from mira.participants.services import household_member_delete, household_member_save
    from mira.participants.tests.factories import HouseholdMemberFactory, ParticipantFactory
    from mira.privacy.services import consent_record
    from mira.psychology.tests.factories import PsychologicalReferralFactory, SupportNoteFactory
    from mira.roadmap.models import GoalStatusChange, RoadmapOffer
    from mira.roadmap.tests.factories import (
        AgreedVersionFactory,
        GoalFactory,
        RoadmapFactory,
        RoadmapShareFactory,
    )

    participant = ParticipantFactory(
        centre=centre,
        case_number=case_number,
        first_name="Giorgi",
        last_name=SECRET_NAME,
        date_of_birth=datetime.date(1988, 4, 12),
        gender="male",
        nationalities="GE",
        return_country="GE",
        return_region="Kutaisi",
        phone="+49 151 7654321",
        email="giorgi@example.org",
        street="Magdeburger Allee 12",
        notes=f"{SECRET_NAME} kommt mit der Schwester.",
        opened_on=datetime.date(2020, 5, 4),
        assigned_counsellor=counsellor,
    )
    child = household_member_save(
        member=HouseholdMemberFactory.build(participant=participant, first_name="Nino", last_name=SECRET_NAME),
        actor=counsellor,
    )
    removed = household_member_save(
        member=HouseholdMemberFactory.build(participant=participant, first_name="Levan", last_name=SECRET_NAME),
        actor=counsellor,
    )
    household_member_delete(member=removed, actor=counsellor)
    session = CounsellingSessionFactory(
        participant=participant, counsellor=counsellor, notes=f"{SECRET_NAME} berichtet vom Pass."
    )
    session.household_attendees.add(child)
    AppointmentFactory(centre=centre, counsellor=counsellor, participant=participant, title=f"Gespräch {SECRET_NAME}")
    passport = make_document(participant=participant, actor=counsellor, title=f"Pass {SECRET_NAME}")
    consent_record(
        participant=participant,
        purpose="partner_sharing",
        given_on=datetime.date(2020, 6, 1),
        language="ru",
        notes=f"Mit {SECRET_NAME} besprochen",
        signed_form_file=pdf_upload("Einwilligung.pdf"),
        actor=counsellor,
    )
    task = TaskFactory(participant=participant, responsible=counsellor, notes=f"{SECRET_NAME} bringt Fotos.")
    TaskAttachment.objects.create(task=task, document=passport, added_by=counsellor)
    ProgrammeApplicationFactory(participant=participant, reference="REAG-4711", notes=f"Für {SECRET_NAME}")
    organisation = Organisation.objects.create(
        name="Tbilisi Reintegration Centre", country="GE", city="Tbilisi", coaches_after_return=True
    )
    ReferralFactory(participant=participant, created_by=counsellor, notes=f"{SECRET_NAME} angemeldet")
    roadmap = RoadmapFactory(participant=participant, created_by=counsellor)
    version = AgreedVersionFactory(roadmap=roadmap, created_by=counsellor, personal_wishes=f"{SECRET_NAME} wünscht")
    goal = GoalFactory(version=version, evidence_note=f"Nachweis {SECRET_NAME}")
    GoalStatusChange.objects.create(goal=goal, by=counsellor, old_status="open", new_status="in_progress")
    RoadmapOffer.objects.create(version=version, title="Kfz-Werkstatt", organisation_name=organisation.name)
    RoadmapShareFactory(version=version, organisation=organisation, shared_by=counsellor)
    from mira.aid.models import Budget

    budget = Budget.objects.filter(centre=centre, year=timezone.localdate().year).first() or BudgetFactory(
        centre=centre, updated_by=coordinator
    )
    aid = make_request(participant, actor=counsellor)
    aid.justification = f"Werkzeug für {SECRET_NAME}"
    aid.save()
    advance(aid, AidStatus.DELIVERED, coordinator=coordinator, finance=finance, counsellor=counsellor,
            source=budget.funding_source)  # fmt: skip
    referral = PsychologicalReferralFactory(participant=participant, psychologist=psychologist, referred_by=counsellor,
                                            reason=f"{SECRET_NAME} schläft schlecht")  # fmt: skip
    SupportNoteFactory(referral=referral, author=psychologist, text=f"Gespräch mit {SECRET_NAME}")
    AccessLog.objects.create(
        user=counsellor, centre=centre, participant=participant, case_number=case_number, what="case"
    )
    answered = DataSubjectRequestFactory(
        participant=participant, kind=RequestKind.ACCESS, status=RequestStatus.COMPLETED
    )
    DataSubjectExportFactory(request=answered, content=f"%PDF {SECRET_NAME}".encode())
    LegalHoldFactory(participant=participant, lifted_at=timezone.now(), lift_reason="Verfahren beendet")
    return participant
