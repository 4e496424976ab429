"""Demo consents: counselling consent for most cases; sharing with the partner and the release
from professional secrecy for every Georgian case from the roadmap stage on (the roadmap app
shares those with the Georgian partner); a few with the signed form; a few withdrawn."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mira.core.demo import DemoContext
from mira.documents.models import Document
from mira.documents.samples import tiny_pdf
from mira.participants.models import STAGE_PATH, CaseEvent, Stage
from mira.privacy.models import Consent, ConsentPurpose
from mira.privacy.services import consent_record, consent_withdraw

# From this stage on a roadmap exists and may be shared with a partner abroad.
SHARING_STAGES = set(STAGE_PATH[STAGE_PATH.index(Stage.ROADMAP_DEVELOPMENT) :])
AFTER_DEPARTURE = {Stage.DEPARTED, Stage.COACHING, Stage.CLOSED}

NOTES = [
    "Formular in der Muttersprache ausgehändigt und mit Dolmetscher:in besprochen.",
    "Einwilligung nach ausführlicher Erklärung erteilt.",
    "Kopie des Formulars ausgehändigt.",
    "",
    "",
    "",
]
WITHDRAWAL_NOTES = [
    "Telefonisch widerrufen, schriftliche Bestätigung folgt.",
    "Schriftlich widerrufen (Brief vom selben Tag).",
    "Im Beratungsgespräch mündlich widerrufen.",
]


def load(ctx: DemoContext) -> None:
    _consents(ctx)
    _retention(ctx)


def _consents(ctx: DemoContext) -> None:
    rng = ctx.random
    signed_forms_left = 8
    withdrawals_left = 6
    for participant in ctx.participants:
        counsellor = participant.assigned_counsellor
        opened = participant.opened_on
        plans = []
        if rng.random() < 0.9:
            plans.append((ConsentPurpose.COUNSELLING, opened))
        if participant.stage in SHARING_STAGES and (participant.return_country == "GE" or rng.random() < 0.5):
            agreed = min(ctx.today, opened + datetime.timedelta(days=rng.randint(1, 10)))
            plans += [(ConsentPurpose.PARTNER_SHARING, agreed), (ConsentPurpose.SECRECY_RELEASE, agreed)]
        if participant.stage in AFTER_DEPARTURE and rng.random() < 0.7:
            plans.append((ConsentPurpose.CONTACT_AFTER_RETURN, min(ctx.today, opened + datetime.timedelta(days=30))))
        if rng.random() < 0.12:
            plans.append((ConsentPurpose.PHOTOS, min(ctx.today, opened + datetime.timedelta(days=rng.randint(5, 60)))))
        for purpose, given_on in plans:
            signed_form = None
            if signed_forms_left and purpose in (ConsentPurpose.PARTNER_SHARING, ConsentPurpose.SECRECY_RELEASE):
                signed_forms_left -= 1
                signed_form = SimpleUploadedFile(
                    f"Einwilligung_{participant.case_number}_{purpose}.pdf",
                    tiny_pdf(f"Einwilligungserklaerung {participant.case_number} - {purpose}"),
                )
            consent = consent_record(
                participant=participant,
                purpose=purpose,
                given_on=given_on,
                language=participant.preferred_language,
                notes=rng.choice(NOTES),
                signed_form_file=signed_form,
                actor=counsellor,
            )
            # Not before the case was opened (the intake is the first entry of the timeline).
            after_intake = participant.eligibility_checked_at + datetime.timedelta(minutes=20)
            _backdate(consent, min(max(_moment(rng, given_on), after_intake), timezone.now()), created=True)
            # Georgian cases keep their sharing consents: the roadmap app shares with the partner.
            keeps = purpose in (ConsentPurpose.PARTNER_SHARING, ConsentPurpose.SECRECY_RELEASE) and (
                participant.return_country == "GE"
            )
            may_withdraw = purpose in (ConsentPurpose.PHOTOS, ConsentPurpose.CONTACT_AFTER_RETURN) or (
                participant.stage == Stage.WITHDRAWN
            )
            if withdrawals_left and may_withdraw and not keeps and given_on < ctx.today and rng.random() < 0.5:
                withdrawals_left -= 1
                withdrawn_on = min(ctx.today, given_on + datetime.timedelta(days=rng.randint(10, 90)))
                consent_withdraw(
                    consent=consent, withdrawn_on=withdrawn_on, notes=rng.choice(WITHDRAWAL_NOTES), actor=counsellor
                )
                _backdate(consent, _moment(rng, withdrawn_on), created=False)


def _moment(rng, day: datetime.date) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(9, 16), rng.randint(0, 59))))
    return min(moment, timezone.now())


def _backdate(consent: Consent, moment: datetime.datetime, *, created: bool) -> None:
    """The services stamp everything with the present; the demo tells a story over past months."""
    kind = "consent_recorded" if created else "consent_withdrawn"
    history = consent.history.filter(history_type="+" if created else "~")
    history.update(history_date=moment)
    CaseEvent.objects.filter(participant=consent.participant, kind=kind, data__purpose=consent.purpose).filter(
        at__gt=moment
    ).update(at=moment)
    if created:
        Consent.objects.filter(pk=consent.pk).update(recorded_at=moment)
        if consent.signed_form_id:
            Document.objects.filter(pk=consent.signed_form_id).update(uploaded_at=moment)
            Document.history.filter(id=consent.signed_form_id).update(history_date=moment)
            CaseEvent.objects.filter(
                participant=consent.participant, kind="document_uploaded", data__category="consent", at__gt=moment
            ).update(at=moment)


# --- Retention and data-subject requests ---------------------------------------------------

HOLD_REASONS = [
    "Klage gegen die Ablehnung der Förderung vor dem Verwaltungsgericht Weimar (Az. 2 K 418/25 We).",
    "Auskunftsersuchen der Ausländerbehörde Erfurt vom 03.02. noch nicht abschließend beantwortet.",
]
REQUEST_NOTES = [
    "Schriftlich per Brief; Identität bei persönlicher Vorsprache mit Reisepass geprüft.",
    "Per E-Mail von der hinterlegten Adresse; Rückruf unter der bekannten Telefonnummer zur Bestätigung.",
    "Im Beratungsgespräch mündlich gestellt und von der Beratung weitergeleitet.",
]


def _retention(ctx: DemoContext) -> None:
    """Old closed cases (2019-2022): some already erased by earlier runs (with their protocols),
    some due now (one of them on legal hold), a few due within weeks; data-subject requests in every state."""
    from mira.privacy.models import DeletionRun, RunTrigger
    from mira.privacy.selectors import years_before
    from mira.privacy.services import (
        data_subject_request_close,
        data_subject_request_erase,
        data_subject_request_record,
        deletion_run_execute,
        legal_hold_set,
    )

    officer = ctx.users.get("datenschutz")
    erfurt = ctx.centres.get("EF")
    if officer is None or erfurt is None:
        return
    counsellors = [user for name, user in ctx.users.items() if name in ("beratung", "beratung3", "leitung")]
    cutoff = years_before(ctx.today, 3)

    # Erased by two earlier scheduled runs.
    for weeks_ago, count in ((9, 3), (2, 2)):
        for _ in range(count):
            _old_case(ctx, erfurt, counsellors, closed_on=cutoff - datetime.timedelta(days=ctx.random.randint(20, 400)))
        run = DeletionRun._base_manager.create(centre=erfurt, trigger=RunTrigger.SCHEDULED)
        run = deletion_run_execute(run=run)
        _backdate_run(run, ctx.moment(-7 * weeks_ago, 2, 15))
    # Due now; one held back.
    due = [
        _old_case(ctx, erfurt, counsellors, closed_on=cutoff - datetime.timedelta(days=ctx.random.randint(1, 60)))
        for _ in range(4)
    ]
    legal_hold_set(participant=due[0], reason=HOLD_REASONS[0], actor=officer)
    # Due within the next weeks.
    for _ in range(3):
        _old_case(ctx, erfurt, counsellors, closed_on=cutoff + datetime.timedelta(days=ctx.random.randint(5, 80)))
    # The other centre's daily run found nothing.
    if "GE" in ctx.centres:
        run = deletion_run_execute(
            run=DeletionRun._base_manager.create(centre=ctx.centres["GE"], trigger=RunTrigger.SCHEDULED)
        )
        _backdate_run(run, ctx.moment(-1, 2, 15))

    # Data-subject requests: an erasure on request, an answered access request, an open and an overdue one.
    withdrawn = [p for p in ctx.participants if p.centre_id == erfurt.pk and p.stage == Stage.WITHDRAWN]
    recent = [
        p for p in ctx.participants if p.centre_id == erfurt.pk and p.stage in (Stage.COUNSELLING, Stage.COACHING)
    ]
    if withdrawn:
        erasure = data_subject_request_record(
            centre=erfurt, case_number=withdrawn[0].case_number, kind="erasure", received_on=ctx.days(-16),
            notes=REQUEST_NOTES[0], actor=officer,
        )  # fmt: skip
        run = data_subject_request_erase(request=erasure, actor=officer)
        _backdate_run(run, ctx.moment(-12, 10, 40))
        # The apps loaded later add roadmaps, sessions and aid to the demo cases: not to an erased one.
        ctx.participants.remove(withdrawn[0])
    if len(recent) >= 3:
        answered = data_subject_request_record(
            centre=erfurt, case_number=recent[0].case_number, kind="access", received_on=ctx.days(-30),
            notes=REQUEST_NOTES[1], actor=officer,
        )  # fmt: skip
        data_subject_request_close(
            request=answered, status="completed", actor=officer,
            outcome="Auskunft als PDF (Deutsch und Russisch) am Folgetag persönlich ausgehändigt.",
        )  # fmt: skip
        data_subject_request_record(
            centre=erfurt, case_number=recent[1].case_number, kind="access", received_on=ctx.days(-4),
            notes=REQUEST_NOTES[1], actor=officer,
        )  # fmt: skip
        data_subject_request_record(
            centre=erfurt, case_number=recent[2].case_number, kind="rectification", received_on=ctx.days(-38),
            notes=REQUEST_NOTES[2] + " Geburtsdatum im Pass abweichend.", actor=officer,
        )  # fmt: skip


def _old_case(ctx: DemoContext, centre, counsellors, *, closed_on: datetime.date):
    """A case closed years ago, with household, consent and timeline, as the intake of then left it."""
    from mira.participants.demo import COUNTRIES
    from mira.participants.models import EligibilityEvidence, HouseholdMember, Participant
    from mira.participants.names import name_keys
    from mira.participants.services import case_number_next

    rng = ctx.random
    country = rng.choice(["GE", "IQ", "MD", "AM", "TR", "AF"])
    _weight, languages, document_language, regions, male, female, last_names = COUNTRIES[country]
    first_name, _original = rng.choice(male + female)
    last_name, _original = rng.choice(last_names)
    opened = closed_on - datetime.timedelta(days=rng.randint(150, 420))
    counsellor = rng.choice(counsellors)
    moment = timezone.make_aware(datetime.datetime.combine(opened, datetime.time(10, 30)))
    stage = rng.choice([Stage.CLOSED, Stage.CLOSED, Stage.CLOSED, Stage.WITHDRAWN])
    participant = Participant.objects.create(
        centre=centre,
        case_number=case_number_next(centre=centre, year=opened.year),
        first_name=first_name,
        last_name=last_name,
        name_keys=name_keys(first_name, last_name),
        date_of_birth=datetime.date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28)),
        gender=rng.choice(["male", "female"]),
        nationalities=country,
        languages=languages,
        preferred_language=document_language,
        street=f"Magdeburger Allee {rng.randint(1, 120)}",
        postcode="99086",
        city="Erfurt",
        district="Erfurt",
        phone=f"+49 157 {rng.randint(1000000, 9999999)}",
        assigned_counsellor=counsellor,
        return_country=country,
        return_region=rng.choice(regions),
        eligibility_evidence=EligibilityEvidence.PASSPORT,
        eligibility_checked_at=moment,
        eligibility_checked_by=counsellor,
        stage=stage,
        stage_changed_at=moment,
        withdrawal_reason="Hat sich entschieden, zunächst in Deutschland zu bleiben."
        if stage == Stage.WITHDRAWN
        else "",
        departure_date=closed_on - datetime.timedelta(days=60) if stage == Stage.CLOSED else None,
        opened_on=opened,
        closed_on=closed_on,
        created_by=counsellor,
    )
    if rng.random() < 0.5:
        HouseholdMember.objects.create(
            participant=participant, first_name=rng.choice(male + female)[0], last_name=last_name,
            date_of_birth=datetime.date(rng.randint(2010, 2018), rng.randint(1, 12), rng.randint(1, 28)),
            relationship="child", nationality=country,
        )  # fmt: skip
    Consent.objects.create(
        participant=participant, purpose=ConsentPurpose.COUNSELLING, given_on=opened, language=document_language,
        recorded_by=counsellor,
    )  # fmt: skip
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(participant=participant, kind="case_opened", actor=counsellor, at=moment),
            CaseEvent(participant=participant, kind="stage_changed", actor=counsellor,
                      at=timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(15, 0))),
                      data={"old": Stage.COACHING if stage == Stage.CLOSED else Stage.COUNSELLING, "new": stage}),
        ]
    )  # fmt: skip
    return participant


def _backdate_run(run, moment: datetime.datetime) -> None:
    """The services stamp the present; the demo shows runs of the past weeks."""
    from mira.privacy.models import DeletionRun, ErasedCase

    DeletionRun._base_manager.filter(pk=run.pk).update(
        queued_at=moment, started_at=moment, finished_at=moment + datetime.timedelta(seconds=4)
    )
    ErasedCase._base_manager.filter(erased_by_run=run).update(erased_at=moment)
    ErasedCase._base_manager.filter(audit_cleared_by_run=run).update(audit_cleared_at=moment)
    CaseEvent.objects.filter(
        participant__erasure__erased_by_run=run, kind__in=("case_erased", "case_audit_records_cleared")
    ).update(at=moment)
