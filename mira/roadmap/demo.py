"""Demo roadmaps in every state: drafts (one still empty), agreed versions, a revision in
progress, a superseded version, roadmaps shared with the Georgian partner and with German
authorities, and roadmaps of departed cases with goals reached and missed. Participants
whose document language is Arabic, Persian or Russian get the goal titles in their
language, so their PDFs show those scripts.

Everything goes through the services (the same rules as in real use); dates are moved
into the past afterwards, because the services stamp everything with today.
"""

import base64
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mira.core.demo import DemoContext
from mira.participants.models import CaseEvent, Stage
from mira.privacy.models import ConsentPurpose
from mira.privacy.selectors import consent_is_valid
from mira.roadmap import services
from mira.roadmap.models import (
    AgreementMethod,
    Goal,
    GoalOwner,
    GoalStatus,
    GoalStatusChange,
    Phase,
    RecipientKind,
    RoadmapShare,
    RoadmapVersion,
)
from mira.roadmap.selectors import offer_suggestions

# title (German), measure, owner, phase, translations (en, ar, fa, ru, tr)
GOALS = {
    "passport": (
        "Reisepass bei der Botschaft beantragen", "Gültiger Reisepass liegt vor", GoalOwner.PARTICIPANT,
        Phase.BEFORE_DEPARTURE,
        {"en": "Apply for a passport at the embassy", "ar": "التقدم بطلب جواز سفر لدى السفارة",
         "fa": "درخواست گذرنامه از سفارت", "ru": "Подать заявление на паспорт в посольстве",
         "tr": "Büyükelçilikten pasaport başvurusu yapmak"},
    ),
    "certificates": (
        "Zeugnisse übersetzen und beglaubigen lassen", "Beglaubigte Übersetzungen liegen vor", GoalOwner.COUNSELLOR,
        Phase.BEFORE_DEPARTURE,
        {"en": "Have certificates translated and certified", "ar": "ترجمة الشهادات وتصديقها",
         "fa": "ترجمه و تأیید مدارک تحصیلی", "ru": "Перевести и заверить дипломы и справки",
         "tr": "Diplomaları tercüme ettirip onaylatmak"},
    ),
    "seminar": (
        "Gründungsseminar in Erfurt besuchen", "Teilnahmebescheinigung liegt vor", GoalOwner.PARTICIPANT,
        Phase.BEFORE_DEPARTURE,
        {"en": "Attend the business start-up seminar in Erfurt", "ar": "حضور دورة تأسيس المشاريع في إرفورت",
         "fa": "شرکت در دوره آموزشی راه‌اندازی کسب‌وکار در ارفورت",
         "ru": "Пройти семинар для начинающих предпринимателей в Эрфурте",
         "tr": "Erfurt'ta girişimcilik seminerine katılmak"},
    ),
    "reag": (
        "REAG/GARP-Antrag stellen", "Antrag ist bei der Bewilligungsstelle eingegangen", GoalOwner.COUNSELLOR,
        Phase.BEFORE_DEPARTURE,
        {"en": "Submit the REAG/GARP application", "ar": "تقديم طلب REAG/GARP", "fa": "ارائه درخواست REAG/GARP",
         "ru": "Подать заявление REAG/GARP", "tr": "REAG/GARP başvurusunu yapmak"},
    ),
    "flight": (
        "Flug buchen und Reiseunterlagen zusammenstellen", "Ticket und Grenzübertrittsbescheinigung liegen vor",
        GoalOwner.COUNSELLOR, Phase.TRAVEL,
        {"en": "Book the flight and gather the travel documents", "ar": "حجز الرحلة وتجهيز وثائق السفر",
         "fa": "رزرو پرواز و آماده کردن مدارک سفر", "ru": "Забронировать рейс и собрать документы для поездки",
         "tr": "Uçuş rezervasyonu yapmak ve seyahat belgelerini hazırlamak"},
    ),
    "pickup": (
        "Abholung am Flughafen organisieren", "Partner bestätigt die Abholung", GoalOwner.PARTNER, Phase.TRAVEL,
        {"en": "Arrange pick-up at the airport", "ar": "ترتيب الاستقبال في المطار", "fa": "هماهنگی استقبال در فرودگاه",
         "ru": "Организовать встречу в аэропорту", "tr": "Havalimanında karşılamayı organize etmek"},
    ),
    "flat": (
        "Eine Wohnung finden", "Mietvertrag liegt vor", GoalOwner.PARTICIPANT, Phase.FIRST_MONTHS,
        {"en": "Find a flat", "ar": "إيجاد سكن", "fa": "پیدا کردن مسکن", "ru": "Найти жильё", "tr": "Bir ev bulmak"},
    ),
    "coach": (
        "Erstgespräch mit dem Reintegrationscoach führen", "Gesprächsnotiz des Partners liegt vor", GoalOwner.PARTNER,
        Phase.FIRST_MONTHS,
        {"en": "Hold the first meeting with the reintegration coach",
         "ar": "إجراء المقابلة الأولى مع مدرب إعادة الإدماج", "fa": "جلسه اول با مربی بازگشت و ادغام",
         "ru": "Провести первую встречу с коучем по реинтеграции",
         "tr": "Yeniden entegrasyon koçuyla ilk görüşmeyi yapmak"},
    ),
    "business": (
        "Gewerbe anmelden", "Registrierung beim Steueramt liegt vor", GoalOwner.PARTICIPANT, Phase.FIRST_MONTHS,
        {"en": "Register the business", "ar": "تسجيل النشاط التجاري", "fa": "ثبت کسب‌وکار",
         "ru": "Зарегистрировать предприятие", "tr": "İşletme kaydı yaptırmak"},
    ),
    "school": (
        "Kinder in der Schule anmelden", "Schulbescheinigung liegt vor", GoalOwner.PARTICIPANT, Phase.FIRST_MONTHS,
        {"en": "Enrol the children at school", "ar": "تسجيل الأطفال في المدرسة", "fa": "ثبت‌نام فرزندان در مدرسه",
         "ru": "Записать детей в школу", "tr": "Çocukları okula kaydettirmek"},
    ),
    "equipment": (
        "Sachhilfe (Werkzeug und Ausstattung) erhalten und einsetzen", "Empfangsbestätigung und Foto der Ausstattung",
        GoalOwner.PARTNER, Phase.LATER_MONTHS,
        {"en": "Receive the in-kind aid (tools and equipment) and put it to use",
         "ar": "استلام المساعدة العينية (الأدوات والمعدات) واستخدامها",
         "fa": "دریافت کمک غیرنقدی (ابزار و تجهیزات) و استفاده از آن",
         "ru": "Получить материальную помощь (инструменты и оборудование) и начать её использовать",
         "tr": "Ayni yardımı (alet ve ekipman) almak ve kullanmaya başlamak"},
    ),
    "income": (
        "Erste Einnahmen aus der eigenen Tätigkeit erzielen", "Einnahmen über drei Monate belegt",
        GoalOwner.PARTICIPANT, Phase.LATER_MONTHS,
        {"en": "Earn the first income from own work", "ar": "تحقيق أول دخل من العمل الخاص",
         "fa": "کسب اولین درآمد از کار خود", "ru": "Получить первый доход от собственного дела",
         "tr": "Kendi işinden ilk gelirini elde etmek"},
    ),
    "job": (
        "Feste Arbeitsstelle antreten", "Arbeitsvertrag liegt vor", GoalOwner.PARTICIPANT, Phase.LATER_MONTHS,
        {"en": "Start a permanent job", "ar": "بدء عمل ثابت", "fa": "شروع به کار در یک شغل ثابت",
         "ru": "Выйти на постоянную работу", "tr": "Kalıcı bir işe başlamak"},
    ),
}  # fmt: skip
PLANS = [
    ["passport", "reag", "flight", "pickup", "coach", "business", "equipment", "income"],
    ["certificates", "passport", "flight", "flat", "coach", "job"],
    ["seminar", "reag", "flight", "pickup", "business", "income"],
    ["passport", "flight", "flat", "school", "coach", "job"],
]
SITUATIONS = [
    "Lebt seit drei Jahren in einer Gemeinschaftsunterkunft, Duldung läuft in vier Monaten aus. "
    "Möchte selbstbestimmt zurückkehren, bevor eine Abschiebung droht.",
    "Wohnt mit der Familie in einer eigenen Wohnung, arbeitet in Teilzeit in einer Reinigungsfirma. "
    "Die Eltern im Herkunftsland sind krank und brauchen Unterstützung.",
    "Asylantrag abgelehnt, Klage ohne Aussicht auf Erfolg zurückgenommen. "
    "Hat in Deutschland einen Sprachkurs (A2) abgeschlossen.",
    "Lebt allein, gesundheitlich stabil. Hat Kontakt zu Geschwistern am Rückkehrort, die eine Unterkunft anbieten.",
]
PROFESSIONAL = [
    "Möchte eine eigene Kfz-Werkstatt eröffnen; hat in Deutschland in einer Werkstatt ausgeholfen.",
    "Möchte im Online-Handel mit Kleidung und Textilien selbstständig werden.",
    "Sucht eine feste Stelle in der Gastronomie, gern in einem Hotel.",
    "Möchte als IT-Support-Techniker arbeiten oder einen kleinen Reparaturdienst für Handys gründen.",
    "Möchte den landwirtschaftlichen Betrieb der Familie modernisieren (Gewächshaus).",
]
PERSONAL = [
    "Nähe zur Familie, ein sicheres Zuhause für die Kinder.",
    "Gesundheitliche Versorgung der Mutter sicherstellen.",
    "Wieder in der eigenen Sprache und Kultur leben, Freundeskreis neu aufbauen.",
    "Eine eigene Wohnung und ein regelmäßiges Einkommen.",
]
QUALIFICATIONS = [
    "Berufsschule (Kfz-Mechanik), zehn Jahre Berufserfahrung; Führerschein Klasse B.",
    "Abitur, zwei Semester Betriebswirtschaft; Erfahrung im Verkauf.",
    "Ausbildung als Koch, Praktikum in einem Erfurter Hotel.",
    "Selbst erlernte IT-Kenntnisse, Zertifikat eines Online-Kurses (Netzwerktechnik).",
    "Erfahrung in Landwirtschaft und Tierhaltung; Deutschkenntnisse A2.",
]
SECTORS = ["crafts", "e_commerce textiles", "gastronomy", "it", "agriculture"]
PARTNER_COMMENTS = [
    "Teilnehmer war pünktlich beim Termin, sehr motiviert.",
    "Unterlagen geprüft und Kopie in unserer Akte abgelegt.",
    "Gemeinsam mit dem Vermieter besichtigt, Vertrag unterschrieben.",
]
MISSED_REASONS = [
    "Der Termin bei der Behörde wurde zweimal verschoben; neuer Termin ist beantragt.",
    "Es fehlten Unterlagen; sie werden nachgereicht.",
    "Teilnehmerin war mehrere Wochen krank.",
]
EVIDENCE = ["Original eingesehen, Kopie in der Fallakte.", "Per E-Mail bestätigt.", "Im Beratungsgespräch vorgelegt."]
PARTNER_EVIDENCE = ["Vom Coach vor Ort bestätigt.", "Foto und Bestätigung liegen beim Partner vor."]
GERMAN_BODIES = ["Ausländerbehörde Erfurt", "Ausländerbehörde Landkreis Gotha", "Jobcenter Erfurt", "Sozialamt Weimar"]

