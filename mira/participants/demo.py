"""About 200 synthetic cases in Erfurt and a few in Gera, in every stage."""

import datetime

from django.utils import timezone

from mira.core.demo import DemoContext
from mira.core.geo import is_residential_postcode, thuringia_postcodes
from mira.participants.models import (
    STAGE_PATH,
    CaseEvent,
    EligibilityEvidence,
    Gender,
    HouseholdMember,
    Participant,
    ReferralSource,
    Relationship,
    ResidenceStatus,
    Stage,
    Vulnerability,
)
from mira.participants.names import name_keys
from mira.participants.services import case_number_next

# country: (weight, languages, document language, regions,
#           male first names, female first names, last names) — names as (Latin, original script)
COUNTRIES = {
    "GE": (14, "ka ru", "ru", ["Tbilisi", "Kutaisi", "Batumi", "Rustavi", "Zugdidi"],
           [("Giorgi", "გიორგი"), ("Davit", "დავით"), ("Levan", "ლევან"), ("Irakli", "ირაკლი"), ("Zurab", "ზურაბ")],
           [("Nino", "ნინო"), ("Tamar", "თამარ"), ("Mariam", "მარიამ"), ("Ketevan", "ქეთევან"), ("Salome", "სალომე")],
           [("Beridze", "ბერიძე"), ("Kapanadze", "კაპანაძე"), ("Gelashvili", "გელაშვილი"), ("Lomidze", "ლომიძე"),
            ("Tsiklauri", "წიკლაური"), ("Maisuradze", "მაისურაძე")]),
    "IQ": (14, "ar ku", "ar", ["Bagdad", "Erbil", "Mossul", "Basra", "Sulaimaniyya", "Duhok"],
           [("Mohammed", "محمد"), ("Ali", "علي"), ("Ahmed", "أحمد"), ("Hussein", "حسين"), ("Omar", "عمر")],
           [("Fatima", "فاطمة"), ("Zainab", "زينب"), ("Maryam", "مريم"), ("Noor", "نور"), ("Huda", "هدى")],
           [("Al-Hassan", "الحسن"), ("Jaber", "جابر"), ("Al-Obaidi", "العبيدي"), ("Kareem", "كريم"),
            ("Salih", "صالح"), ("Mahmoud", "محمود")]),
    "AF": (10, "prs ps", "fa", ["Kabul", "Herat", "Mazar-e Sharif", "Kandahar"],
           [("Ahmad", "احمد"), ("Mohammad", "محمد"), ("Farid", "فرید"), ("Jawad", "جواد"), ("Rahim", "رحیم")],
           [("Fatema", "فاطمه"), ("Zahra", "زهرا"), ("Maryam", "مریم"), ("Shirin", "شیرین"), ("Parwana", "پروانه")],
           [("Ahmadi", "احمدی"), ("Haidari", "حیدری"), ("Rahimi", "رحیمی"), ("Sultani", "سلطانی"),
            ("Nazari", "نظری")]),
    "TR": (12, "tr ku", "tr", ["Istanbul", "Ankara", "Gaziantep", "Diyarbakır", "İzmir"],
           [("Mehmet", ""), ("Mustafa", ""), ("Emre", ""), ("Hasan", ""), ("Yusuf", "")],
           [("Ayşe", ""), ("Elif", ""), ("Zeynep", ""), ("Fatma", ""), ("Emine", "")],
           [("Yılmaz", ""), ("Kaya", ""), ("Demir", ""), ("Şahin", ""), ("Çelik", ""), ("Aydın", "")]),
    "MD": (8, "ro ru", "ru", ["Chișinău", "Bălți", "Cahul", "Orhei"],
           [("Ion", "Ион"), ("Vasile", "Василе"), ("Andrei", "Андрей"), ("Sergiu", "Сергей")],
           [("Maria", "Мария"), ("Elena", "Елена"), ("Ana", "Анна"), ("Natalia", "Наталья")],
           [("Rusu", "Русу"), ("Ceban", "Чебан"), ("Popescu", "Попеску"), ("Munteanu", "Мунтяну")]),
    "AM": (8, "hy ru", "ru", ["Jerewan", "Gjumri", "Wanadsor"],
           [("Armen", "Արմեն"), ("Hayk", "Հայկ"), ("Tigran", "Տիգրան"), ("Aram", "Արամ")],
           [("Anush", "Անուշ"), ("Lilit", "Լիլիթ"), ("Gayane", "Գայանե"), ("Mariam", "Մարիամ")],
           [("Petrosyan", "Պետրոսյան"), ("Hovhannisyan", "Հովհաննիսյան"), ("Sargsyan", "Սարգսյան"),
            ("Grigoryan", "Գրիգորյան")]),
    "VN": (6, "vi", "de", ["Hanoi", "Ho-Chi-Minh-Stadt", "Hai Phong", "Nghệ An"],
           [("Minh", ""), ("Tuan", ""), ("Duc", ""), ("Hung", "")],
           [("Lan", ""), ("Huong", ""), ("Mai", ""), ("Thu", "")],
           [("Nguyen", ""), ("Tran", ""), ("Le", ""), ("Pham", ""), ("Hoang", "")]),
    "SY": (10, "ar ku", "ar", ["Damaskus", "Aleppo", "Homs", "Latakia", "Qamischli"],
           [("Mohammad", "محمد"), ("Khaled", "خالد"), ("Yousef", "يوسف"), ("Bashar", "بشار"), ("Samer", "سامر")],
           [("Rania", "رانيا"), ("Lina", "لينا"), ("Amal", "أمل"), ("Rasha", "رشا"), ("Dima", "ديما")],
           [("Al-Ahmad", "الأحمد"), ("Haddad", "حداد"), ("Khalil", "خليل"), ("Darwish", "درويش"),
            ("Mansour", "منصور")]),
    "RU": (5, "ru", "ru", ["Moskau", "Machatschkala", "Grosny", "Kasan"],
           [("Aleksandr", "Александр"), ("Magomed", "Магомед"), ("Ruslan", "Руслан"), ("Dmitri", "Дмитрий")],
           [("Olga", "Ольга"), ("Madina", "Мадина"), ("Svetlana", "Светлана"), ("Aminat", "Аминат")],
           [("Ivanov", "Иванов"), ("Magomedov", "Магомедов"), ("Kadyrov", "Кадыров"), ("Petrov", "Петров")]),
    "IR": (4, "fa", "fa", ["Teheran", "Maschhad", "Isfahan", "Schiras"],
           [("Reza", "رضا"), ("Amir", "امیر"), ("Hossein", "حسین"), ("Mehdi", "مهدی")],
           [("Sara", "سارا"), ("Narges", "نرگس"), ("Leila", "لیلا"), ("Mina", "مینا")],
           [("Hosseini", "حسینی"), ("Karimi", "کریمی"), ("Moradi", "مرادی"), ("Jafari", "جعفری")]),
    "MK": (3, "mk sq", "de", ["Skopje", "Tetovo", "Kumanovo"],
           [("Bujar", ""), ("Stefan", "Стефан"), ("Arben", "")],
           [("Elena", "Елена"), ("Arta", ""), ("Marija", "Марија")],
           [("Ismaili", ""), ("Stojanovski", "Стојановски"), ("Ademi", "")]),
    "AL": (3, "sq", "de", ["Tirana", "Shkodër", "Durrës"],
           [("Erion", ""), ("Klodian", ""), ("Besnik", "")],
           [("Elira", ""), ("Anila", ""), ("Blerta", "")],
           [("Hoxha", ""), ("Shehu", ""), ("Krasniqi", "")]),
    "AZ": (2, "az ru", "ru", ["Baku", "Gəncə"],
           [("Elvin", ""), ("Rashad", "")],
           [("Aysel", ""), ("Leyla", "")],
           [("Mammadov", ""), ("Aliyev", "")]),
    "NG": (1, "en", "en", ["Lagos", "Benin City"],
           [("Chinedu", ""), ("Emeka", "")],
           [("Ngozi", ""), ("Blessing", "")],
           [("Okafor", ""), ("Eze", "")]),
}  # fmt: skip

