import datetime

import factory
from django.utils import timezone

from mira.accounts.models import Centre, Role, User
from mira.participants.models import EligibilityEvidence, HouseholdMember, Participant, Relationship
from mira.participants.names import name_keys


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: "EF" if n == 0 else f"T{chr(65 + n % 26)}{chr(65 + (n // 26) % 26)}")
    name = factory.LazyAttribute(lambda o: f"MIRA {o.code}")
    city = "Erfurt"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.COUNSELLOR
    centre = factory.SubFactory(CentreFactory)
    password = factory.PostGenerationMethodCall("set_password", "mira-test-password")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    centre = factory.SubFactory(CentreFactory)
    case_number = factory.Sequence(lambda n: f"XX-2026-{n + 1:04d}")
    first_name = "Giorgi"
    last_name = factory.Sequence(lambda n: f"Beridze{n}")
    date_of_birth = datetime.date(1988, 4, 12)
    nationalities = "GE"
    languages = "ka ru"
    postcode = "99084"
    city = "Erfurt"
    district = "Erfurt"
    assigned_counsellor = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..centre"))
    created_by = factory.SelfAttribute("assigned_counsellor")
    eligibility_checked_by = factory.SelfAttribute("assigned_counsellor")
    eligibility_checked_at = factory.LazyFunction(timezone.now)
    eligibility_evidence = EligibilityEvidence.PASSPORT
    return_country = "GE"
    name_keys = factory.LazyAttribute(lambda o: name_keys(o.first_name, o.last_name))


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    participant = factory.SubFactory(ParticipantFactory)
    first_name = "Nino"
    last_name = factory.SelfAttribute("participant.last_name")
    date_of_birth = datetime.date(2016, 9, 1)
    relationship = Relationship.CHILD


def intake_data(counsellor, household: list[dict] = (), **overrides) -> dict:
    """POST data of a complete, eligible intake (a Georgian in Erfurt); overrides replace fields."""
    data = {
        "first_name": "Giorgi",
        "last_name": "Beridze",
        "first_name_original": "გიორგი",
        "last_name_original": "ბერიძე",
        "date_of_birth": "1988-04-12",
        "gender": "male",
        "nationalities": ["GE"],
        "languages": ["ka", "ru"],
        "needs_interpreter": "on",
        "interpreter_language": "ka",
        "preferred_language": "ru",
        "street": "Magdeburger Allee 12",
        "postcode": "99086",
        "city": "Erfurt",
        "district": "Erfurt",
        "phone": "+49 151 1234567",
        "email": "",
        "residence_status": "duldung",
        "residence_valid_until": "",
        "assigned_counsellor": str(counsellor.pk),
        "referral_source": "foreigners_authority",
        "referral_source_detail": "",
        "vulnerabilities": [],
        "notes": "",
        "return_country": "GE",
        "return_region": "Kutaisi",
        "eligibility_evidence": "passport",
        "household-TOTAL_FORMS": str(len(household)),
        "household-INITIAL_FORMS": "0",
        "household-MIN_NUM_FORMS": "0",
        "household-MAX_NUM_FORMS": "20",
    }
    for index, member in enumerate(household):
        row = {"gender": "unknown", "nationality": "GE", "returns_along": "on", **member}
        for name, value in row.items():
            data[f"household-{index}-{name}"] = value
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}