LIMITS = {"draft": 10, "agreed": 10, "shared": 10, "after_departure": 12}
GEORGIAN_SHARED = 6


def load(ctx: DemoContext) -> None:
    partner = ctx.users.get("partner")
    georgian_partner = ctx.extra.get("georgian_partner")
    organisations = list((ctx.extra.get("network_organisations") or {}).values())
    counts = dict.fromkeys(LIMITS, 0)
    # Georgian cases first, so that several roadmaps are shared with the partner account's organisation.
    ordered = sorted(ctx.participants, key=lambda participant: participant.return_country != "GE")
    georgian = 0
    for participant in ordered:
        group = _group_of(participant.stage)
        if group is None:
            continue
        if participant.return_country == "GE" and group in ("shared", "after_departure") and georgian < GEORGIAN_SHARED:
            georgian += 1
        elif counts[group] >= LIMITS[group]:
            continue
        counts[group] += 1
        _make_roadmap(ctx, participant, group, counts[group], partner, georgian_partner, organisations)


def _group_of(stage: str) -> str | None:
    return {
        Stage.ROADMAP_DEVELOPMENT: "draft",
        Stage.GOALS_AGREED: "agreed",
        Stage.ROADMAP_SHARED: "shared",
        Stage.DEPARTED: "after_departure",
        Stage.COACHING: "after_departure",
    }.get(stage)


