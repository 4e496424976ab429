import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from mira.network.models import Referral, ReferralStatus
from mira.network.selectors import ReferralFilter, referral_list, referrals_of_case
from mira.network.services import referral_create, referral_set_status
from mira.network.tests.factories import OfferFactory, OrganisationFactory, ReferralFactory, partner_sharing_consent
from mira.participants.events import event_message
from mira.participants.models import CaseEvent, Stage
from mira.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(centre=centre, assigned_counsellor=counsellor, return_country="GE")


@pytest.fixture
def georgian_offer():
    return OfferFactory(
        organisation__country="GE", organisation__name="Tbilisi Startup Hub", title="IT-Gründung Tbilisi"
    )


@pytest.fixture
def german_offer():
    return OfferFactory(
        organisation__country="DE", organisation__name="Jobcenter Erfurt", country="DE", title="Sprachkurs"
    )


def test_referral_create_abroad_without_consent_is_refused_and_nothing_saved(participant, counsellor, georgian_offer):
    with translation.override("de"), pytest.raises(ValidationError) as error:
        referral_create(participant=participant, offer=georgian_offer, actor=counsellor)
    assert error.value.message_dict == {
        "__all__": [
            "Eine Verweisung an einen Partner außerhalb Deutschlands setzt eine gültige Einwilligung der "
            "Teilnehmenden in die Weitergabe an Partnerorganisationen im Ausland voraus. Bitte erfassen Sie "
            "die Einwilligung zuerst in der Fallakte."
        ]
    }
    assert Referral.objects.count() == 0
    assert CaseEvent.objects.filter(participant=participant).count() == 0


