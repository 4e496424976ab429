import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mira.participants.models import CaseEvent, HouseholdMember, Participant, Stage
from mira.participants.tests.factories import intake_data

pytestmark = pytest.mark.django_db

URL = reverse("participants:create")
CHILD = {"first_name": "Nino", "last_name": "Beridze", "date_of_birth": "2016-09-01", "relationship": "child"}


def field_errors(response, name):
    return [str(error) for error in response.context["form"].errors.get(name, [])]


def test_intake_form_preselects_the_current_counsellor(client, counsellor):
    client.force_login(counsellor)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["form"]["assigned_counsellor"].value() == counsellor.pk


def test_intake_offers_only_case_workers_of_the_own_centre(client, counsellor, coordinator, finance,
                                                           counsellor_other_centre):  # fmt: skip
    client.force_login(counsellor)
    choices = client.get(URL).context["form"].fields["assigned_counsellor"].queryset
    assert sorted(user.username for user in choices) == ["beratung", "leitung"]


def test_intake_enrols_an_eligible_person_with_a_child(client, counsellor):
    client.force_login(counsellor)
    response = client.post(URL, intake_data(counsellor, household=[CHILD]))
    participant = Participant.objects.get()
    year = timezone.localdate().year
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", kwargs={"pk": participant.pk})
    assert participant.case_number == f"EF-{year}-0001"
    assert participant.stage == Stage.FIRST_CONTACT
    assert participant.nationalities == "GE"
    assert participant.languages == "ka ru"
    assert participant.centre == counsellor.centre
    assert participant.eligibility_checked_by == counsellor
    assert [(m.first_name, m.date_of_birth, m.relationship) for m in participant.household_members.all()] == [
        ("Nino", datetime.date(2016, 9, 1), "child")
    ]
    assert list(CaseEvent.objects.filter(participant=participant).values_list("kind", flat=True)) == ["case_opened"]
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        f"Giorgi Beridze ist aufgenommen. Fallnummer: EF-{year}-0001."
    ]


def test_intake_enrols_a_person_with_several_third_country_nationalities(client, counsellor):
    client.force_login(counsellor)
    client.post(URL, intake_data(counsellor, nationalities=["SY", "TR"]))
    assert Participant.objects.get().nationalities == "SY TR"


def test_intake_enrols_a_stateless_person(client, counsellor):
    client.force_login(counsellor)
    response = client.post(URL, intake_data(counsellor, nationalities=[], is_stateless="on"))
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert (participant.is_stateless, participant.nationalities) == (True, "")


def test_intake_refuses_an_eu_citizen_and_says_why(client, counsellor):
    client.force_login(counsellor)
    response = client.post(URL, intake_data(counsellor, nationalities=["PL"]))
    message = (
        "Nicht teilnahmeberechtigt: Staatsangehörige der EU, des EWR und der Schweiz (Polen) sind keine "
        "Drittstaatsangehörigen. MIRA unterstützt nur Drittstaatsangehörige."
    )
    assert response.status_code == 200
    assert field_errors(response, "nationalities") == [message]
    assert response.context["form"].eligibility.reasons == [message]
    assert "Diese Person kann nicht in MIRA aufgenommen werden" in response.content.decode()
    assert Participant.objects.count() == 0


def test_intake_refuses_a_dual_national_with_a_swiss_passport(client, counsellor):
    client.force_login(counsellor)
    response = client.post(URL, intake_data(counsellor, nationalities=["SY", "CH"]))
    assert field_errors(response, "nationalities") == [
        "Nicht teilnahmeberechtigt: Staatsangehörige der EU, des EWR und der Schweiz (Schweiz) sind keine "
        "Drittstaatsangehörigen. MIRA unterstützt nur Drittstaatsangehörige."
    ]
    assert Participant.objects.count() == 0


def test_intake_treats_a_british_citizen_as_third_country_national(client, counsellor):
    client.force_login(counsellor)
    assert client.post(URL, intake_data(counsellor, nationalities=["GB"])).status_code == 302


def test_intake_refuses_stateless_with_a_nationality(client, counsellor):
    client.force_login(counsellor)
    response = client.post(URL, intake_data(counsellor, is_stateless="on"))
    assert field_errors(response, "nationalities") == [
        "Eine staatenlose Person hat keine Staatsangehörigkeit: Entfernen Sie die Staatsangehörigkeiten "
        "oder das Häkchen bei „staatenlos“."
    ]