STAGE_WEIGHTS = {
    Stage.FIRST_CONTACT: 18,
    Stage.COUNSELLING: 40,
    Stage.ROADMAP_DEVELOPMENT: 30,
    Stage.GOALS_AGREED: 20,
    Stage.ROADMAP_SHARED: 18,
    Stage.DEPARTED: 14,
    Stage.COACHING: 22,
    Stage.CLOSED: 20,
    Stage.WITHDRAWN: 8,
}
WITHDRAWAL_REASONS = [
    "Aufenthaltserlaubnis erteilt, Rückkehr nicht mehr geplant.",
    "Teilnehmerin ist in ein anderes Bundesland verzogen.",
    "Hat sich entschieden, zunächst in Deutschland zu bleiben.",
    "Kein Kontakt mehr seit mehreren Monaten.",
]
NOTES = [
    "Kommt in der Regel mit der Schwester, die übersetzt; für vertrauliche Themen Dolmetscherin buchen.",
    "Telefonisch nur vormittags erreichbar (Schichtarbeit).",
    "Wünscht Termine möglichst nicht montags wegen Meldepflicht bei der Ausländerbehörde.",
    "Pass abgelaufen, Botschaftstermin wird angefragt.",
    "Hat bereits Kontakt zu einer Rückkehrberatung in Sachsen gehabt, Unterlagen liegen vor.",
    "Kinder besuchen Grundschule bzw. Kita in Erfurt; Schulabmeldung vor Ausreise bedenken.",
]
REFERRAL_DETAILS = {
    "foreigners_authority": "Ausländerbehörde Erfurt, Sachbearbeitung Rückkehr",
    "reception_centre": "Erstaufnahmeeinrichtung Suhl",
    "migration_counselling": "Migrationsberatung für Erwachsene (MBE)",
    "social_services": "Sozialdienst der Gemeinschaftsunterkunft",
}
STREETS = ["Magdeburger Allee", "Juri-Gagarin-Ring", "Johannesstraße", "Leipziger Straße", "Nordstrand",
           "Am Herrenberg", "Rieth", "Moskauer Platz", "Berliner Platz", "Hauptstraße", "Bahnhofstraße"]  # fmt: skip


