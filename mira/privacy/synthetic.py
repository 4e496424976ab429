"""Synthetic consents and read-access log at federal scale.

Consents follow the case's plan: counselling at intake; sharing with partners abroad and the
release from professional secrecy before the roadmap is shared; contact after return at the
departure; a few withdrawn. The read-access log holds a case-page read on every contact day
and a few more reads in between (the log grows faster than anything else in MIRA). Consents
get their change-history rows, which the data protection officer's audit reads.
"""

import datetime

from mira.core.synthetic import SyntheticContext, bulk_insert, history_rows, row
from mira.participants.models import CaseEvent, Stage
from mira.privacy.demo import NOTES, WITHDRAWAL_NOTES
from mira.privacy.models import AccessLog, Consent, ConsentPurpose

EXTRA_READS = (0, 6)


def generate(ctx: SyntheticContext) -> None:
    for chunk in ctx.chunks():
        _consents(ctx, chunk)
        _reads(ctx, chunk)


def _consents(ctx: SyntheticContext, chunk: list) -> None:
    rng = ctx.random
    consents = []
    for case in chunk:
        plans = []
        if rng.random() < 0.92:
            plans.append((ConsentPurpose.COUNSELLING, case.opened))
        sharing = case.stage_dates.get(Stage.ROADMAP_SHARED) or (
            case.stage_dates.get(Stage.ROADMAP_DEVELOPMENT) if rng.random() < 0.4 else None
        )
        if sharing:
            given = max(case.opened, sharing - datetime.timedelta(days=rng.randint(0, 10)))
            plans += [(ConsentPurpose.PARTNER_SHARING, given), (ConsentPurpose.SECRECY_RELEASE, given)]
        if case.departure and rng.random() < 0.7:
            plans.append(
                (ConsentPurpose.CONTACT_AFTER_RETURN, max(case.opened, case.departure - datetime.timedelta(days=7)))
            )
        if rng.random() < 0.1:
            plans.append((ConsentPurpose.PHOTOS, case.opened + datetime.timedelta(days=rng.randint(0, 30))))
        for purpose, given_on in plans:
            given_on = min(given_on, ctx.today)
            withdrawn = None
            if case.closed and purpose != ConsentPurpose.COUNSELLING and rng.random() < 0.05:
                withdrawn = min(ctx.today, case.closed + datetime.timedelta(days=rng.randint(0, 30)))
            consent = row(
                Consent,
                participant_id=case.pk,
                purpose=purpose,
                given_on=given_on,
                language=case.language if rng.random() < 0.7 else "de",
                notes=rng.choice(NOTES),
                withdrawn_on=withdrawn,
                withdrawal_notes=rng.choice(WITHDRAWAL_NOTES) if withdrawn else "",
                recorded_by_id=case.counsellor_id,
                recorded_at=ctx.moment(given_on),
            )
            consent.moment = consent.recorded_at
            consent.withdrawn_moment = ctx.moment(withdrawn) if withdrawn else None
            consents.append(consent)
    created = bulk_insert(Consent, consents)
    events, added, withdrawn = [], [], []
    for consent, planned in zip(created, consents, strict=True):
        events.append(row(CaseEvent, participant_id=consent.participant_id, kind="consent_recorded",
                                actor_id=consent.recorded_by_id, at=planned.moment,
                                data={"purpose": consent.purpose, "given_on": consent.given_on.isoformat()}))  # fmt: skip
        added.append((consent, planned.moment, consent.recorded_by_id, {"withdrawn_on": None, "withdrawal_notes": ""}))
        if consent.withdrawn_on:
            events.append(row(CaseEvent, participant_id=consent.participant_id, kind="consent_withdrawn",
                                    actor_id=consent.recorded_by_id, at=planned.withdrawn_moment,
                                    data={"purpose": consent.purpose, "withdrawn_on": consent.withdrawn_on.isoformat()}))  # fmt: skip
            withdrawn.append((consent, planned.withdrawn_moment, consent.recorded_by_id))
    bulk_insert(CaseEvent, events)
    history = history_rows(Consent, added) + history_rows(Consent, withdrawn, kind="~")
    bulk_insert(Consent.history.model, history)


def _reads(ctx: SyntheticContext, chunk: list) -> None:
    rng = ctx.random
    entries = []
    for case in chunk:
        path = f"/cases/{case.pk}/"
        days = list(case.contact_days)
        last = case.closed or ctx.today
        for _ in range(rng.randint(*EXTRA_READS)):
            days.append(case.opened + datetime.timedelta(days=rng.randint(0, max(0, (last - case.opened).days))))
        for day in days:
            entries.append(
                row(
                    AccessLog,
                    at=ctx.moment(day),
                    user_id=case.counsellor_id,
                    centre_id=case.centre_id,
                    participant_id=case.pk,
                    case_number=case.case_number,
                    what=AccessLog.What.CASE,
                    path=path,
                )
            )
    bulk_insert(AccessLog, entries)