def _make_roadmap(ctx, participant, group, index, partner, georgian_partner, organisations):
    rng = ctx.random
    counsellor = participant.assigned_counsellor
    version = services.roadmap_start(participant=participant, actor=counsellor)
    if group == "draft" and index == 1:
        _backdate(ctx, participant, version, started=ctx.days(-2), agreed=None)
        return  # a draft just started: nothing filled in yet
    choice = rng.randrange(len(PROFESSIONAL))
    household = participant.household_members.count()
    services.roadmap_content_update(
        version=version,
        data={
            "current_situation": rng.choice(SITUATIONS),
            "professional_wishes": PROFESSIONAL[choice],
            "personal_wishes": rng.choice(PERSONAL),
            "family_situation": (
                f"Reist mit {household} Familienangehörigen zurück." if household else "Reist allein zurück."
            ),
            "qualifications": QUALIFICATIONS[choice],
            "wished_sectors": SECTORS[choice],
            "destination_city": participant.return_region,
        },
        actor=counsellor,
    )
    partner_organisation = _coaching_partner(participant, georgian_partner, organisations)
    plan = PLANS[index % len(PLANS)]
    if group == "draft":
        plan = plan[: 1 + index % 4]
    if not participant.household_members.filter(relationship="child").exists():
        plan = [key for key in plan if key != "school"]
    for key in plan:
        _goal_add(version, key, participant, partner_organisation, counsellor)
    for offer in offer_suggestions(version, limit=1 + index % 2):
        services.roadmap_offer_add(version=version, offer=offer, actor=counsellor)
    started = min(ctx.today, participant.opened_on + datetime.timedelta(days=rng.randint(20, 40)))
    if group == "draft":
        _backdate(ctx, participant, version, started=started, agreed=None)
        return

    version = _agree(ctx, version, counsellor, paper=index % 3 == 0)
    agreed_on = min(ctx.days(-3), started + datetime.timedelta(days=rng.randint(7, 30)))
    if group == "agreed" and index == 2:
        # A revision in progress: version 2 is being drafted while version 1 stays valid.
        _backdate(ctx, participant, version, started=started, agreed=agreed_on)
        draft = services.roadmap_revision_start(roadmap=version.roadmap, actor=counsellor)
        services.roadmap_content_update(
            version=draft,
            data={"professional_wishes": version.professional_wishes + " Zusätzlich Interesse an einem Sprachkurs."},
            actor=counsellor,
        )
        _goal_add(draft, "certificates", participant, partner_organisation, counsellor)
        return
    if group == "agreed" and index == 3:
        # Agreed twice: version 1 superseded by version 2 (for comparing versions).
        _backdate(ctx, participant, version, started=started, agreed=agreed_on)
        draft = services.roadmap_revision_start(roadmap=version.roadmap, actor=counsellor)
        first_goal = draft.goals.order_by("position").first()
        first_goal.measure = first_goal.measure + " (Kopie in der Fallakte)"
        services.goal_save(goal=first_goal, actor=counsellor)
        _goal_add(draft, "job", participant, partner_organisation, counsellor)
        version = _agree(ctx, draft, counsellor, paper=False)
        agreed_on = min(ctx.days(-1), agreed_on + datetime.timedelta(days=14))
    _backdate(ctx, participant, version, started=started, agreed=agreed_on)

    if group in ("shared", "after_departure") or (group == "agreed" and participant.return_country == "GE"):
        _share(ctx, version, participant, counsellor, georgian_partner, agreed_on)
    if group == "after_departure":
        _progress(ctx, version, participant, counsellor, partner, agreed_on)
    elif partner and version.shares.filter(organisation=partner.partner_organisation).exists():
        # The coach abroad has already started on the goals of its organisation.
        goal = version.goals.filter(owner_organisation=partner.partner_organisation).order_by("due_on").first()
        if goal:
            services.goal_status_set(
                goal=goal,
                status=GoalStatus.IN_PROGRESS,
                comment="Kontakt per Telefon aufgenommen, Termin nach der Ankunft vereinbart.",
                organisation=partner.partner_organisation,
                actor=partner,
            )
    elif group in ("agreed", "shared") and index % 2 == 0:
        goal = version.goals.order_by("due_on", "position").first()
        services.goal_status_set(
            goal=goal, status=GoalStatus.IN_PROGRESS, comment="Termin ist vereinbart.", actor=counsellor
        )