def test_intake_asks_for_a_nationality_or_stateless(client, counsellor):
    client.force_login(counsellor)
    response = client.post(URL, intake_data(counsellor, nationalities=[]))
    assert field_errors(response, "nationalities") == [
        "Geben Sie mindestens eine Staatsangehörigkeit an oder kennzeichnen Sie die Person als staatenlos."
    ]


@pytest.mark.parametrize("postcode", ["04109", "99999"])
def test_intake_refuses_a_postcode_outside_thuringia_or_not_existing(client, counsellor, postcode):
    client.force_login(counsellor)
    response = client.post(URL, intake_data(counsellor, postcode=postcode, city="Leipzig"))
    message = (
        f"Nicht teilnahmeberechtigt: {postcode} ist keine Postleitzahl in Thüringen (oder existiert nicht). "
        "MIRA unterstützt nur Menschen, die in Thüringen wohnen."
    )
    assert field_errors(response, "postcode") == [message]
    assert response.context["form"].eligibility.reasons == [message]
    assert Participant.objects.count() == 0


def test_intake_refuses_a_postcode_of_an_organisation(client, counsellor):
    client.force_login(counsellor)
    response = client.post(URL, intake_data(counsellor, postcode="99075"))
    assert field_errors(response, "postcode") == [
        "Die Postleitzahl 99075 gehört zu einer Organisation (Deutsche Post, Geschäftsbereich Vertrieb Direkt "
        "Marketing Center), nicht zu einer Wohnadresse. Geben Sie die Postleitzahl der Wohnadresse an."
    ]


def test_intake_refuses_a_postcode_that_is_not_five_digits(client, counsellor):
    client.force_login(counsellor)
    response = client.post(URL, intake_data(counsellor, postcode="9908"))
    assert field_errors(response, "postcode") == ["Eine Postleitzahl hat fünf Ziffern."]


def test_intake_refuses_a_district_that_does_not_match_the_postcode(client, counsellor):
    client.force_login(counsellor)
    response = client.post(URL, intake_data(counsellor, district="Gotha"))
    assert field_errors(response, "district") == ["Die Postleitzahl 99086 gehört zu Erfurt, nicht zu Gotha."]
    assert Participant.objects.count() == 0


def test_intake_accepts_either_district_of_a_postcode_that_spans_two(client, counsellor):
    client.force_login(counsellor)
    data = intake_data(counsellor, postcode="99198", city="Mönchenholzhausen", district="Weimarer Land")
    assert client.post(URL, data).status_code == 302


def test_intake_refuses_a_date_of_birth_in_the_future(client, counsellor):
    client.force_login(counsellor)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(URL, intake_data(counsellor, date_of_birth=tomorrow.isoformat()))
    assert field_errors(response, "date_of_birth") == ["Das Geburtsdatum kann nicht in der Zukunft liegen."]
    assert Participant.objects.count() == 0


def test_intake_refuses_a_date_of_birth_before_1900(client, counsellor):
    client.force_login(counsellor)
    response = client.post(URL, intake_data(counsellor, date_of_birth="1899-12-31"))
    assert field_errors(response, "date_of_birth") == [
        "Ein Geburtsdatum vor 1900 ist nicht plausibel. Bitte prüfen Sie das Jahr."
    ]


def test_intake_refuses_a_household_member_older_than_110_and_saves_nothing(client, counsellor):
    client.force_login(counsellor)
    grandmother = {**CHILD, "first_name": "Tamar", "date_of_birth": "1900-01-01", "relationship": "parent"}
    response = client.post(URL, intake_data(counsellor, household=[CHILD, grandmother]))
    rows = response.context["household"].forms
    assert rows[0].errors == {}
    assert [str(e) for e in rows[1].errors["date_of_birth"]] == [
        "Ein Haushaltsmitglied älter als 110 Jahre ist nicht plausibel. Bitte prüfen Sie das Geburtsdatum."
    ]
    assert (Participant.objects.count(), HouseholdMember.objects.count()) == (0, 0)


