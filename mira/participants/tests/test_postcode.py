import pytest
from django.urls import reverse

from mira.core.geo import (
    COMMON_LANGUAGES,
    CROSS_BORDER_POSTCODES,
    THURINGIA_DISTRICTS,
    country_codes_matching,
    country_name,
    language_name,
    postcode_lookup,
    thuringia_postcodes,
)
from mira.participants.eligibility import eligibility_check

URL = reverse("participants:postcode_lookup")


@pytest.mark.django_db
def test_postcode_lookup_suggests_city_and_district_and_confirms_thuringia(client, counsellor):
    client.force_login(counsellor)
    response = client.get(URL, {"postcode": "99084", "city": "", "district": ""}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert '<option value="Erfurt"></option>' in html
    assert "99084 liegt in Thüringen: Erfurt – Landkreis/Stadt Erfurt." in html
    assert 'id="field-city" hx-swap-oob="true"' in html
    assert 'value="Erfurt"' in html
    assert '<option value="Erfurt" selected>Erfurt</option>' in html


@pytest.mark.django_db
def test_postcode_lookup_keeps_a_city_already_typed(client, counsellor):
    client.force_login(counsellor)
    html = client.get(URL, {"postcode": "99084", "city": "Erfurt-Nord", "district": "Erfurt"}).content.decode()
    assert 'id="field-city"' not in html
    assert 'id="field-district"' not in html


@pytest.mark.django_db
def test_postcode_lookup_says_a_postcode_is_not_in_thuringia(client, counsellor):
    client.force_login(counsellor)
    html = client.get(URL, {"postcode": "04109"}).content.decode()
    assert "04109 ist keine Postleitzahl in Thüringen (oder existiert nicht)." in html
    assert "field-district" not in html


@pytest.mark.django_db
def test_postcode_lookup_notes_the_state_border(client, counsellor):
    client.force_login(counsellor)
    html = client.get(URL, {"postcode": "07919"}).content.decode()
    assert "Dieses Postleitzahlgebiet reicht über Thüringen hinaus" in html


@pytest.mark.django_db
def test_postcode_lookup_asks_to_choose_between_two_districts(client, counsellor):
    client.force_login(counsellor)
    html = client.get(URL, {"postcode": "99198", "district": ""}).content.decode()
    assert "Diese Postleitzahl gehört zu mehr als einem Landkreis" in html
    assert 'id="field-district"' not in html


@pytest.mark.django_db
def test_postcode_lookup_says_nothing_before_five_digits(client, counsellor):
    client.force_login(counsellor)
    assert "mira-hint" not in client.get(URL, {"postcode": "990"}).content.decode()


@pytest.mark.django_db
def test_postcode_lookup_is_refused_to_a_psychologist(client, psychologist):
    client.force_login(psychologist)
    assert client.get(URL, {"postcode": "99084"}).status_code == 403


def test_postcode_list_knows_every_district_of_thuringia():
    districts = {district for entry in thuringia_postcodes().values() for district in entry.districts}
    assert districts == set(THURINGIA_DISTRICTS)
    assert len(THURINGIA_DISTRICTS) == 22


def test_postcode_list_normalises_district_spellings():
    assert postcode_lookup("99084").districts == ("Erfurt",)
    assert postcode_lookup("07545").districts == ("Gera",)
    assert postcode_lookup("99198").districts == ("Sömmerda", "Weimarer Land")
    assert postcode_lookup(" 99084 ").code == "99084"
    assert postcode_lookup(None) is None


def test_eligibility_decides_a_cross_border_postcode_by_the_district():
    assert "07919" in CROSS_BORDER_POSTCODES
    assert eligibility_check(nationalities=["SY"], is_stateless=False, postcode="07919",
                             district="Saale-Orla-Kreis").eligible  # fmt: skip


def test_country_names_are_the_everyday_ones():
    assert [country_name(code, "de") for code in ("SY", "IR", "MD", "XK", "GE")] == [
        "Syrien", "Iran", "Moldau", "Kosovo", "Georgien"
    ]  # fmt: skip
    assert country_name("MD", "ar") == "جمهورية مولدوفا"
    # The ISO name changed to "Türkiye"; the Arabic and Persian catalogues have not caught up.
    assert (country_name("TR", "ar"), country_name("TR", "fa"), country_name("TR", "de")) == (
        "تركيا",
        "ترکیه",
        "Türkei",
    )
    assert country_name("ZZ", "de") == "ZZ"
    assert country_name("", "de") == ""


def test_country_codes_match_a_country_name_in_german_or_english():
    assert country_codes_matching("syrien", "de") == ["SY"]
    assert country_codes_matching("Georgia", "de") == ["GE"]
    assert country_codes_matching("Afgha", "de") == ["AF"]
    assert country_codes_matching("Ali", "de") == []


@pytest.mark.parametrize("language", ["de", "ar", "fa", "ru", "tr"])
def test_common_languages_have_names_in_every_document_language(language):
    # The ISO catalogues leave some in English ("Georgian" in an Arabic data-subject export).
    english = {code: language_name(code, "en") for code in COMMON_LANGUAGES}
    untranslated = [code for code in COMMON_LANGUAGES if language_name(code, language) == english[code]]
    # Names that are the same word in both: Dari, Urdu, Somali (German).
    assert set(untranslated) <= {"prs", "ur", "so"}
    assert language_name("ka", "ar") == "الجورجية"


def test_language_names_drop_alternative_names():
    assert language_name("ps", "de") == "Paschtu"
    assert language_name("prs", "de") == "Dari"
