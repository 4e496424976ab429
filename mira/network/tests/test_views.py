import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from mira.accounts.models import Role
from mira.network.models import Offer, Organisation, Referral, ReferralStatus
from mira.network.templatetags.network_tags import case_referrals
from mira.network.tests.factories import OfferFactory, OrganisationFactory, ReferralFactory, partner_sharing_consent
from mira.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(
        centre=centre, assigned_counsellor=counsellor, return_country="GE", return_region="Kutaisi"
    )


# -- list pages: constant queries --------------------------------------------


def test_organisation_list_queries_do_not_grow_with_rows(client, counsellor, django_assert_max_num_queries):
    client.force_login(counsellor)
    OfferFactory()
    with django_assert_max_num_queries(10):
        assert client.get(reverse("network:organisation_list")).status_code == 200
    for _ in range(30):
        OfferFactory()
    with django_assert_max_num_queries(10):
        response = client.get(reverse("network:organisation_list"), {"q": "Partner", "sector": "it"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 31
    # The next page keeps the filters.
    assert 'href="?q=Partner&amp;sector=it&amp;page=2"' in response.content.decode()


def test_offer_list_queries_do_not_grow_with_rows(client, counsellor, django_assert_max_num_queries):
    client.force_login(counsellor)
    OfferFactory()
    with django_assert_max_num_queries(10):
        assert client.get(reverse("network:offer_list")).status_code == 200
    for _ in range(30):
        OfferFactory()
    with django_assert_max_num_queries(10):
        response = client.get(reverse("network:offer_list"), {"valid_today": "on", "country": "GE"})
    assert len(response.context["page"]) == 25


def test_referral_list_queries_do_not_grow_with_rows(client, centre, counsellor, django_assert_max_num_queries):
    client.force_login(counsellor)
    ReferralFactory(participant=ParticipantFactory(centre=centre, assigned_counsellor=counsellor))
    # One of them checks the consents of the page's cases (referrals_with_consent).
    with django_assert_max_num_queries(12):
        assert client.get(reverse("network:referral_list")).status_code == 200
    for _ in range(30):
        ReferralFactory(participant=ParticipantFactory(centre=centre, assigned_counsellor=counsellor))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("network:referral_list"))
    assert response.context["page"].paginator.count == 31


def test_referral_list_of_one_counsellor_is_paged_with_its_count_and_constant_queries(
    client, centre, counsellor, make_user, django_assert_max_num_queries
):
    colleague = make_user(username="kollege")
    mine = [
        ReferralFactory(
            participant=ParticipantFactory(centre=centre, assigned_counsellor=counsellor),
            suggested_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
        )
        for number in range(27)
    ]
    ReferralFactory(participant=ParticipantFactory(centre=centre, assigned_counsellor=colleague))
    client.force_login(counsellor)
    url = reverse("network:referral_list")
    pages = []
    for number in (1, 2, 99):
        with django_assert_max_num_queries(12):
            response = client.get(url, {"counsellor": counsellor.pk, "page": number})
        page = response.context["page"]
        pages.append([referral.pk for referral in page])
        assert page.paginator.count == 27
        # The rows are shown with their cases, read with the page (the query bound above).
        html = response.content.decode()
        assert all(referral.participant.case_number in html for referral in page)
    newest_first = [referral.pk for referral in reversed(mine)]
    assert pages == [newest_first[:25], newest_first[25:], newest_first[25:]]  # past the end: the last page


def test_case_referrals_card_queries_do_not_grow_with_rows(rf, participant, counsellor, django_assert_max_num_queries):
    request = rf.get("/cases/1/")
    request.user = counsellor
    ReferralFactory(participant=participant)
    with django_assert_max_num_queries(3):
        assert len(case_referrals({"request": request}, participant)["referrals"]) == 1
    for _ in range(20):
        ReferralFactory(participant=participant, offer=OfferFactory(organisation__country="DE", country="DE"))
    with django_assert_max_num_queries(3):
        assert len(case_referrals({"request": request}, participant)["referrals"]) == 21


# -- directory forms ---------------------------------------------------------


def test_organisation_create_bad_input_keeps_what_was_typed(client, counsellor):
    client.force_login(counsellor)
    response = client.post(
        reverse("network:organisation_create"),
        {"name": "Neue Partnerin", "type": "ngo", "country": "", "email": "kein-mail", "services": "Beratung"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "country": ["Dieses Feld ist zwingend erforderlich."],
        "email": ["Bitte gültige E-Mail-Adresse eingeben."],
    }
    content = response.content.decode()
    assert 'value="Neue Partnerin"' in content
    assert 'aria-describedby="id_email_error"' in content
    assert Organisation.objects.count() == 0


def test_organisation_create_saves_languages_and_reference(client, counsellor):
    client.force_login(counsellor)
    response = client.post(
        reverse("network:organisation_create"),
        {"name": "Kutaisi Hub", "type": "training_provider", "country": "GE", "languages": ["ka", "ru"]},
    )
    organisation = Organisation.objects.get()
    assert response.url == reverse("network:organisation_detail", kwargs={"pk": organisation.pk})
    assert (organisation.languages, organisation.reference, organisation.active) == ("ka ru", "kutaisi-hub-ge", True)


def test_organisation_update_counsellor_cannot_switch_active_flag(client, counsellor):
    organisation = OrganisationFactory(name="Hub")
    client.force_login(counsellor)
    data = {"name": "Hub", "type": "ngo", "country": "GE", "reference": organisation.reference, "active": ""}
    client.post(reverse("network:organisation_update", kwargs={"pk": organisation.pk}), data)
    organisation.refresh_from_db()
    assert organisation.active is True


def test_organisation_update_coordinator_switches_active_flag(client, coordinator):
    organisation = OrganisationFactory(name="Hub")
    client.force_login(coordinator)
    data = {"name": "Hub", "type": "ngo", "country": "GE", "reference": organisation.reference}
    client.post(reverse("network:organisation_update", kwargs={"pk": organisation.pk}), data)
    organisation.refresh_from_db()
    assert organisation.active is False


def test_offer_create_dates_in_wrong_order_show_error_at_the_field(client, counsellor):
    organisation = OrganisationFactory()
    client.force_login(counsellor)
    response = client.post(
        reverse("network:offer_create", kwargs={"organisation_pk": organisation.pk}),
        {"title": "Kurs", "kind": "training", "valid_from": "2026-05-01", "valid_until": "2026-04-01"},
    )
    assert response.context["form"].errors == {
        "valid_until": ["Das Ende der Gültigkeit darf nicht vor ihrem Beginn liegen."]
    }
    assert Offer.objects.count() == 0


def test_offer_create_takes_country_from_organisation(client, counsellor):
    organisation = OrganisationFactory(country="AM", region="Jerewan")
    client.force_login(counsellor)
    client.post(
        reverse("network:offer_create", kwargs={"organisation_pk": organisation.pk}),
        {"title": "IT-Gründung", "kind": "business_start_up", "sector": "it", "country": ""},
    )
    offer = Offer.objects.get()
    assert (offer.country, offer.region, offer.reference) == ("AM", "Jerewan", "it-grundung")


# -- import and export -------------------------------------------------------


def test_import_view_non_xlsx_file_shows_report_and_imports_nothing(client, coordinator):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("netz.xlsx", b"%PDF-1.4 not a workbook", content_type="application/vnd.ms-excel")
    response = client.post(reverse("network:import"), {"file": upload})
    assert response.context["report"].file_errors == [
        "„netz.xlsx“ ist keine Excel-Arbeitsmappe, obwohl der Name auf .xlsx endet."
    ]
    assert "Es wurde nichts importiert" in response.content.decode()
    assert Organisation.objects.count() == 0


def test_import_view_valid_file_imports(client, coordinator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "organisations"
    sheet.append(["reference", "name", "type", "country"])
    sheet.append(["hub", "Hub", "ngo", "GE"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(coordinator)
    response = client.post(reverse("network:import"), {"file": SimpleUploadedFile("netz.xlsx", buffer.getvalue())})
    assert response.context["report"].imported is True
    assert list(Organisation.objects.values_list("reference", flat=True)) == ["hub"]


def test_import_view_counsellor_may_not_post(client, counsellor):
    client.force_login(counsellor)
    response = client.post(reverse("network:import"), {"file": SimpleUploadedFile("netz.csv", b"reference;name\n")})
    assert response.status_code == 403


def test_export_xlsx_is_a_workbook(client, counsellor):
    OfferFactory()
    client.force_login(counsellor)
    response = client.get(reverse("network:export"), {"format": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.content[:4] == b"PK\x03\x04"


# -- referrals ---------------------------------------------------------------


def test_referral_create_view_abroad_without_consent_shows_german_error(client, counsellor, participant):
    offer = OfferFactory(organisation__country="GE", country="GE")
    client.force_login(counsellor)
    response = client.post(
        reverse("network:referral_create", kwargs={"participant_pk": participant.pk}),
        {"offer": offer.pk, "suggested_on": timezone.localdate().isoformat(), "notes": "Bitte anrufen"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Eine Verweisung an einen Partner außerhalb Deutschlands setzt eine gültige Einwilligung der Teilnehmenden "
        "in die Weitergabe an Partnerorganisationen im Ausland voraus. Bitte erfassen Sie die Einwilligung zuerst "
        "in der Fallakte."
    ]
    assert "Bitte anrufen" in response.content.decode()
    assert Referral.objects.count() == 0


def test_referral_create_view_picker_defaults_to_return_country_ranked_by_region(client, counsellor, participant):
    OfferFactory(title="Tbilisi", organisation__country="GE", country="GE", region="Tbilisi")
    OfferFactory(title="Kutaisi", organisation__country="GE", country="GE", region="Kutaisi")
    OfferFactory(title="Erbil", organisation__country="IQ", country="IQ", region="Erbil")
    client.force_login(counsellor)
    response = client.get(reverse("network:referral_create", kwargs={"participant_pk": participant.pk}))
    assert [offer.title for offer in response.context["offers"]] == ["Kutaisi", "Tbilisi"]


def test_referral_create_view_with_consent_saves(client, counsellor, participant):
    partner_sharing_consent(participant)
    offer = OfferFactory(organisation__country="GE", country="GE")
    client.force_login(counsellor)
    response = client.post(
        reverse("network:referral_create", kwargs={"participant_pk": participant.pk}),
        {"offer": offer.pk, "suggested_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert Referral.objects.get().offer == offer


def test_referral_create_view_outsider_gets_404_on_post(client, counsellor_other_centre, participant):
    offer = OfferFactory(organisation__country="DE", country="DE")
    client.force_login(counsellor_other_centre)
    response = client.post(
        reverse("network:referral_create", kwargs={"participant_pk": participant.pk}),
        {"offer": offer.pk, "suggested_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    assert Referral.objects.count() == 0


def test_referral_set_status_view_redirects_back_to_the_case(client, counsellor, participant):
    referral = ReferralFactory(participant=participant, suggested_on=datetime.date(2026, 3, 2))
    client.force_login(counsellor)
    response = client.post(
        reverse("network:referral_set_status", kwargs={"pk": referral.pk}),
        {"status": "accepted", "on": "2026-03-10", "next": "/cases/1/"},
    )
    assert response.url == "/cases/1/"
    referral.refresh_from_db()
    assert (referral.status, referral.accepted_on) == (ReferralStatus.ACCEPTED, datetime.date(2026, 3, 10))


def test_referral_set_status_view_ignores_foreign_next_url(client, counsellor, participant):
    referral = ReferralFactory(participant=participant)
    client.force_login(counsellor)
    response = client.post(
        reverse("network:referral_set_status", kwargs={"pk": referral.pk}),
        {"status": "declined", "on": timezone.localdate().isoformat(), "next": "https://evil.example/"},
    )
    assert response.url == reverse("network:referral_detail", kwargs={"pk": referral.pk})


def test_referral_set_status_view_future_date_shows_error(client, counsellor, participant):
    referral = ReferralFactory(participant=participant)
    client.force_login(counsellor)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("network:referral_set_status", kwargs={"pk": referral.pk}), {"status": "contacted", "on": tomorrow}
    )
    assert response.status_code == 400
    assert response.context["status_form"].errors == {"on": ["Das Datum darf nicht in der Zukunft liegen."]}
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUGGESTED


def test_referral_set_status_view_psychologist_may_not_change(client, make_user, participant):
    referral = ReferralFactory(participant=participant)
    client.force_login(make_user(Role.PSYCHOLOGIST, username="psy"))
    response = client.post(
        reverse("network:referral_set_status", kwargs={"pk": referral.pk}), {"status": "declined", "on": "2026-03-03"}
    )
    assert response.status_code == 403


def test_referral_detail_shows_consent_warning_after_withdrawal(client, counsellor, participant):
    partner_sharing_consent(participant, withdrawn_on=timezone.localdate())
    referral = ReferralFactory(participant=participant, offer=OfferFactory(organisation__country="GE"))
    client.force_login(counsellor)
    response = client.get(reverse("network:referral_detail", kwargs={"pk": referral.pk}))
    assert "Einwilligung widerrufen" in response.content.decode()


def test_referral_detail_is_logged_as_read_of_the_case(client, counsellor, participant):
    from mira.privacy.models import AccessLog

    referral = ReferralFactory(participant=participant)
    client.force_login(counsellor)
    client.get(reverse("network:referral_detail", kwargs={"pk": referral.pk}))
    assert list(AccessLog.objects.values_list("case_number", "object_id")) == [
        (participant.case_number, str(referral.pk))
    ]


def test_referral_list_outsider_sees_none_of_the_other_centre(client, counsellor_other_centre, participant):
    ReferralFactory(participant=participant)
    client.force_login(counsellor_other_centre)
    response = client.get(reverse("network:referral_list"))
    assert response.context["page"].paginator.count == 0
