"""Writes of the return roadmap. Each function is one transaction; state changes of a
version (draft → agreed → superseded) and of sharing happen only here.

Freezing: an agreed or superseded version refuses every content change
(FrozenVersionError); roadmap_revision_start copies it into a new draft instead.
Goal status and evidence may change on the agreed version (goal_status_set): they
record progress, not content, and each change leaves a GoalStatusChange.
"""

import base64
import binascii
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mira.participants.events import case_event_log
from mira.participants.models import Participant, Stage
from mira.participants.services import ALLOWED_TRANSITIONS, participant_set_stage
from mira.roadmap.models import (
    STATUSES_WITH_REASON,
    AgreementMethod,
    Goal,
    GoalOwner,
    GoalStatus,
    GoalStatusChange,
    RecipientKind,
    Roadmap,
    RoadmapOffer,
    RoadmapShare,
    RoadmapVersion,
    VersionState,
)
from mira.roadmap.selectors import REQUIRED_CONSENTS, missing_consents

# The part of the stage plan the roadmap moves a case along, in order.
ROADMAP_STAGE_PATH = [
    Stage.FIRST_CONTACT,
    Stage.COUNSELLING,
    Stage.ROADMAP_DEVELOPMENT,
    Stage.GOALS_AGREED,
    Stage.ROADMAP_SHARED,
]
# A drawn signature is a small PNG; anything much bigger is not one.
SIGNATURE_MAX_BYTES = 300 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _document_store(*, participant, uploaded_file, title: str, field: str, actor):
    """Stores an upload as a document of the case; its errors are reported on `field`."""
    from mira.documents.models import DocumentCategory
    from mira.documents.services import document_create

    try:
        return document_create(
            participant=participant,
            uploaded_file=uploaded_file,
            title=title[:200],
            category=DocumentCategory.OTHER,
            actor=actor,
        )
    except ValidationError as error:
        messages = [message for messages in error.message_dict.values() for message in messages]
        raise ValidationError({field: messages}) from None


class FrozenVersionError(ValidationError):
    """The version is agreed (or superseded) and its content can no longer change."""

    def __init__(self):
        super().__init__(
            _("This version of the roadmap is agreed and can no longer be changed. Start a new draft to change it.")
        )


def _stage_advance(*, participant: Participant, target: str, actor) -> None:
    """Moves the case forward along the stage plan up to `target`, one allowed step at a
    time, through participant_set_stage. Never moves back, and leaves a case alone that is
    already further along or off this part of the plan (departed, closed, withdrawn ...)."""
    while participant.stage in ROADMAP_STAGE_PATH:
        here = ROADMAP_STAGE_PATH.index(participant.stage)
        if here >= ROADMAP_STAGE_PATH.index(target):
            return
        step = ROADMAP_STAGE_PATH[here + 1]
        if step not in ALLOWED_TRANSITIONS.get(participant.stage, set()):
            return
        participant_set_stage(participant=participant, stage=step, actor=actor)


def _locked_version(version: RoadmapVersion) -> RoadmapVersion:
    return RoadmapVersion.objects.select_for_update().select_related("roadmap__participant").get(pk=version.pk)


def _require_draft(version: RoadmapVersion) -> None:
    """Content changes: only on a draft, and only while the case is open."""
    if version.state != VersionState.DRAFT:
        raise FrozenVersionError
    _require_open_case(version.roadmap.participant)


def _require_open_case(participant: Participant) -> None:
    if not participant.is_open:
        raise ValidationError(_("The case is closed; its roadmap can no longer change."))


def roadmap_start(*, participant: Participant, actor) -> RoadmapVersion:
    """Creates the case's roadmap with a first draft (destination taken from the case).

    Side effects: timeline entry; the case moves forward to "roadmap in development"
    (from first contact through counselling) if it is not further along.
    """
    _require_open_case(participant)
    with transaction.atomic():
        Participant.objects.select_for_update().only("pk").get(pk=participant.pk)
        if Roadmap.objects.filter(participant=participant).exists():
            raise ValidationError(_("This case already has a roadmap."))
        roadmap = Roadmap(participant=participant, created_by=actor)
        roadmap.full_clean()
        roadmap.save()
        version = RoadmapVersion(
            roadmap=roadmap,
            number=1,
            destination_country=participant.return_country,
            destination_region=participant.return_region,
            created_by=actor,
        )
        version.full_clean()
        version.save()
        case_event_log(participant=participant, kind="roadmap_started", actor=actor, number=1)
        _stage_advance(participant=participant, target=Stage.ROADMAP_DEVELOPMENT, actor=actor)
    return version