def load(ctx: DemoContext) -> None:
    erfurt_counsellors = [ctx.users["beratung"], ctx.users["beratung3"], ctx.users["leitung"]]
    _make_cases(ctx, ctx.centres["EF"], erfurt_counsellors, count=200, postcode_prefixes=("99",))
    _make_cases(ctx, ctx.centres["GE"], [ctx.users["beratung2"]], count=15, postcode_prefixes=("07",))


def _make_cases(ctx, centre, counsellors, *, count, postcode_prefixes):
    rng = ctx.random
    postcodes = [
        p
        for code, p in thuringia_postcodes().items()
        if code.startswith(postcode_prefixes) and is_residential_postcode(code)
    ]
    countries = list(COUNTRIES)
    weights = [COUNTRIES[c][0] for c in countries]
    stages = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()), k=count)
    # The further along the stage plan, the earlier the case was opened.
    plans = []
    for stage in stages:
        progress = STAGE_PATH.index(stage) if stage in STAGE_PATH else rng.randint(1, 3)
        opened = ctx.days(-rng.randint(5 + progress * 35, 40 + progress * 60))
        plans.append((opened, stage))
    plans.sort(key=lambda plan: plan[0])
    for opened, stage in plans:
        country = rng.choices(countries, weights=weights)[0]
        participant = _make_participant(ctx, centre, rng.choice(counsellors), country, opened, stage, postcodes)
        ctx.participants.append(participant)