def _coaching_partner(participant, georgian_partner, organisations):
    if participant.return_country == "GE" and georgian_partner is not None:
        return georgian_partner
    for organisation in organisations:
        if organisation.country == participant.return_country and organisation.coaches_after_return:
            return organisation
    return None


def _goal_add(version, key, participant, partner_organisation, counsellor) -> Goal:
    title, measure, owner, phase, translations = GOALS[key]
    if owner == GoalOwner.PARTNER and partner_organisation is None:
        owner = GoalOwner.COUNSELLOR
    goal = Goal(
        version=version,
        phase=phase,
        title=title,
        title_translated=translations.get(participant.preferred_language, ""),
        measure=measure,
        owner=owner,
        owner_organisation=partner_organisation if owner == GoalOwner.PARTNER else None,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    return services.goal_save(goal=goal, actor=counsellor)


def _signature_png(seed: int) -> str:
    """A synthetic squiggle standing in for a signature drawn on the tablet."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 180), "white")
    draw = ImageDraw.Draw(image)
    points = [(40 + step * 26, 110 - ((step * 37 + seed * 11) % 60)) for step in range(20)]
    draw.line(points, fill=(20, 33, 61), width=4, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _agree(ctx, version, counsellor, *, paper: bool) -> RoadmapVersion:
    from mira.documents.samples import tiny_pdf

    participant = version.roadmap.participant
    if paper:
        return services.roadmap_agree(
            version=version,
            agreed_on=timezone.localdate(),
            method=AgreementMethod.PAPER,
            participant_signed=True,
            counsellor_signed=True,
            signed_file=SimpleUploadedFile(
                f"Fahrplan_{participant.case_number}_v{version.number}.pdf",
                tiny_pdf(f"MIRA-Fahrplan {participant.case_number} Version {version.number} - unterschrieben"),
            ),
            actor=counsellor,
        )
    return services.roadmap_agree(
        version=version,
        agreed_on=timezone.localdate(),
        method=AgreementMethod.TABLET,
        participant_signed=True,
        counsellor_signed=True,
        participant_signature=_signature_png(participant.pk),
        counsellor_signature=_signature_png(counsellor.pk + 7),
        actor=counsellor,
    )


def _share(ctx, version, participant, counsellor, georgian_partner, agreed_on):
    partner_consents = all(
        consent_is_valid(participant=participant, purpose=purpose)
        for purpose in (ConsentPurpose.PARTNER_SHARING, ConsentPurpose.SECRECY_RELEASE)
    )
    if participant.return_country == "GE" and georgian_partner is not None and partner_consents:
        share = services.roadmap_share(
            version=version,
            recipient_kind=RecipientKind.PARTNER,
            organisation=georgian_partner,
            purpose="Reintegrationscoaching nach der Rückkehr",
            actor=counsellor,
        )
        _backdate_share(ctx, share, agreed_on)
        return
    if not consent_is_valid(participant=participant, purpose=ConsentPurpose.SECRECY_RELEASE):
        from mira.privacy.services import consent_record

        consent_record(
            participant=participant,
            purpose=ConsentPurpose.SECRECY_RELEASE,
            given_on=agreed_on,
            language=participant.preferred_language,
            notes="Schweigepflichtentbindung für die Weitergabe des Fahrplans an die Ausländerbehörde.",
            actor=counsellor,
        )
    share = services.roadmap_share(
        version=version,
        recipient_kind=RecipientKind.GERMAN_BODY,
        recipient_name=ctx.random.choice(GERMAN_BODIES),
        purpose="Nachweis der geplanten freiwilligen Ausreise",
        pdf_handed_over=True,
        actor=counsellor,
    )
    _backdate_share(ctx, share, agreed_on)
    if ctx.random.random() < 0.15:
        services.roadmap_share_revoke(
            share=share,
            reason="Versehentlich an die falsche Stelle gegeben; die Stelle hat das PDF zurückgegeben.",
            actor=counsellor,
        )


def _progress(ctx, version, participant, counsellor, partner, agreed_on):
    """Departed cases: early goals reached (some missed), later ones in progress or open;
    the partner's coach records progress on the goals of its organisation."""
    rng = ctx.random
    departure = participant.departure_date or agreed_on + datetime.timedelta(days=30)
    offsets = {
        Phase.BEFORE_DEPARTURE: (-25, -5),
        Phase.TRAVEL: (-2, 0),
        Phase.FIRST_MONTHS: (30, 90),
        Phase.LATER_MONTHS: (120, 330),
    }
    shared_with_partner = (
        bool(partner)
        and version.shares.filter(organisation_id=partner.partner_organisation_id, revoked_at__isnull=True).exists()
    )
    for goal in version.goals.order_by("position"):
        low, high = offsets[goal.phase]
        due_on = departure + datetime.timedelta(days=rng.randint(low, high))
        Goal.objects.filter(pk=goal.pk).update(due_on=due_on)
        goal.due_on = due_on
        by_partner = bool(
            goal.owner == GoalOwner.PARTNER
            and partner
            and goal.owner_organisation_id == partner.partner_organisation_id
            and shared_with_partner
        )
        actor = partner if by_partner else counsellor
        organisation = partner.partner_organisation if by_partner else None
        if due_on < ctx.today:
            if by_partner or rng.random() < 0.8:
                services.goal_status_set(
                    goal=goal,
                    status=GoalStatus.REACHED,
                    evidence_note=rng.choice(PARTNER_EVIDENCE if by_partner else EVIDENCE),
                    comment=rng.choice(PARTNER_COMMENTS) if by_partner else "",
                    organisation=organisation,
                    actor=actor,
                )
            else:
                services.goal_status_set(
                    goal=goal, status=GoalStatus.MISSED, reason=rng.choice(MISSED_REASONS), actor=counsellor
                )
        elif by_partner or (due_on < ctx.days(60) and rng.random() < 0.6):
            services.goal_status_set(
                goal=goal,
                status=GoalStatus.IN_PROGRESS,
                comment=rng.choice(PARTNER_COMMENTS) if by_partner else "",
                organisation=organisation,
                actor=actor,
            )
    moment = _moment(ctx, min(ctx.today, departure + datetime.timedelta(days=20)))
    GoalStatusChange.objects.filter(goal__version=version).update(at=moment)
    Goal.objects.filter(version=version, status_changed_at__isnull=False).update(status_changed_at=moment)
    CaseEvent.objects.filter(participant=participant, kind="roadmap_goal_status").update(at=moment)


def _moment(ctx, day: datetime.date) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10 + ctx.random.randint(0, 6), 15)))
    return min(moment, timezone.now())