def roadmap_content_update(*, version: RoadmapVersion, data: dict, actor) -> RoadmapVersion:
    """Saves the situation, wishes, qualifications and destination of a draft."""
    unknown = set(data) - set(RoadmapVersion.CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not content fields of a roadmap version: {sorted(unknown)}")
    with transaction.atomic():
        current = _locked_version(version)
        _require_draft(current)
        for name, value in data.items():
            setattr(current, name, value.strip() if isinstance(value, str) else value)
        current.destination_country = (current.destination_country or "").upper()
        current.full_clean()
        current.save()
    for name in RoadmapVersion.CONTENT_FIELDS:
        setattr(version, name, getattr(current, name))
    return current


def _goal_check(goal: Goal, *, previous_due_on: datetime.date | None) -> None:
    errors = {}
    if goal.owner == GoalOwner.PARTNER:
        if goal.owner_organisation_id is None:
            errors["owner_organisation"] = _("Choose the partner organisation that is responsible for this goal.")
    else:
        goal.owner_organisation = None
    # A new goal, or a goal whose due date is moved, cannot be due in the past;
    # a goal copied into a new draft keeps its date.
    if goal.due_on and goal.due_on != previous_due_on and goal.due_on < timezone.localdate():
        errors["due_on"] = _("The due date cannot lie in the past.")
    if errors:
        raise ValidationError(errors)


def goal_save(*, goal: Goal, actor) -> Goal:
    """Creates or changes a goal's SMART fields (phase, what, measure, owner, due date) on a draft."""
    with transaction.atomic():
        version = _locked_version(goal.version)
        _require_draft(version)
        previous_due_on = None
        if goal.pk:
            stored = Goal.objects.get(pk=goal.pk, version=version)
            previous_due_on = stored.due_on
        else:
            goal.position = (version.goals.aggregate(last=Max("position"))["last"] or 0) + 1
        goal.title = goal.title.strip()
        goal.title_translated = goal.title_translated.strip()
        goal.measure = goal.measure.strip()
        errors = {}
        try:
            # The constraints are checked by _goal_check, with messages that name the field.
            goal.full_clean(validate_constraints=False)
        except ValidationError as error:
            errors = error.message_dict
        try:
            _goal_check(goal, previous_due_on=previous_due_on)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        goal.save()
    return goal


def goal_delete(*, goal: Goal, actor) -> None:
    with transaction.atomic():
        version = _locked_version(goal.version)
        _require_draft(version)
        goal.delete()


def roadmap_offer_add(*, version: RoadmapVersion, offer, note: str = "", actor) -> RoadmapOffer:
    """Adds an offer of the network to a draft (title and organisation are copied)."""
    with transaction.atomic():
        current = _locked_version(version)
        _require_draft(current)
        if current.offers.filter(offer=offer).exists():
            raise ValidationError({"offer": _("This offer is already part of the roadmap.")})
        if not offer.is_valid_on(timezone.localdate()) or not offer.organisation.active:
            raise ValidationError({"offer": _("This offer is no longer available.")})
        chosen = RoadmapOffer(
            version=current,
            offer=offer,
            title=offer.title,
            organisation_name=offer.organisation.name,
            kind=offer.kind,
            note=note.strip(),
            position=(current.offers.aggregate(last=Max("position"))["last"] or 0) + 1,
        )
        chosen.full_clean()
        chosen.save()
    return chosen


def roadmap_offer_remove(*, chosen: RoadmapOffer, actor) -> None:
    with transaction.atomic():
        current = _locked_version(chosen.version)
        _require_draft(current)
        chosen.delete()


def roadmap_revision_start(*, roadmap: Roadmap, actor) -> RoadmapVersion:
    """Starts a new draft as a deep copy of the agreed version (content, goals with their
    status, offers). The agreed version stays as it is until the draft is agreed.
    Returns the existing draft if there is one. Side effect: timeline entry."""
    with transaction.atomic():
        Roadmap.objects.select_for_update().get(pk=roadmap.pk)
        draft = roadmap.versions.filter(state=VersionState.DRAFT).first()
        if draft:
            return draft
        source = roadmap.versions.filter(state=VersionState.AGREED).first()
        if source is None:
            raise ValidationError(_("There is no agreed version to start a new draft from."))
        _require_open_case(roadmap.participant)
        draft = RoadmapVersion(
            roadmap=roadmap,
            number=(roadmap.versions.aggregate(last=Max("number"))["last"] or 0) + 1,
            based_on=source,
            created_by=actor,
            **{name: getattr(source, name) for name in RoadmapVersion.CONTENT_FIELDS},
        )
        draft.full_clean()
        draft.save()
        Goal.objects.bulk_create(
            [
                Goal(
                    version=draft,
                    key=goal.key,
                    phase=goal.phase,
                    title=goal.title,
                    title_translated=goal.title_translated,
                    measure=goal.measure,
                    owner=goal.owner,
                    owner_organisation_id=goal.owner_organisation_id,
                    due_on=goal.due_on,
                    position=goal.position,
                    status=goal.status,
                    status_reason=goal.status_reason,
                    status_changed_at=goal.status_changed_at,
                    evidence_note=goal.evidence_note,
                    evidence_document_id=goal.evidence_document_id,
                )
                for goal in source.goals.all()
            ]
        )
        RoadmapOffer.objects.bulk_create(
            [
                RoadmapOffer(
                    version=draft,
                    offer_id=chosen.offer_id,
                    title=chosen.title,
                    organisation_name=chosen.organisation_name,
                    kind=chosen.kind,
                    note=chosen.note,
                    position=chosen.position,
                )
                for chosen in source.offers.all()
            ]
        )
        case_event_log(
            participant=roadmap.participant,
            kind="roadmap_revision_started",
            actor=actor,
            number=draft.number,
            based_on=source.number,
        )
    return draft


def signature_clean(value: str, *, field: str) -> str:
    """A drawn signature: a data URL of a PNG image of reasonable size, else ValidationError."""
    prefix = "data:image/png;base64,"
    message = _("The signature could not be read. Please sign again.")
    if not value.startswith(prefix):
        raise ValidationError({field: message})
    try:
        raw = base64.b64decode(value[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({field: message}) from None
    if not raw.startswith(PNG_MAGIC) or len(raw) > SIGNATURE_MAX_BYTES:
        raise ValidationError({field: message})
    return value


def roadmap_agree(
    *,
    version: RoadmapVersion,
    agreed_on: datetime.date,
    method: str,
    participant_signed: bool,
    counsellor_signed: bool,
    signed_file=None,
    participant_signature: str = "",
    counsellor_signature: str = "",
    carry_shares: bool = True,
    actor,
) -> RoadmapVersion:
    """The single entry point of the agreement: a draft signed by participant and counsellor
    becomes the agreed version and is frozen.

    Side effects: the previously agreed version becomes superseded and its shares with
    partner organisations end; with carry_shares they are renewed for the new version
    where the consents still allow it (shares with German bodies are not carried: they
    got a PDF of the old version). Timeline entries; the case moves forward to "goals
    agreed" if it is not further along.
    """
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if agreed_on is None:
        add("agreed_on", _("Enter the date of the agreement."))
    elif agreed_on > timezone.localdate():
        add("agreed_on", _("The date of the agreement cannot lie in the future."))
    if not participant_signed:
        add("participant_signed", _("The participant has to sign the roadmap."))
    if not counsellor_signed:
        add("counsellor_signed", _("The counsellor has to sign the roadmap."))
    if method == AgreementMethod.PAPER:
        if signed_file is None:
            add("signed_file", _("Upload the scan of the signed roadmap."))
        participant_signature = counsellor_signature = ""
    elif method == AgreementMethod.TABLET:
        for field, value in (
            ("participant_signature", participant_signature),
            ("counsellor_signature", counsellor_signature),
        ):
            if not value:
                add(field, _("Sign in the field above."))
                continue
            try:
                signature_clean(value, field=field)
            except ValidationError as error:
                errors.setdefault(field, []).extend(error.message_dict[field])
    else:
        add("method", _("Choose how the roadmap was signed."))

    with transaction.atomic():
        current = _locked_version(version)
        Roadmap.objects.select_for_update().get(pk=current.roadmap_id)
        _require_draft(current)
        participant = current.roadmap.participant
        _require_open_case(participant)
        goal_count = current.goals.count()
        if goal_count == 0:
            add("__all__", _("A roadmap without goals cannot be agreed. Add at least one binding goal first."))
        if agreed_on and agreed_on < timezone.localdate(current.created_at):
            add(
                "agreed_on",
                _("The date of the agreement cannot lie before this draft was started (%(date)s).")
                % {"date": date_format(timezone.localdate(current.created_at), "SHORT_DATE_FORMAT")},
            )
        if errors:
            raise ValidationError(errors)
        signed_document = None
        if method == AgreementMethod.PAPER:
            signed_document = _document_store(
                participant=participant,
                uploaded_file=signed_file,
                title=_("Signed roadmap, version %(number)s") % {"number": current.number},
                field="signed_file",
                actor=actor,
            )

        previous = current.roadmap.versions.filter(state=VersionState.AGREED).first()
        carried = []
        if previous:
            carried = _shares_end_for_superseded(previous=previous, number=current.number, actor=actor)
            previous.state = VersionState.SUPERSEDED
            previous.superseded_at = timezone.now()
            previous.save(update_fields=["state", "superseded_at", "updated_at"])

        current.state = VersionState.AGREED
        current.agreed_on = agreed_on
        current.agreement_method = method
        current.participant_signed = True
        current.counsellor_signed = True
        current.signed_document = signed_document
        current.participant_signature = participant_signature
        current.counsellor_signature = counsellor_signature
        current.agreed_by = actor
        current.agreed_at = timezone.now()
        current.full_clean()
        current.save()
        case_event_log(
            participant=participant,
            kind="roadmap_agreed",
            actor=actor,
            number=current.number,
            goals=goal_count,
            method=method,
        )
        _stage_advance(participant=participant, target=Stage.GOALS_AGREED, actor=actor)
        if carry_shares:
            for old_share in carried:
                if missing_consents(participant=participant, recipient_kind=old_share.recipient_kind):
                    continue
                if not old_share.organisation.active:
                    continue
                _share_create(
                    version=current,
                    recipient_kind=old_share.recipient_kind,
                    organisation=old_share.organisation,
                    recipient_name=old_share.organisation.name,
                    purpose=old_share.purpose,
                    pdf_handed_over=False,
                    actor=actor,
                )
    version.state = current.state
    return current


def _shares_end_for_superseded(*, previous: RoadmapVersion, number: int, actor) -> list[RoadmapShare]:
    """Ends the partner shares of a version that is being superseded; returns them."""
    ended = list(
        previous.shares.filter(revoked_at__isnull=True, recipient_kind=RecipientKind.PARTNER).select_related(
            "organisation"
        )
    )
    for share in ended:
        share.revoked_at = timezone.now()
        share.revoked_by = actor
        share.revocation_reason = _("Replaced by version %(number)s") % {"number": number}
        share.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        case_event_log(
            participant=previous.roadmap.participant,
            kind="roadmap_share_revoked",
            actor=actor,
            number=previous.number,
            recipient=share.recipient_name,
            reason=share.revocation_reason,
        )
    return ended


def _share_create(*, version, recipient_kind, organisation, recipient_name, purpose, pdf_handed_over, actor):
    participant = version.roadmap.participant
    share = RoadmapShare(
        version=version,
        recipient_kind=recipient_kind,
        organisation=organisation,
        recipient_name=recipient_name,
        purpose=purpose,
        pdf_handed_over=pdf_handed_over,
        consent_purposes=" ".join(str(code) for code in REQUIRED_CONSENTS[recipient_kind]),
        shared_by=actor,
    )
    share.full_clean()
    share.save()
    case_event_log(
        participant=participant,
        kind="roadmap_shared",
        actor=actor,
        number=version.number,
        recipient=recipient_name,
        kind_code=recipient_kind,
        pdf_handed_over=pdf_handed_over,
    )
    return share


def roadmap_share(
    *,
    version: RoadmapVersion,
    recipient_kind: str,
    organisation=None,
    recipient_name: str = "",
    purpose: str = "",
    pdf_handed_over: bool = False,
    actor,
) -> RoadmapShare:
    """Shares the agreed version with a partner organisation (its coaches then see it in the
    partner portal) or with an authority or other body in Germany (PDF handed over).

    Refused without the consents the kind of recipient needs (see selectors.REQUIRED_CONSENTS),
    for an inactive partner organisation, for a draft or superseded version, and twice to the
    same partner organisation. Side effects: timeline entry; the case moves forward to
    "roadmap shared" if it is not further along.
    """
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    recipient_name = (recipient_name or "").strip()
    if recipient_kind == RecipientKind.PARTNER:
        if organisation is None:
            add("organisation", _("Choose the partner organisation."))
        elif not organisation.active:
            add("organisation", _("This partner organisation is no longer active in the network."))
        else:
            recipient_name = organisation.name
    elif recipient_kind == RecipientKind.GERMAN_BODY:
        organisation = None
        if not recipient_name:
            add("recipient_name", _("Name the authority or body that receives the roadmap."))
    else:
        add("recipient_kind", _("Choose who receives the roadmap."))

    with transaction.atomic():
        current = _locked_version(version)
        participant = current.roadmap.participant
        if current.state != VersionState.AGREED:
            add("__all__", _("Only the agreed version of a roadmap can be shared."))
        _require_open_case(participant)
        if recipient_kind in RecipientKind.values:
            missing = missing_consents(participant=participant, recipient_kind=recipient_kind)
            if missing:
                add(
                    "__all__",
                    _("Sharing is not allowed without a valid consent: %(missing)s is missing or withdrawn.")
                    % {"missing": ", ".join(str(label) for label in missing.values())},
                )
        if (
            organisation is not None
            and current.shares.filter(organisation=organisation, revoked_at__isnull=True).exists()
        ):
            add("organisation", _("This version is already shared with this organisation."))
        if errors:
            raise ValidationError(errors)
        share = _share_create(
            version=current,
            recipient_kind=recipient_kind,
            organisation=organisation,
            recipient_name=recipient_name,
            purpose=purpose.strip(),
            pdf_handed_over=pdf_handed_over,
            actor=actor,
        )
        _stage_advance(participant=participant, target=Stage.ROADMAP_SHARED, actor=actor)
    return share


def roadmap_share_revoke(*, share: RoadmapShare, reason: str, actor) -> RoadmapShare:
    """Ends a share: the partner's coaches no longer see the roadmap. Side effect: timeline entry."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking.")})
    with transaction.atomic():
        current = (
            RoadmapShare.objects.select_for_update().select_related("version__roadmap__participant").get(pk=share.pk)
        )
        if current.revoked_at is not None:
            raise ValidationError(_("This sharing has already been revoked."))
        current.revoked_at = timezone.now()
        current.revoked_by = actor
        current.revocation_reason = reason[:300]
        current.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        case_event_log(
            participant=current.version.roadmap.participant,
            kind="roadmap_share_revoked",
            actor=actor,
            number=current.version.number,
            recipient=current.recipient_name,
            reason=current.revocation_reason,
        )
    share.revoked_at, share.revoked_by, share.revocation_reason = current.revoked_at, actor, current.revocation_reason
    return current


def _column_names(updates: dict) -> list[str]:
    return [f"{name}_id" if name == "evidence_document" else name for name in updates]


def goal_status_set(
    *,
    goal: Goal,
    status: str,
    actor,
    reason: str = "",
    comment: str = "",
    evidence_note: str | None = None,
    evidence_file=None,
    organisation=None,
) -> Goal:
    """Records progress on a binding goal of the agreed version: the status (with a reason
    for missed or dropped), evidence (a note or a document) and a comment.

    Not a content change, so it is allowed on the frozen agreed version. `organisation` is
    the partner organisation a portal user acts for. `evidence_file` (an upload) is stored
    as a document of the case. Side effects: a GoalStatusChange (the audit record), the same
    progress on the goal's copy in an open draft, timeline entries.
    """
    reason = (reason or "").strip()
    comment = (comment or "").strip()
    errors: dict[str, list[str]] = {}
    if status not in GoalStatus.values:
        errors["status"] = [_("Choose a status.")]
    elif status in STATUSES_WITH_REASON and not reason:
        errors["status_reason"] = [_("Give the reason why the goal was missed or dropped.")]
    with transaction.atomic():
        current = Goal.objects.select_for_update().select_related("version__roadmap__participant").get(pk=goal.pk)
        if current.version.state != VersionState.AGREED:
            raise ValidationError(_("Progress is recorded on the agreed version of the roadmap only."))
        evidence_changed = (evidence_note is not None and evidence_note.strip() != current.evidence_note) or (
            evidence_file is not None
        )
        if not errors and status == current.status and not evidence_changed:
            errors["status"] = [_("The goal already has this status. Choose another status or add evidence.")]
        if errors:
            raise ValidationError(errors)
        old = current.status
        updates = {"status": status, "status_reason": reason if status in STATUSES_WITH_REASON else ""}
        if status != old:
            updates["status_changed_at"] = timezone.now()
        if evidence_note is not None:
            updates["evidence_note"] = evidence_note.strip()
        if evidence_file is not None:
            updates["evidence_document"] = _document_store(
                participant=current.version.roadmap.participant,
                uploaded_file=evidence_file,
                title=_("Evidence: %(goal)s") % {"goal": current.title},
                field="evidence_file",
                actor=actor,
            )
        for name, value in updates.items():
            setattr(current, name, value)
        current.full_clean()
        current.save(update_fields=list(updates))
        # Keep the copy of this goal in an open draft in step, so agreeing the draft loses no progress.
        Goal.objects.filter(
            version__roadmap_id=current.version.roadmap_id, version__state=VersionState.DRAFT, key=current.key
        ).update(**{field: getattr(current, field) for field in _column_names(updates)})
        GoalStatusChange.objects.create(
            goal=current, by=actor, organisation=organisation, old_status=old, new_status=status, comment=comment
        )
        case_event_log(
            participant=current.version.roadmap.participant,
            kind="roadmap_goal_status",
            actor=actor,
            title=current.title,
            old=old,
            new=status,
            comment=comment,
            organisation=organisation.name if organisation else "",
        )
    for name in ("status", "status_reason", "status_changed_at", "evidence_note", "evidence_document_id"):
        setattr(goal, name, getattr(current, name))
    return current


def goal_reminders_send(*, today: datetime.date | None = None) -> int:
    """Emails each counsellor, once a day, the open goals of their cases that are due within
    7 days or overdue (binding goals of agreed roadmaps of open cases).

    The goals are locked while the email is sent (skip_locked), so two workers never remind
    of the same goal; each goal is marked reminded today in the same transaction. Accounts
    without an email address are marked too, so they are not retried all day. Returns the
    number of emails sent.
    """
    from mira.roadmap.notifications import goal_reminder_email
    from mira.roadmap.selectors import goals_to_remind

    today = today or timezone.localdate()
    due = goals_to_remind(today=today)
    counsellor_ids = list(
        due.values_list("version__roadmap__participant__assigned_counsellor_id", flat=True).distinct().order_by()
    )
    sent = 0
    for counsellor_id in sorted(set(counsellor_ids)):
        with transaction.atomic():
            goals = list(
                due.filter(version__roadmap__participant__assigned_counsellor_id=counsellor_id).select_for_update(
                    skip_locked=True, of=("self",)
                )
            )
            if not goals:
                continue
            counsellor = goals[0].version.roadmap.participant.assigned_counsellor
            if counsellor.email and counsellor.is_active:
                goal_reminder_email(counsellor=counsellor, goals=goals, today=today).send()
                sent += 1
            Goal.objects.filter(pk__in=[goal.pk for goal in goals]).update(reminded_on=today)
    return sent


def shares_follow_case_stage(sender, *, participant, **kwargs) -> None:
    """Keeps RoadmapShare.case_open in step with the case (receiver of participants.signals.stage_changed):
    the shares whose flag differs from the case's state now get it, whatever the stage was before."""
    is_open = participant.is_open
    RoadmapShare.objects.filter(version__roadmap__participant=participant).exclude(case_open=is_open).update(
        case_open=is_open
    )
