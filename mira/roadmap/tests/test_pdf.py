import io
import unicodedata

import pytest
from pypdf import PdfReader

from mira.network.models import OfferKind
from mira.participants.tests.factories import ParticipantFactory
from mira.roadmap.exporters import pdf_languages_for, roadmap_pdf
from mira.roadmap.models import Phase, RoadmapOffer
from mira.roadmap.tests.factories import AgreedVersionFactory, GoalFactory, RoadmapFactory, RoadmapVersionFactory

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "الحصول على جواز السفر"


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    # Arabic letters come out in their contextual presentation forms; NFKC folds them back.
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def arabic_roadmap(centre):
    participant = ParticipantFactory(
        centre=centre, case_number="EF-2026-0077", first_name="Ali", preferred_language="ar", return_country="IQ"
    )
    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant), destination_country="IQ")
    GoalFactory(version=version, title="Reisepass beantragen", title_translated=ARABIC_TITLE)
    GoalFactory(version=version, title="Startkapital beantragen", phase=Phase.FIRST_MONTHS)
    return version


def test_pdf_shows_the_german_and_the_arabic_goal_titles(arabic_roadmap):
    text = _text(roadmap_pdf(version=arabic_roadmap))
    assert "Rückkehr-Fahrplan (MIRA-Fahrplan)" in text
    assert "Reisepass beantragen" in text
    assert ARABIC_TITLE in text or ARABIC_TITLE[::-1] in text
    assert "EF-2026-0077" in text
    assert "MIRA Erfurt" in text


def test_pdf_names_the_kind_of_each_offer_in_both_parts(centre):
    participant = ParticipantFactory(centre=centre, case_number="EF-2026-0078", preferred_language="ru")
    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant))
    RoadmapOffer.objects.create(version=version, title="Beratung Existenzgründung", organisation_name="Rustavi Hub",
                                kind=OfferKind.BUSINESS_START_UP)  # fmt: skip
    text = _text(roadmap_pdf(version=version))
    assert "Existenzgründung" in text and "Вид" in text and "Открытие своего дела" in text


def test_pdf_has_page_numbers(arabic_roadmap):
    text = _text(roadmap_pdf(version=arabic_roadmap))
    pages = len(PdfReader(io.BytesIO(roadmap_pdf(version=arabic_roadmap))).pages)
    assert pages >= 2
    assert f"1 / {pages}" in text


def test_pdf_embeds_the_shipped_fonts(arabic_roadmap):
    # The families are named "MIRA Sans" and "MIRA Naskh" only in the CSS that loads the shipped
    # files: fonts installed on the server would appear under their own names.
    reader = PdfReader(io.BytesIO(roadmap_pdf(version=arabic_roadmap)))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts == {"MIRA-Sans", "MIRA-Sans-Bold", "MIRA-Naskh", "MIRA-Naskh-Bold"}


def test_a_draft_is_never_printed():
    with pytest.raises(ValueError):
        roadmap_pdf(version=RoadmapVersionFactory())


def test_pdf_languages_are_german_and_the_participants():
    assert pdf_languages_for(ParticipantFactory.build(preferred_language="fa")) == ["de", "fa"]
    assert pdf_languages_for(ParticipantFactory.build(preferred_language="de")) == ["de"]