def _make_participant(ctx, centre, counsellor, country, opened, stage, postcodes):
    rng = ctx.random
    _weight, languages, document_language, regions, male, female, last_names = COUNTRIES[country]
    gender = rng.choice([Gender.MALE, Gender.MALE, Gender.FEMALE])
    first_name, first_original = rng.choice(male if gender == Gender.MALE else female)
    last_name, last_original = rng.choice(last_names)
    postcode = rng.choice(postcodes)
    date_of_birth = datetime.date(rng.randint(1962, 2005), rng.randint(1, 12), rng.randint(1, 28))
    household_plan = rng.choices(["alone", "couple", "family", "single_parent"], weights=[40, 12, 35, 13])[0]
    vulnerabilities = []
    if household_plan in ("family", "single_parent"):
        vulnerabilities.append(Vulnerability.MINORS)
    if household_plan == "single_parent":
        vulnerabilities.append(Vulnerability.SINGLE_PARENT)
    if rng.random() < 0.12:
        vulnerabilities.append(
            rng.choice([Vulnerability.SERIOUS_ILLNESS, Vulnerability.TRAUMA, Vulnerability.DISABILITY])
        )
    moment = timezone.make_aware(datetime.datetime.combine(opened, datetime.time(9 + rng.randint(0, 7), 15)))
    participant = Participant(
        centre=centre,
        case_number=case_number_next(centre=centre, year=opened.year),
        first_name=first_name,
        last_name=last_name,
        first_name_original=first_original if last_original else "",
        last_name_original=last_original if first_original else "",
        date_of_birth=date_of_birth,
        gender=gender,
        nationalities=country if rng.random() > 0.03 else "",
        is_stateless=False,
        languages=languages,
        needs_interpreter=rng.random() < 0.6,
        interpreter_language=languages.split()[0],
        preferred_language=document_language,
        street=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        postcode=postcode.code,
        city=postcode.places[0].split(",")[0],
        district=postcode.districts[0],
        phone=f"+49 15{rng.randint(1, 9)} {rng.randint(1000000, 9999999)}",
        residence_status=rng.choice(
            [
                ResidenceStatus.DULDUNG,
                ResidenceStatus.DULDUNG,
                ResidenceStatus.GESTATTUNG,
                ResidenceStatus.OBLIGED_TO_LEAVE,
                ResidenceStatus.RESIDENCE_PERMIT,
                ResidenceStatus.FICTION_CERTIFICATE,
            ]
        ),  # fmt: skip
        assigned_counsellor=counsellor,
        referral_source=(referral := rng.choice(ReferralSource.values)),
        referral_source_detail=REFERRAL_DETAILS.get(referral, "") if rng.random() < 0.5 else "",
        notes=rng.choice(NOTES) if rng.random() < 0.3 else "",
        vulnerabilities=" ".join(vulnerabilities),
        return_country=country,
        return_region=rng.choice(regions),
        eligibility_evidence=rng.choice(
            [EligibilityEvidence.PASSPORT, EligibilityEvidence.RESIDENCE_DOCUMENT, EligibilityEvidence.REGISTRATION]
        ),
        eligibility_checked_at=moment,
        eligibility_checked_by=counsellor,
        stage=stage,
        stage_changed_at=moment,
        opened_on=opened,
        created_by=counsellor,
        last_contact_on=min(ctx.today, opened + datetime.timedelta(days=rng.randint(0, 90))),
    )
    if not participant.nationalities:
        participant.is_stateless = True  # e.g. a Bidoon from Iraq or a Kurd without papers from Syria
    if stage in (Stage.GOALS_AGREED, Stage.ROADMAP_SHARED):
        participant.planned_departure = ctx.days(rng.randint(20, 120))
    if stage in (Stage.DEPARTED, Stage.COACHING, Stage.CLOSED):
        participant.departure_date = min(ctx.days(-3), opened + datetime.timedelta(days=rng.randint(90, 200)))
        participant.planned_departure = participant.departure_date
    if stage == Stage.WITHDRAWN:
        participant.withdrawal_reason = rng.choice(WITHDRAWAL_REASONS)
    if stage in (Stage.CLOSED, Stage.WITHDRAWN):
        participant.closed_on = min(ctx.today, opened + datetime.timedelta(days=rng.randint(120, 400)))
    participant.name_keys = name_keys(first_name, last_name, participant.first_name_original,
                                      participant.last_name_original)  # fmt: skip
    participant.save()
    _make_household(rng, participant, household_plan, country, opened)
    _make_history(ctx, participant, counsellor, moment)
    return participant


def _make_household(rng, participant, plan, country, opened):
    _weight, _languages, _document_language, _regions, male, female, _last_names = COUNTRIES[country]
    members = []
    if plan in ("couple", "family"):
        spouse_pool = female if participant.gender == Gender.MALE else male
        members.append((rng.choice(spouse_pool)[0], Relationship.SPOUSE,
                        participant.date_of_birth + datetime.timedelta(days=rng.randint(-1500, 1500))))  # fmt: skip
    if plan in ("family", "single_parent"):
        for _ in range(rng.randint(1, 4)):
            born = datetime.date(rng.randint(max(participant.date_of_birth.year + 18, 2008), 2025),
                                 rng.randint(1, 12), rng.randint(1, 28))  # fmt: skip
            born = min(born, opened)
            members.append((rng.choice(male + female)[0], Relationship.CHILD, born))
    for first_name, relationship, born in members:
        HouseholdMember.objects.create(
            participant=participant,
            first_name=first_name,
            last_name=participant.last_name,
            date_of_birth=born,
            relationship=relationship,
            nationality=country,
            gender=Gender.UNKNOWN,
        )


def _make_history(ctx, participant, counsellor, opened_at):
    """Timeline entries for the way along the stage plan, backdated."""
    events = [CaseEvent(participant=participant, kind="case_opened", actor=counsellor, at=opened_at)]
    path = STAGE_PATH[: STAGE_PATH.index(participant.stage) + 1] if participant.stage in STAGE_PATH else STAGE_PATH[:2]
    at = opened_at
    previous = path[0]
    for stage in path[1:]:
        at = min(at + datetime.timedelta(days=ctx.random.randint(5, 40)), timezone.now())
        events.append(CaseEvent(participant=participant, kind="stage_changed", actor=counsellor, at=at,
                                data={"old": previous, "new": stage}))  # fmt: skip
        previous = stage
    if participant.stage == Stage.WITHDRAWN:
        events.append(CaseEvent(participant=participant, kind="stage_changed", actor=counsellor,
                                at=min(at + datetime.timedelta(days=20), timezone.now()),
                                data={"old": previous, "new": Stage.WITHDRAWN}))  # fmt: skip
    CaseEvent.objects.bulk_create(events)
    participant.stage_changed_at = events[-1].at
    Participant.objects.filter(pk=participant.pk).update(stage_changed_at=participant.stage_changed_at)