def test_intake_refuses_a_household_member_born_in_the_future(client, counsellor):
    client.force_login(counsellor)
    unborn = {**CHILD, "date_of_birth": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()}
    response = client.post(URL, intake_data(counsellor, household=[unborn]))
    assert [str(e) for e in response.context["household"].forms[0].errors["date_of_birth"]] == [
        "Das Geburtsdatum kann nicht in der Zukunft liegen."
    ]
    assert HouseholdMember.objects.count() == 0


def test_intake_skips_a_household_row_marked_for_removal(client, counsellor):
    client.force_login(counsellor)
    removed = {**CHILD, "first_name": "", "date_of_birth": "1800-01-01", "DELETE": "on"}
    client.post(URL, intake_data(counsellor, household=[CHILD, removed]))
    assert list(HouseholdMember.objects.values_list("first_name", flat=True)) == ["Nino"]


def test_intake_needs_the_interpreter_language_when_an_interpreter_is_needed(client, counsellor):
    client.force_login(counsellor)
    response = client.post(URL, intake_data(counsellor, interpreter_language=""))
    assert field_errors(response, "interpreter_language") == [
        "Wählen Sie die Sprache, die die Dolmetscherin oder der Dolmetscher sprechen muss."
    ]


def test_intake_keeps_everything_typed_when_refused(client, counsellor):
    client.force_login(counsellor)
    data = intake_data(counsellor, nationalities=["DE", "SY"], notes="Kommt mit Schwester", household=[CHILD])
    response = client.post(URL, data)
    form, household = response.context["form"], response.context["household"]
    assert form["nationalities"].value() == ["DE", "SY"]
    assert form["languages"].value() == ["ka", "ru"]
    assert form["first_name_original"].value() == "გიორგი"
    assert form["notes"].value() == "Kommt mit Schwester"
    assert form["postcode"].value() == "99086"
    assert household.forms[0]["first_name"].value() == "Nino"
    html = response.content.decode()
    assert 'value="Kommt mit Schwester"' not in html  # a textarea keeps it as content
    assert "Kommt mit Schwester</textarea>" in html
    assert '<option value="SY" selected>' in html


def test_intake_stores_html_as_typed_and_shows_it_escaped(client, counsellor):
    client.force_login(counsellor)
    script = "<script>alert('x')</script>"
    data = intake_data(counsellor, first_name=script, notes="<b>wichtig</b> & dringend", return_region='"><img src=x>')
    response = client.post(URL, data)
    participant = Participant.objects.get()
    assert (participant.first_name, participant.notes, participant.return_region) == (
        script, "<b>wichtig</b> & dringend", '"><img src=x>'
    )  # fmt: skip
    for url in (
        response["Location"],
        reverse("participants:list"),
        reverse("participants:update", args=[participant.pk]),
    ):
        html = client.get(url).content.decode()
        assert script not in html
        assert "<b>wichtig</b>" not in html
        assert '"><img src=x>' not in html
    html = client.get(response["Location"]).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;wichtig&lt;/b&gt; &amp; dringend" in html


def test_intake_shows_html_escaped_when_refused(client, counsellor):
    client.force_login(counsellor)
    response = client.post(URL, intake_data(counsellor, last_name="<script>x()</script>", nationalities=["FR"]))
    html = response.content.decode()
    assert "<script>x()</script>" not in html
    assert 'value="&lt;script&gt;x()&lt;/script&gt;"' in html


def test_intake_without_any_data_says_what_is_missing(client, counsellor):
    client.force_login(counsellor)
    response = client.post(URL, {})
    assert response.status_code == 200
    assert field_errors(response, "first_name") == ["Dieses Feld ist zwingend erforderlich."]
    assert Participant.objects.count() == 0


def test_intake_refuses_a_counsellor_of_another_centre(client, counsellor, counsellor_other_centre):
    client.force_login(counsellor)
    response = client.post(URL, intake_data(counsellor_other_centre))
    assert field_errors(response, "assigned_counsellor") == [
        "Bitte eine gültige Auswahl treffen. Dies ist keine gültige Auswahl."
    ]
    assert Participant.objects.count() == 0


def test_intake_is_refused_to_a_psychologist(client, psychologist, counsellor):
    client.force_login(psychologist)
    assert client.post(URL, intake_data(counsellor)).status_code == 403
    assert Participant.objects.count() == 0
