"""Demo in-kind aid: budgets for this year, requests in every state on Erfurt cases (and one
in Gera), one participant close to the cap, payments with and without receipts.

Everything goes through the services (cap, budget, four eyes, audit trail, timeline) and is
then dated back into the last weeks, so lists and timelines look like real work."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mira.aid.models import AidCategory, AidProof, AidRequest, AidStatus, AidTransition, Budget, FundingSource
from mira.aid.selectors import roadmap_goals_for
from mira.aid.services import aid_proof_add, aid_request_save, aid_request_transition
from mira.core.demo import DemoContext
from mira.documents.models import Document
from mira.participants.models import CaseEvent, Stage

SOURCES = [("amif", "AMIF"), ("land-thueringen", "Land Thüringen")]
# centre code -> (AMIF, Land Thüringen) for this year
BUDGETS = {"EF": (Decimal("60000.00"), Decimal("25000.00")), "GE": (Decimal("15000.00"), Decimal("8000.00"))}
LAST_YEAR_EF = (Decimal("55000.00"), Decimal("22000.00"))

T, S, TR, H, TP, OT = (AidCategory.TOOLS, AidCategory.STOCK, AidCategory.TRAINING, AidCategory.HOUSEHOLD,
                      AidCategory.TRANSPORT, AidCategory.OTHER)  # fmt: skip

# (final status, funding source code, justification, items [(category, description, amount, supplier)], note)
SCENARIOS = [
    (AidStatus.DRAFT, "", "Eröffnung einer kleinen Änderungsschneiderei in der Heimatstadt.",
     [(T, "Industrienähmaschine mit Tisch", "289.00", "Nähwelt Erfurt"), (S, "Stoffe, Garne und Reißverschlüsse", "120.00", "Stoffmarkt Holland")], ""),
    (AidStatus.SUBMITTED, "amif", "Selbstständigkeit als Kfz-Mechaniker; Werkzeug fehlt vollständig.",
     [(T, "Werkzeugsatz Kfz (218 Teile) im Koffer", "349.90", "Werkzeughandel Thüringen"), (T, "Drehmomentschlüssel", "89.00", "Werkzeughandel Thüringen")], ""),
    (AidStatus.SUBMITTED, "land-thueringen", "Familie mit drei Kindern; Erstausstattung der Wohnung nach der Rückkehr.",
     [(H, "Kühlschrank", "240.00", "Elektro Mayer"), (H, "Zweiplatten-Kochfeld", "65.00", "Elektro Mayer"), (TP, "Versand per Spedition", "75.00", "Spedition Kaukasus")], ""),
    (AidStatus.APPROVED, "amif", "Friseursalon im Wohnhaus der Familie; Ziel 3 des Fahrplans.",
     [(T, "Friseurstuhl hydraulisch", "210.00", "Salonbedarf Jena"), (T, "Scheren, Haarschneidemaschine, Föhn", "185.00", "Salonbedarf Jena"), (S, "Farben und Pflegeprodukte", "125.00", "Salonbedarf Jena")], ""),
    (AidStatus.REJECTED, "", "Smartphone für die Kommunikation mit Kundschaft.",
     [(OT, "Smartphone", "349.00", "Elektronikmarkt")], "Kein Bezug zu einem Ziel des Fahrplans. Bitte mit dem Geschäftsplan neu beantragen."),
    (AidStatus.ORDERED, "land-thueringen", "Gemüseanbau im Gewächshaus auf dem Grundstück der Eltern.",
     [(T, "Gewächshausfolie 8 × 20 m", "260.00", "Agrarbedarf Sömmerda"), (T, "Tropfbewässerung Set", "190.00", "Agrarbedarf Sömmerda"), (S, "Saatgut und Jungpflanzen", "160.00", "Gärtnerei Blumenthal")], ""),
    (AidStatus.PAID, "amif", "Verkaufsstand auf dem Wochenmarkt für Obst und Gemüse.",
     [(T, "Marktstand mit Dach, klappbar", "380.00", "Marktbedarf Weimar"), (T, "Waage geeicht", "100.00", "Marktbedarf Weimar")], "no-receipt"),
    (AidStatus.DELIVERED, "land-thueringen", "Imkerei als Zuverdienst; Kurs in Deutschland abgeschlossen.",
     [(T, "Bienenbeuten (4 Stück)", "420.00", "Imkereibedarf Apolda"), (T, "Schutzanzug, Smoker, Stockmeißel", "130.00", "Imkereibedarf Apolda"), (TP, "Transport der Beuten", "150.00", "Spedition Kaukasus")], ""),
    (AidStatus.CLOSED, "amif", "Buchhaltungskurs als Grundlage für den eigenen Laden.",
     [(TR, "Kursgebühr Buchhaltung für Kleinunternehmen", "350.00", "Volkshochschule Erfurt"), (TP, "Fahrtkosten zum Kurs", "48.00", "EVAG")], ""),
    (AidStatus.CANCELLED, "", "Transport von Werkzeug ins Herkunftsland.",
     [(TP, "Paketversand 2 × 30 kg", "200.00", "Paketdienst")], "Reist früher aus; das Werkzeug wird vor Ort gekauft."),
]  # fmt: skip

# The participant close to the cap: 930 of 1,000 EUR used, a small draft still open.
NEAR_CAP = [
    (AidStatus.CLOSED, "amif", "Kleiner Lebensmittelladen: Kühltheke und Regale.",
     [(T, "Kühltheke gebraucht", "420.00", "Gastro-Gebraucht Gotha"), (T, "Regale", "160.00", "Baumarkt Erfurt")]),
    (AidStatus.DELIVERED, "land-thueringen", "Warenbestand für die Eröffnung des Ladens.",
     [(S, "Grundsortiment haltbare Lebensmittel", "350.00", "Großhandel Erfurt")]),
    (AidStatus.DRAFT, "", "Kasse für den Laden.",
     [(T, "Registrierkasse einfach", "60.00", "Bürobedarf Erfurt")]),
]  # fmt: skip

OPEN_STAGES = (Stage.GOALS_AGREED, Stage.ROADMAP_SHARED, Stage.DEPARTED, Stage.COACHING, Stage.ROADMAP_DEVELOPMENT)


def load(ctx: DemoContext) -> None:
    sources = {
        code: FundingSource.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in SOURCES
    }
    coordinator = ctx.users.get("leitung")
    finance = ctx.users.get("verwaltung")
    if coordinator is None or finance is None:
        return
    for code, amounts in BUDGETS.items():
        centre = ctx.centres.get(code)
        if centre is None:
            continue
        for source_code, amount in zip(("amif", "land-thueringen"), amounts, strict=True):
            Budget.objects.create(funding_source=sources[source_code], centre=centre, year=ctx.today.year,
                                  amount=amount, updated_by=coordinator, notes=_budget_note(source_code))  # fmt: skip
    if "EF" in ctx.centres:
        for source_code, amount in zip(("amif", "land-thueringen"), LAST_YEAR_EF, strict=True):
            Budget.objects.create(funding_source=sources[source_code], centre=ctx.centres["EF"], year=ctx.today.year - 1,
                                  amount=amount, updated_by=coordinator)  # fmt: skip

    erfurt = _open_cases(ctx, "EF")
    erfurt.sort(key=lambda participant: (OPEN_STAGES.index(participant.stage), participant.case_number))
    people = {"leitung": coordinator, "leitung2": ctx.users.get("leitung2"), "verwaltung": finance}
    for index, (status, source, justification, items, note) in enumerate(SCENARIOS):
        if index >= len(erfurt):
            return
        _make(ctx, erfurt[index], status, sources.get(source), justification, items, note, people, age=60 - index * 5)
    if len(erfurt) > len(SCENARIOS):
        near_cap = erfurt[len(SCENARIOS)]
        for number, (status, source, justification, items) in enumerate(NEAR_CAP):
            _make(ctx, near_cap, status, sources.get(source), justification, items, "", people, age=80 - number * 30)
        ctx.extra["aid_near_cap_participant"] = near_cap

    gera = _open_cases(ctx, "GE")
    if gera:
        _make(ctx, gera[0], AidStatus.SUBMITTED, sources["amif"], "Werkstatt für Handyreparaturen.",
              [(T, "Lötstation und Reparaturwerkzeug", "230.00", "Elektronikbedarf Gera")], "", people, age=4)  # fmt: skip


def _open_cases(ctx: DemoContext, code: str) -> list:
    centre = ctx.centres.get(code)
    return [p for p in ctx.participants if centre and p.centre_id == centre.pk and p.stage in OPEN_STAGES]


def _budget_note(source_code: str) -> str:
    return {"amif": "Zuwendungsbescheid AMIF, Mittel für Sachleistungen", "land-thueringen": "Landesprogramm Rückkehr"}[
        source_code
    ]


def _make(ctx, participant, status, source, justification, items, note, people, *, age: int) -> AidRequest:
    counsellor = participant.assigned_counsellor
    # Four eyes: whoever wrote the request, another coordinator decides.
    approver = people["leitung2"] if counsellor == people["leitung"] else people["leitung"]
    finance = people["verwaltung"]
    goals = roadmap_goals_for(participant=participant)
    request = AidRequest(participant=participant, justification=justification, funding_source=source,
                         roadmap_goal=goals[0] if goals else None)  # fmt: skip
    lines = [{"category": c, "description": d, "amount": Decimal(a), "supplier": s} for c, d, a, s in items]
    request = aid_request_save(request=request, items=lines, actor=counsellor)
    path = {
        AidStatus.DRAFT: [],
        AidStatus.SUBMITTED: [AidStatus.SUBMITTED],
        AidStatus.APPROVED: [AidStatus.SUBMITTED, AidStatus.APPROVED],
        AidStatus.REJECTED: [AidStatus.SUBMITTED, AidStatus.REJECTED],
        AidStatus.ORDERED: [AidStatus.SUBMITTED, AidStatus.APPROVED, AidStatus.ORDERED],
        AidStatus.PAID: [AidStatus.SUBMITTED, AidStatus.APPROVED, AidStatus.ORDERED, AidStatus.PAID],
        AidStatus.DELIVERED: [AidStatus.SUBMITTED, AidStatus.APPROVED, AidStatus.PAID, "proof", AidStatus.DELIVERED],
        AidStatus.CLOSED: [AidStatus.SUBMITTED, AidStatus.APPROVED, AidStatus.ORDERED, AidStatus.PAID, "proof",
                           AidStatus.DELIVERED, AidStatus.CLOSED],
        AidStatus.CANCELLED: [AidStatus.SUBMITTED, AidStatus.CANCELLED],
    }[status]  # fmt: skip
    for step in path:
        if step == AidStatus.SUBMITTED:
            request = aid_request_transition(request=request, to=step, actor=counsellor)
        elif step == AidStatus.APPROVED:
            request = aid_request_transition(request=request, to=step, actor=approver, funding_source=source,
                                             comment="Passt zum Fahrplan, Preise geprüft.")  # fmt: skip
        elif step == AidStatus.REJECTED:
            request = aid_request_transition(request=request, to=step, actor=approver, comment=note)
        elif step == AidStatus.ORDERED:
            request = aid_request_transition(request=request, to=step, actor=finance,
                                             comment=f"Bestellt bei {items[0][3]}.")  # fmt: skip
        elif step == AidStatus.PAID:
            reference = f"BU-{ctx.today.year}-{400 + request.pk:04d}"
            request = aid_request_transition(request=request, to=step, actor=finance, payment_reference=reference)
        elif step == "proof":
            aid_proof_add(request=request, uploaded_file=_receipt(request), kind="receipt",
                          reference=f"RE-{ctx.today.year}-{1100 + request.pk}", actor=finance)  # fmt: skip
        elif step == AidStatus.DELIVERED:
            request = aid_request_transition(request=request, to=step, actor=counsellor,
                                             comment="Übergabe an die Teilnehmerin bzw. den Teilnehmer bestätigt.")  # fmt: skip
        elif step == AidStatus.CLOSED:
            request = aid_request_transition(request=request, to=step, actor=finance)
        elif step == AidStatus.CANCELLED:
            request = aid_request_transition(request=request, to=step, actor=counsellor, comment=note)
    _backdate(ctx, request, age)
    return request


def _receipt(request: AidRequest) -> SimpleUploadedFile:
    try:
        from mira.documents.samples import tiny_pdf

        content = tiny_pdf(f"Rechnung {request.number} - {request.total} EUR")
    except ImportError:  # the documents app without its samples
        content = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(f"Rechnung_{request.number}.pdf", content)


def _backdate(ctx: DemoContext, request: AidRequest, age: int) -> None:
    """Spreads the request's steps over the days since `age` days ago, a few days apart."""
    start = timezone.make_aware(datetime.datetime.combine(ctx.days(-age), datetime.time(9, 30)))
    transitions = list(AidTransition.objects.filter(request=request).order_by("at", "id"))
    moments = [min(start + datetime.timedelta(days=3 * number, hours=number), timezone.now())
               for number in range(len(transitions) + 1)]  # fmt: skip
    AidRequest.objects.filter(pk=request.pk).update(created_at=moments[0])
    stamps = {}
    for transition, moment in zip(transitions, moments[1:], strict=True):
        AidTransition.objects.filter(pk=transition.pk).update(at=moment)
        stamps[{"submitted": "submitted_at", "approved": "decided_at", "rejected": "decided_at",
                "ordered": "ordered_at", "paid": "paid_at", "delivered": "delivered_at", "closed": "closed_at",
                "cancelled": "cancelled_at"}[transition.to_status]] = moment  # fmt: skip
    if stamps:
        AidRequest.objects.filter(pk=request.pk).update(**stamps)
    events = CaseEvent.objects.filter(participant=request.participant, kind__startswith="aid_",
                                      data__request_id=request.pk).order_by("at", "id")  # fmt: skip
    for event, moment in zip(events, _event_moments(request, moments), strict=False):
        CaseEvent.objects.filter(pk=event.pk).update(at=moment)
    proof_moment = stamps.get("delivered_at") or stamps.get("paid_at")
    if proof_moment:
        added = proof_moment - datetime.timedelta(hours=2)
        AidProof.objects.filter(request=request).update(added_at=added)
        for proof in AidProof.objects.filter(request=request).select_related("document"):
            Document.objects.filter(pk=proof.document_id).update(uploaded_at=added)
            CaseEvent.objects.filter(participant=request.participant, kind="document_uploaded",
                                     data__title=proof.document.title).update(at=added)  # fmt: skip


def _event_moments(request: AidRequest, moments: list) -> list:
    """One moment per timeline entry: created, each step, and the proof just before the delivery."""
    result = [moments[0]]
    for transition, moment in zip(request.transitions.order_by("at", "id"), moments[1:], strict=False):
        if transition.to_status == AidStatus.DELIVERED:
            result.append(moment - datetime.timedelta(hours=2))
        result.append(moment)
    return result