def test_referral_create_abroad_with_withdrawn_consent_is_refused(participant, counsellor, georgian_offer):
    partner_sharing_consent(participant, withdrawn_on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        referral_create(participant=participant, offer=georgian_offer, actor=counsellor)
    assert Referral.objects.count() == 0


def test_referral_create_abroad_with_valid_consent_saves_and_logs(participant, counsellor, georgian_offer):
    partner_sharing_consent(participant)
    referral = referral_create(participant=participant, offer=georgian_offer, actor=counsellor, notes="Termin klären")
    assert (referral.status, referral.organisation, referral.suggested_on, referral.notes) == (
        ReferralStatus.SUGGESTED,
        georgian_offer.organisation,
        timezone.localdate(),
        "Termin klären",
    )
    event = CaseEvent.objects.get(participant=participant)
    with translation.override("de"):
        assert event_message(event) == "Verwiesen an IT-Gründung Tbilisi (Tbilisi Startup Hub)"


def test_referral_create_in_germany_needs_no_consent(participant, counsellor, german_offer):
    referral = referral_create(participant=participant, offer=german_offer, actor=counsellor)
    assert Referral.objects.get().pk == referral.pk
    assert Referral.objects.values_list("centre_id", flat=True).get() == participant.centre_id


def test_referral_create_german_organisation_with_offer_abroad_needs_consent(participant, counsellor):
    offer = OfferFactory(organisation__country="DE", country="IQ", region="Kurdistan Region")
    with pytest.raises(ValidationError):
        referral_create(participant=participant, offer=offer, actor=counsellor)
    assert Referral.objects.count() == 0


def test_referral_create_to_organisation_without_offer(participant, counsellor):
    organisation = OrganisationFactory(country="DE")
    referral = referral_create(participant=participant, organisation=organisation, actor=counsellor)
    assert (referral.organisation, referral.offer) == (organisation, None)


def test_referral_create_twice_to_same_offer_is_refused(participant, counsellor, german_offer):
    referral_create(participant=participant, offer=german_offer, actor=counsellor)
    with translation.override("de"), pytest.raises(ValidationError) as error:
        referral_create(participant=participant, offer=german_offer, actor=counsellor)
    assert error.value.messages == ["Für diesen Fall gibt es bereits eine offene Verweisung an dieses Ziel."]
    assert Referral.objects.count() == 1


def test_referral_create_expired_offer_is_refused(participant, counsellor):
    offer = OfferFactory(
        organisation__country="DE", country="DE", valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        referral_create(participant=participant, offer=offer, actor=counsellor)
    assert list(error.value.message_dict) == ["offer"]


def test_referral_create_for_closed_case_is_refused(participant, counsellor, german_offer):
    participant.stage = Stage.CLOSED
    participant.save()
    with pytest.raises(ValidationError):
        referral_create(participant=participant, offer=german_offer, actor=counsellor)
    assert Referral.objects.count() == 0


def test_referral_create_in_the_future_is_refused(participant, counsellor, german_offer):
    with pytest.raises(ValidationError) as error:
        referral_create(
            participant=participant,
            offer=german_offer,
            actor=counsellor,
            suggested_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert list(error.value.message_dict) == ["suggested_on"]


def test_referral_set_status_sets_the_date_of_each_step(participant, counsellor, german_offer):
    referral = referral_create(
        participant=participant, offer=german_offer, actor=counsellor, suggested_on=datetime.date(2026, 3, 2)
    )
    referral_set_status(
        referral=referral, status=ReferralStatus.CONTACTED, on=datetime.date(2026, 3, 4), actor=counsellor
    )
    referral_set_status(
        referral=referral, status=ReferralStatus.COMPLETED, on=datetime.date(2026, 4, 1), actor=counsellor
    )
    referral.refresh_from_db()
    assert (referral.status, referral.contacted_on, referral.accepted_on, referral.completed_on) == (
        ReferralStatus.COMPLETED,
        datetime.date(2026, 3, 4),
        None,
        datetime.date(2026, 4, 1),
    )
    with translation.override("de"):
        messages = [event_message(e) for e in CaseEvent.objects.filter(participant=participant).order_by("id")]
    assert messages == [
        "Verwiesen an Sprachkurs (Jobcenter Erfurt)",
        "Verweisung an Sprachkurs (Jobcenter Erfurt): Status jetzt „Kontakt aufgenommen“",
        "Verweisung an Sprachkurs (Jobcenter Erfurt): Status jetzt „Abgeschlossen“",
    ]


def test_referral_set_status_backwards_is_refused(participant, counsellor):
    referral = ReferralFactory(
        participant=participant, status=ReferralStatus.ACCEPTED, accepted_on=datetime.date(2026, 3, 5)
    )
    with pytest.raises(ValidationError) as error:
        referral_set_status(referral=referral, status=ReferralStatus.CONTACTED, actor=counsellor)
    assert list(error.value.message_dict) == ["status"]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_referral_set_status_after_declined_is_refused(participant, counsellor):
    referral = ReferralFactory(
        participant=participant, status=ReferralStatus.DECLINED, declined_on=datetime.date(2026, 3, 5)
    )
    with pytest.raises(ValidationError):
        referral_set_status(referral=referral, status=ReferralStatus.ACCEPTED, actor=counsellor)


def test_referral_set_status_before_suggestion_is_refused(participant, counsellor):
    referral = ReferralFactory(participant=participant, suggested_on=datetime.date(2026, 3, 2))
    with pytest.raises(ValidationError) as error:
        referral_set_status(
            referral=referral, status=ReferralStatus.CONTACTED, on=datetime.date(2026, 3, 1), actor=counsellor
        )
    assert list(error.value.message_dict) == ["on"]


def test_referral_set_status_contacting_abroad_after_withdrawal_is_refused(participant, counsellor, georgian_offer):
    consent = partner_sharing_consent(participant)
    referral = referral_create(participant=participant, offer=georgian_offer, actor=counsellor)
    consent.withdrawn_on = timezone.localdate()
    consent.save()
    with pytest.raises(ValidationError):
        referral_set_status(referral=referral, status=ReferralStatus.CONTACTED, actor=counsellor)
    referral_set_status(referral=referral, status=ReferralStatus.DECLINED, actor=counsellor)
    referral.refresh_from_db()
    assert (referral.status, referral.contacted_on, referral.declined_on) == (
        ReferralStatus.DECLINED,
        None,
        timezone.localdate(),
    )


def test_referrals_of_case_warn_on_open_referrals_abroad_after_withdrawal(participant, counsellor, georgian_offer):
    consent = partner_sharing_consent(participant)
    open_abroad = referral_create(participant=participant, offer=georgian_offer, actor=counsellor)
    closed_abroad = ReferralFactory(
        participant=participant, offer=OfferFactory(organisation__country="GE"), status=ReferralStatus.COMPLETED
    )
    open_at_home = ReferralFactory(participant=participant)
    assert {r.pk: r.consent_warning for r in referrals_of_case(participant)} == {
        open_abroad.pk: False,
        closed_abroad.pk: False,
        open_at_home.pk: False,
    }
    consent.withdrawn_on = timezone.localdate()
    consent.save()
    assert {r.pk: r.consent_warning for r in referrals_of_case(participant)} == {
        open_abroad.pk: True,
        closed_abroad.pk: False,
        open_at_home.pk: False,
    }
    assert [r.pk for r in referral_list(filters=ReferralFilter(consent_missing=True))] == [open_abroad.pk]


def test_referral_list_filters_by_status_country_and_counsellor(centre, counsellor, make_user):
    colleague = make_user(username="kollege")
    mine = ReferralFactory(participant=ParticipantFactory(centre=centre, assigned_counsellor=counsellor))
    theirs = ReferralFactory(
        participant=ParticipantFactory(centre=centre, assigned_counsellor=colleague),
        offer=OfferFactory(organisation__country="GE"),
        status=ReferralStatus.ACCEPTED,
    )
    assert [r.pk for r in referral_list(filters=ReferralFilter(counsellor_id=counsellor.pk))] == [mine.pk]
    assert [r.pk for r in referral_list(filters=ReferralFilter(country="GE"))] == [theirs.pk]
    assert [r.pk for r in referral_list(filters=ReferralFilter(status=ReferralStatus.ACCEPTED))] == [theirs.pk]
