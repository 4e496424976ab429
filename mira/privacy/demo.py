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