def _backdate(ctx, participant, version, *, started, agreed):
    """The services stamp everything with the present; the demo tells a story over past months.
    Only rows stamped today are moved, so a later version can be dated after an earlier one."""
    today_start = timezone.make_aware(datetime.datetime.combine(ctx.today, datetime.time.min))
    start_moment = _moment(ctx, started)
    roadmap = version.roadmap
    type(roadmap).objects.filter(pk=roadmap.pk, created_at__gte=today_start).update(created_at=start_moment)
    RoadmapVersion.objects.filter(roadmap=roadmap, created_at__gte=today_start).update(created_at=start_moment)
    CaseEvent.objects.filter(participant=participant, kind="roadmap_started").update(at=start_moment)
    if agreed is None:
        return
    agreed_moment = _moment(ctx, agreed)
    fresh = list(RoadmapVersion.objects.filter(roadmap=roadmap, agreed_at__gte=today_start))
    RoadmapVersion.objects.filter(pk__in=[item.pk for item in fresh]).update(agreed_on=agreed, agreed_at=agreed_moment)
    CaseEvent.objects.filter(participant=participant, kind="roadmap_agreed", at__gte=today_start).update(
        at=agreed_moment
    )
    # Goals agreed then fall due in the months around the departure.
    departure = participant.departure_date or participant.planned_departure or agreed + datetime.timedelta(days=60)
    days = {Phase.BEFORE_DEPARTURE: -14, Phase.TRAVEL: 0, Phase.FIRST_MONTHS: 60, Phase.LATER_MONTHS: 240}
    for goal in Goal.objects.filter(version__in=fresh):
        due_on = max(agreed + datetime.timedelta(days=7), departure + datetime.timedelta(days=days[goal.phase]))
        Goal.objects.filter(version__roadmap=roadmap, key=goal.key).update(due_on=due_on)


def _backdate_share(ctx, share: RoadmapShare, agreed_on: datetime.date) -> None:
    moment = _moment(ctx, min(ctx.today, agreed_on + datetime.timedelta(days=2)))
    RoadmapShare.objects.filter(pk=share.pk).update(shared_at=moment)
    CaseEvent.objects.filter(participant=share.version.roadmap.participant, kind="roadmap_shared").update(at=moment)
