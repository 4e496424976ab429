"""A synthetic partner network: organisations in Thuringia and in the main countries of
return (Georgia, Iraq incl. the Kurdistan Region, Türkiye, Armenia, Moldova, Syria), about
fifty offers of every kind, and referrals of demo cases in every status.

All names, addresses and contacts are invented. Referrals need the demo cases: they are
made when the participants' demo has run before this one (see load_referrals).
"""

import datetime

from django.core.exceptions import ValidationError

from mira.core.demo import DemoContext
from mira.network.models import (
    REFERRAL_OPEN,
    Offer,
    OfferKind,
    Organisation,
    OrganisationType,
    ReferralStatus,
    Sector,
)
from mira.network.services import referral_create, referral_set_status
from mira.participants.models import Stage
from mira.privacy.models import Consent, ConsentPurpose
from mira.privacy.selectors import consent_is_valid

T = OrganisationType
K = OfferKind
S = Sector

# reference: (name, type, country, region, city, languages, contact person, phone, coaches after return, services)
ORGANISATIONS = {
    # Germany
    "rueckkehrhilfe-berlin": ("Internationale Rückkehrhilfe – Büro Deutschland", T.INTERNATIONAL, "DE", "Berlin", "Berlin",
        "de en ar ru fa", "Katrin Vogel", "+49 30 5550 1200", False,
        "Reise- und Starthilfen, Reintegrationspakete in den Herkunftsländern, Vermittlung an Partner vor Ort."),
    "perspektive-thueringen": ("Rückkehrperspektive Thüringen e. V.", T.COUNSELLING, "DE", "Thüringen", "Erfurt",
        "de en ru ar", "Markus Brandt", "+49 361 5550 310", False,
        "Ergänzende Rückkehr- und Perspektivberatung, Begleitung zu Behörden, Dolmetschvermittlung."),
    "jobcenter-mittelthueringen": ("Jobcenter Mittelthüringen", T.PUBLIC_AUTHORITY, "DE", "Thüringen", "Erfurt",
        "de en", "Team Migration", "+49 361 5550 400", False,
        "Leistungen nach SGB II, Förderung beruflicher Weiterbildung, Sprachkurse für Leistungsberechtigte."),
    "gruenderwerkstatt-erfurt": ("Gründerwerkstatt der Wirtschaftskammer Erfurt", T.TRAINING_PROVIDER, "DE", "Thüringen",
        "Erfurt", "de en", "Dr. Stefanie Krüger", "+49 361 5550 520", False,
        "Gründungsseminare, Businessplan-Sprechstunde, Kontakte zu Kammern in Herkunftsländern."),
    "handwerksbildung-mittelthueringen": ("Handwerksbildungszentrum Mittelthüringen", T.TRAINING_PROVIDER, "DE",
        "Thüringen", "Erfurt", "de", "Uwe Hartmann", "+49 361 5550 610", False,
        "Praxiskurse in Metall, Elektro, Holz und Bau; Teilqualifikationen mit Zertifikat."),
    "psz-bruecke-erfurt": ("Psychosoziales Zentrum Brücke Erfurt", T.HEALTH, "DE", "Thüringen", "Erfurt",
        "de en ar fa ru ku", "Lena Albrecht", "+49 361 5550 700", False,
        "Psychologische Beratung und Stabilisierung für Geflüchtete, auch mit Sprachmittlung."),
    "gesundheitslotsen-erfurt": ("Gesundheitslotsen Erfurt e. V.", T.HEALTH, "DE", "Thüringen", "Erfurt",
        "de ar ru tr", "Ayla Demir", "+49 361 5550 740", False,
        "Begleitung zu Arztterminen, Klärung von Medikamentenversorgung vor der Ausreise."),
    # Georgia (the Caucasus partner of the accounts demo is added below)
    "kutaisi-business-incubator": ("Kutaisi Business Incubator", T.TRAINING_PROVIDER, "GE", "Kutaisi", "Kutaisi",
        "ka ru en", "Levan Chkheidze", "+995 431 55 01 20", True,
        "Gründungsberatung, Mikrokredite über Partnerbanken, Co-Working für Rückkehrende."),
    "batumi-hospitality-school": ("Batumi Hospitality School", T.TRAINING_PROVIDER, "GE", "Batumi", "Batumi",
        "ka ru en tr", "Tamar Abashidze", "+995 422 55 02 30", False,
        "Kurse in Küche, Service und Hotelrezeption; Vermittlung in Saisonstellen."),
    "georgian-psychosocial-network": ("Georgian Psychosocial Support Network", T.HEALTH, "GE", "Tbilisi", "Tbilisi",
        "ka ru en", "Dr. Nana Kiknadze", "+995 32 255 03 40", True,
        "Psychologische Erstgespräche, Gruppenangebote, Weitervermittlung an Fachärzt:innen."),
    "rustavi-jobs": ("Rustavi Employment Service Centre", T.PUBLIC_AUTHORITY, "GE", "Rustavi", "Rustavi",
        "ka ru", "Giorgi Lomidze", "+995 341 55 04 50", False,
        "Stellenvermittlung in Industrie und Logistik, Bewerbungstraining."),
    # Iraq, including the Kurdistan Region
    "erbil-reintegration-centre": ("Erbil Reintegration Centre", T.NGO, "IQ", "Erbil", "Erbil",
        "ku ckb ar en", "Shwan Aziz", "+964 66 555 0110", True,
        "Reintegrationsbegleitung in der Region Kurdistan, Wohnungssuche, Vermittlung an Arbeitgeber."),
    "duhok-mental-health": ("Duhok Community Mental Health Centre", T.HEALTH, "IQ", "Duhok", "Duhok",
        "ku ar en", "Dr. Rezan Hajji", "+964 62 555 0120", True,
        "Psychosoziale Betreuung, Traumatherapie, Angebote für Kinder und Jugendliche."),
    "baghdad-vocational-institute": ("Baghdad Vocational Training Institute", T.TRAINING_PROVIDER, "IQ", "Bagdad",
        "Bagdad", "ar en", "Ahmed Al-Rubaie", "+964 1 555 0130", False,
        "Berufsausbildung in Elektrotechnik, Kfz, Schweißen und Klimatechnik."),
    "basra-small-business-fund": ("Basra Small Business Fund", T.NGO, "IQ", "Basra", "Basra",
        "ar en", "Zainab Kadhim", "+964 40 555 0140", True,
        "Zuschüsse und Sachleistungen für Kleinstunternehmen, Buchhaltungskurse."),
    "sulaimaniyya-tech-hub": ("Sulaimaniyya Tech Hub", T.EMPLOYER, "IQ", "Sulaimaniyya", "Sulaimaniyya",
        "ckb ar en", "Hana Rashid", "+964 53 555 0150", False,
        "IT-Dienstleister und Ausbildungsbetrieb; Praktika und Junior-Stellen in Softwareentwicklung."),
    # Türkiye
    "gaziantep-reintegration-desk": ("Gaziantep Reintegration Desk", T.NGO, "TR", "Gaziantep", "Gaziantep",
        "tr ar ku en", "Mehmet Yıldız", "+90 342 555 0160", True,
        "Reintegrationsberatung, Begleitung bei Behördengängen, Kontakte zu Arbeitgebern."),
    "istanbul-ecommerce-academy": ("Istanbul E-Commerce Academy", T.TRAINING_PROVIDER, "TR", "Istanbul", "Istanbul",
        "tr en", "Elif Arslan", "+90 212 555 0170", False,
        "Kurse zu Onlinehandel, Marktplätzen, Zahlungsdiensten und Versandlogistik."),
    "diyarbakir-womens-cooperative": ("Diyarbakır Frauenkooperative", T.NGO, "TR", "Diyarbakır", "Diyarbakır",
        "tr ku", "Zeynep Kaya", "+90 412 555 0180", True,
        "Textilwerkstatt, Vermarktung von Handarbeiten, Kinderbetreuung während der Kurse."),
    "ankara-psychological-counselling": ("Ankara Psikolojik Danışma Merkezi", T.HEALTH, "TR", "Ankara", "Ankara",
        "tr en", "Dr. Ayşe Çelik", "+90 312 555 0190", False,
        "Psychologische Beratung und Psychotherapie, auch online."),
    # Armenia
    "yerevan-tech-start": ("Yerevan Tech Start Hub", T.TRAINING_PROVIDER, "AM", "Jerewan", "Jerewan",
        "hy ru en", "Armen Petrosyan", "+374 10 55 02 00", True,
        "Gründungsprogramm für IT- und E-Commerce-Vorhaben, Mentoring, Zugang zu Investor:innen."),
    "gyumri-crafts-centre": ("Gyumri Crafts Centre", T.EMPLOYER, "AM", "Gjumri", "Gjumri",
        "hy ru", "Lilit Grigoryan", "+374 312 5 02 10", False,
        "Werkstätten für Holz, Keramik und Teppichknüpfen; Beschäftigung und Ausbildung."),
    "armenian-reintegration-foundation": ("Armenian Reintegration Foundation", T.NGO, "AM", "Jerewan", "Jerewan",
        "hy ru en", "Gayane Sargsyan", "+374 10 55 02 20", True,
        "Reintegrationsbegleitung, Wohnungszuschüsse, Sozialberatung für Familien."),
    # Moldova
    "chisinau-return-office": ("Chișinău Return and Reintegration Office", T.PUBLIC_AUTHORITY, "MD", "Chișinău",
        "Chișinău", "ro ru en", "Ion Rusu", "+373 22 55 02 30", True,
        "Staatliche Anlaufstelle für Rückkehrende: Dokumente, Arbeitsvermittlung, Sozialleistungen."),
    "balti-vocational-school": ("Berufsschule Bălți", T.TRAINING_PROVIDER, "MD", "Bălți", "Bălți",
        "ro ru", "Elena Ceban", "+373 231 5 02 40", False,
        "Kurzausbildungen in Bau, Elektro, Schneiderei und Gastronomie."),
    "orhei-agri-advisory": ("Orhei Agricultural Advisory", T.NGO, "MD", "Orhei", "Orhei",
        "ro ru", "Vasile Munteanu", "+373 235 5 02 50", True,
        "Beratung für kleine Landwirtschaftsbetriebe, Saatgut- und Gerätezuschüsse."),
    # Syria (returns are possible again, offers are few and limited)
    "damascus-community-support": ("Damascus Community Support Centre", T.NGO, "SY", "Damaskus", "Damaskus",
        "ar en", "Rania Haddad", "+963 11 555 0260", False,
        "Soziale Beratung, Unterstützung bei Wohnraum und Dokumenten; Angebot derzeit im Aufbau."),
}  # fmt: skip

# reference: (organisation, title, kind, sector, target group, region ("" = the organisation's),
#             valid from (days from today, None = open), valid until (days, None = open), description,
#             country ("" = the organisation's))
OFFERS = {
    # Germany
    "starthilfe-reintegration-irak": ("rueckkehrhilfe-berlin", "Reintegrationspaket Irak", K.SOCIAL, "",
        "Rückkehrende in den Irak nach bewilligter Reisehilfe", "", -300, 400,
        "Sachleistungen bis 2.000 EUR nach der Ankunft, abgewickelt über den Partner in Erbil.", "IQ"),
    "starthilfe-reintegration-georgien": ("rueckkehrhilfe-berlin", "Reintegrationspaket Georgien", K.SOCIAL, "",
        "Rückkehrende nach Georgien", "", -300, 400,
        "Unterstützung bei Wohnung, Gesundheit und Einkommen in den ersten sechs Monaten.", "GE"),
    "perspektivberatung-erfurt": ("perspektive-thueringen", "Perspektivberatung mit Sprachmittlung", K.SOCIAL, "",
        "Alle Teilnehmenden in Thüringen", "", None, None,
        "Ergänzende Einzelberatung zu Lebensplanung und Rückkehrvorbereitung.", ""),
    "behoerdenbegleitung": ("perspektive-thueringen", "Begleitung zu Ausländerbehörde und Botschaft", K.SOCIAL, "",
        "Teilnehmende mit Sprachbarrieren", "", None, None,
        "Ehrenamtliche begleiten zu Terminen, z. B. zur Beschaffung von Passersatzpapieren.", ""),
    "deutschkurs-beruf": ("jobcenter-mittelthueringen", "Berufsbezogener Deutschkurs B1", K.TRAINING, S.OTHER,
        "Leistungsberechtigte nach SGB II", "", -60, 240, "Kurs mit 400 Unterrichtseinheiten, Teilzeit möglich.", ""),
    "weiterbildung-lager": ("jobcenter-mittelthueringen", "Qualifizierung Lagerlogistik mit Staplerschein",
        K.TRAINING, S.TRADE, "Arbeitsuchende", "", -30, 150, "Zwölf Wochen inklusive Praktikum.", ""),
    "gruendungsseminar-it": ("gruenderwerkstatt-erfurt", "Gründungsseminar IT und E-Commerce für Rückkehrende",
        K.BUSINESS_START_UP, S.IT, "Gründungsinteressierte vor der Rückkehr", "", -20, 180,
        "Sechs Abende: Geschäftsidee, Onlineshop, Zahlungswege, Businessplan mit Vorlage für IT-Vorhaben.", ""),
    "businessplan-sprechstunde": ("gruenderwerkstatt-erfurt", "Businessplan-Sprechstunde", K.BUSINESS_START_UP,
        S.OTHER, "Teilnehmende mit Gründungsidee", "", None, None,
        "Einzeltermine zur Prüfung von Finanzplan und Rentabilitätsvorschau.", ""),
    "tq-elektro": ("handwerksbildung-mittelthueringen", "Teilqualifikation Elektroinstallation", K.TRAINING,
        S.CRAFTS, "Erwachsene mit Vorerfahrung", "", -90, 90, "Modulare Praxisausbildung mit Kammerzertifikat.", ""),
    "kurs-trockenbau": ("handwerksbildung-mittelthueringen", "Praxiskurs Trockenbau und Fliesen", K.TRAINING,
        S.CONSTRUCTION, "Erwachsene ohne Berufsabschluss", "", -400, -30,
        "Abgelaufener Kurs; Neuauflage im nächsten Jahr geplant.", ""),
    "stabilisierung-gruppe": ("psz-bruecke-erfurt", "Stabilisierungsgruppe für Erwachsene", K.PSYCHOLOGICAL_CARE,
        S.HEALTH, "Erwachsene mit Belastungssymptomen", "", None, None,
        "Acht Sitzungen in Arabisch, Farsi oder Russisch mit Sprachmittlung.", ""),
    "kinder-traumapaedagogik": ("psz-bruecke-erfurt", "Traumapädagogisches Angebot für Kinder", K.PSYCHOLOGICAL_CARE,
        S.HEALTH, "Kinder von 6 bis 14 Jahren", "", None, None, "Wöchentliche Gruppe, Elterngespräche inklusive.", ""),
    "medikamentenplan-ausreise": ("gesundheitslotsen-erfurt", "Medikamentenversorgung vor der Ausreise klären",
        K.HEALTH, S.HEALTH, "Chronisch kranke Teilnehmende", "", None, None,
        "Arztbrief in Englisch, Vorrat für drei Monate, Kontakt zu Versorgung im Zielland.", ""),
    # Georgia
    "tbilisi-it-startup": ("caucasus-reintegration-partners", "IT-Gründungsprogramm Tbilisi", K.BUSINESS_START_UP,
        S.IT, "Rückkehrende mit IT-Kenntnissen", "Tbilisi", -30, 300,
        "Zwölf Wochen Mentoring, Zuschuss für Ausstattung bis 3.000 GEL, Vermittlung an Auftraggeber.", ""),
    "tbilisi-onlineshop": ("caucasus-reintegration-partners", "Onlineshop aufbauen – E-Commerce-Start", K.BUSINESS_START_UP,
        S.E_COMMERCE, "Gründungsinteressierte", "Tbilisi", -10, 200,
        "Shop-Einrichtung, Fotografie, Versand innerhalb Georgiens, Buchhaltung für Einzelunternehmen.", ""),
    "tbilisi-coaching": ("caucasus-reintegration-partners", "Reintegrationscoaching nach der Ankunft", K.SOCIAL, "",
        "Alle Rückkehrenden nach Georgien", "", None, None,
        "Sechs Monate Begleitung, Hausbesuche, Fortschreibung der verbindlichen Ziele.", ""),
    "tbilisi-wohnen": ("caucasus-reintegration-partners", "Mietzuschuss für die ersten Monate", K.HOUSING, "",
        "Familien mit Kindern", "Tbilisi", -60, 120, "Bis zu drei Monatsmieten, Hilfe bei der Wohnungssuche.", ""),
    "kutaisi-gruendung": ("kutaisi-business-incubator", "Gründungsberatung und Mikrokredit", K.BUSINESS_START_UP,
        S.TRADE, "Rückkehrende mit Geschäftsidee", "", -100, 265,
        "Businessplan-Workshop, Mikrokredit über Partnerbank, Co-Working-Platz für sechs Monate.", ""),
    "kutaisi-landwirtschaft": ("kutaisi-business-incubator", "Kleinbetriebe in der Landwirtschaft", K.BUSINESS_START_UP,
        S.AGRICULTURE, "Familien im ländlichen Imeretien", "", -100, 265,
        "Gewächshäuser, Haselnuss- und Weinbau; Beratung und Gerätezuschuss.", ""),
    "batumi-kuechenkurs": ("batumi-hospitality-school", "Kochausbildung für die Hotelküche", K.TRAINING,
        S.GASTRONOMY, "Erwachsene ab 18 Jahren", "", -15, 150, "Drei Monate Kurs, danach Saisonstelle möglich.", ""),
    "batumi-saisonstellen": ("batumi-hospitality-school", "Saisonstellen in Hotels an der Küste", K.JOB,
        S.GASTRONOMY, "Rückkehrende mit Grundkenntnissen in Englisch", "", -15, 100,
        "Service, Housekeeping und Rezeption; Unterkunft wird gestellt.", ""),
    "ge-psychosozial": ("georgian-psychosocial-network", "Psychologische Erstgespräche in Georgisch und Russisch",
        K.PSYCHOLOGICAL_CARE, S.HEALTH, "Erwachsene und Jugendliche", "", None, None,
        "Bis zu fünf Gespräche, Weitervermittlung an Fachärzt:innen.", ""),
    "rustavi-logistik": ("rustavi-jobs", "Stellen in Lager und Logistik", K.JOB, S.TRADE, "Arbeitsuchende", "",
        -5, 90, "Vermittlung an Logistikzentren im Raum Rustavi–Tbilisi.", ""),
    # Iraq
    "erbil-wohnen": ("erbil-reintegration-centre", "Unterstützung bei der Wohnungssuche", K.HOUSING, "",
        "Rückkehrende Familien", "", None, None, "Begleitung bei Besichtigungen, Mietzuschuss bis drei Monate.", ""),
    "erbil-bau": ("erbil-reintegration-centre", "Vermittlung in Bauunternehmen", K.JOB, S.CONSTRUCTION,
        "Männer und Frauen mit Bauerfahrung", "", -30, 200, "Kontakte zu Bauunternehmen in Erbil und Duhok.", ""),
    "erbil-coaching": ("erbil-reintegration-centre", "Reintegrationscoaching Region Kurdistan", K.SOCIAL, "",
        "Alle Rückkehrenden in die Region Kurdistan", "", None, None,
        "Begleitung für sechs Monate, Fortschreibung der Ziele mit der Beratungsstelle in Erfurt.", ""),
    "duhok-trauma": ("duhok-mental-health", "Traumatherapie für Erwachsene", K.PSYCHOLOGICAL_CARE, S.HEALTH,
        "Überlebende von Gewalt", "", None, None, "Einzeltherapie in Kurmandschi und Arabisch.", ""),
    "duhok-kinder": ("duhok-mental-health", "Psychosoziale Gruppen für Kinder", K.PSYCHOLOGICAL_CARE, S.HEALTH,
        "Kinder und Jugendliche", "", None, None, "Spiel- und Gesprächsgruppen nach der Rückkehr.", ""),
    "bagdad-elektro": ("baghdad-vocational-institute", "Ausbildung Elektro- und Klimatechnik", K.TRAINING,
        S.CRAFTS, "Männer und Frauen ab 18 Jahren", "", -20, 250, "Sechs Monate mit Praktikum.", ""),
    "bagdad-kfz": ("baghdad-vocational-institute", "Kfz-Mechatronik Grundkurs", K.TRAINING, S.CRAFTS,
        "Erwachsene", "", -200, -10, "Abgelaufen; nächster Kurs in Planung.", ""),
    "basra-kleinunternehmen": ("basra-small-business-fund", "Zuschuss für Kleinstunternehmen", K.BUSINESS_START_UP,
        S.TRADE, "Rückkehrende mit tragfähigem Businessplan", "", -50, 300,
        "Sachzuschuss bis 2.500 USD, Buchhaltungskurs verpflichtend.", ""),
    "suli-junior-dev": ("sulaimaniyya-tech-hub", "Junior-Stellen Softwareentwicklung", K.JOB, S.IT,
        "Rückkehrende mit Programmierkenntnissen", "", -10, 180, "Webentwicklung und Support; Englisch erforderlich.", ""),
    "suli-ecommerce-praktikum": ("sulaimaniyya-tech-hub", "Praktikum Onlinehandel", K.TRAINING, S.E_COMMERCE,
        "Junge Erwachsene", "", -10, 180, "Drei Monate Praktikum im Shop-Betrieb eines Kunden.", ""),
    # Türkiye
    "gaziantep-coaching": ("gaziantep-reintegration-desk", "Reintegrationsbegleitung Gaziantep", K.SOCIAL, "",
        "Rückkehrende in die Südosttürkei", "", None, None, "Begleitung zu Behörden, Schulanmeldung der Kinder.", ""),
    "gaziantep-textil": ("gaziantep-reintegration-desk", "Vermittlung in Textilbetriebe", K.JOB, S.TEXTILES,
        "Arbeitsuchende", "", -20, 160, "Näherei und Zuschnitt; Einarbeitung im Betrieb.", ""),
    "istanbul-ecommerce-kurs": ("istanbul-ecommerce-academy", "E-Commerce-Gründungskurs", K.BUSINESS_START_UP,
        S.E_COMMERCE, "Gründungsinteressierte", "", -5, 200,
        "Acht Wochen: Marktplätze, Produktfotos, Zahlungsdienste, Versand.", ""),
    "istanbul-webshop-it": ("istanbul-ecommerce-academy", "Webentwicklung für Onlineshops", K.TRAINING, S.IT,
        "Rückkehrende mit Grundkenntnissen", "", -5, 200, "Abendkurs, online oder vor Ort.", ""),
    "diyarbakir-textil": ("diyarbakir-womens-cooperative", "Textilwerkstatt für Frauen", K.TRAINING, S.TEXTILES,
        "Frauen, auch Alleinerziehende", "", None, None, "Nähen, Sticken, Vermarktung; Kinderbetreuung vor Ort.", ""),
    "ankara-psych": ("ankara-psychological-counselling", "Psychologische Beratung online", K.PSYCHOLOGICAL_CARE,
        S.HEALTH, "Erwachsene", "", None, None, "Bis zu zehn Sitzungen auf Türkisch oder Englisch.", ""),
    # Armenia
    "yerevan-it-gruendung": ("yerevan-tech-start", "IT- und E-Commerce-Gründungsprogramm", K.BUSINESS_START_UP,
        S.IT, "Rückkehrende mit Geschäftsidee im digitalen Bereich", "", -40, 320,
        "Inkubator mit Mentoring, Rechtsberatung und Startkapital in Sachleistungen.", ""),
    "yerevan-onlinehandel": ("yerevan-tech-start", "Onlinehandel für Kleinproduzenten", K.BUSINESS_START_UP,
        S.E_COMMERCE, "Handwerk und Landwirtschaft", "", -40, 320, "Verkauf über Plattformen, Export in die EU.", ""),
    "gyumri-handwerk": ("gyumri-crafts-centre", "Beschäftigung in der Holzwerkstatt", K.JOB, S.CRAFTS,
        "Erwachsene mit handwerklichem Geschick", "", -60, 240, "Festanstellung nach drei Monaten Probezeit.", ""),
    "am-wohnen": ("armenian-reintegration-foundation", "Wohnkostenzuschuss für Familien", K.HOUSING, "",
        "Familien mit Kindern", "", -100, 200, "Bis zu vier Monatsmieten in Jerewan oder Gjumri.", ""),
    "am-sozialberatung": ("armenian-reintegration-foundation", "Sozialberatung und Schulanmeldung", K.SOCIAL, "",
        "Familien", "", None, None, "Hilfe bei Anmeldung, Sozialleistungen und Schulplätzen.", ""),
    # Moldova
    "md-arbeitsvermittlung": ("chisinau-return-office", "Arbeitsvermittlung für Rückkehrende", K.JOB, S.OTHER,
        "Alle Rückkehrenden", "", None, None, "Stellenangebote landesweit, Anerkennung ausländischer Erfahrung.", ""),
    "md-gesundheit": ("chisinau-return-office", "Anmeldung zur Krankenversicherung", K.HEALTH, S.HEALTH,
        "Rückkehrende ohne Versicherungsschutz", "", None, None, "Begleitung zur Anmeldung bei der CNAM.", ""),
    "balti-bau": ("balti-vocational-school", "Kurzausbildung Bau und Sanierung", K.TRAINING, S.CONSTRUCTION,
        "Erwachsene", "", -30, 150, "Vier Monate, Abschluss mit Zertifikat.", ""),
    "balti-schneiderei": ("balti-vocational-school", "Kurs Schneiderei", K.TRAINING, S.TEXTILES, "Erwachsene", "",
        -30, 150, "Drei Monate; Nähmaschine als Sachleistung möglich.", ""),
    "orhei-landwirtschaft": ("orhei-agri-advisory", "Start in die kleine Landwirtschaft", K.BUSINESS_START_UP,
        S.AGRICULTURE, "Rückkehrende im ländlichen Raum", "", -80, 280,
        "Beratung, Saatgut und Gerätezuschuss; Anbau von Obst und Gemüse.", ""),
    # Syria
    "damaskus-sozial": ("damascus-community-support", "Soziale Erstberatung nach der Ankunft", K.SOCIAL, "",
        "Rückkehrende nach Damaskus", "", -10, 120, "Orientierung, Dokumente, Kontakte zu Hilfsorganisationen.", ""),
}  # fmt: skip


def load(ctx: DemoContext) -> None:
    organisations = _load_directory(ctx)
    ctx.extra["network_organisations"] = organisations
    if ctx.participants:
        load_referrals(ctx)


def _load_directory(ctx: DemoContext) -> dict[str, Organisation]:
    organisations = {}
    caucasus = ctx.extra.get("georgian_partner")
    if caucasus is None:
        caucasus = Organisation.objects.create(
            name="Caucasus Reintegration Partners", country="GE", region="Tbilisi", city="Tbilisi",
            coaches_after_return=True,
        )  # fmt: skip
    caucasus.reference = "caucasus-reintegration-partners"
    caucasus.type = OrganisationType.NGO
    caucasus.languages = "ka ru en de"
    caucasus.contact_person = "Nino Kapanadze"
    caucasus.email = "kontakt@caucasus-partners.example.org"
    caucasus.phone = "+995 32 255 01 10"
    caucasus.website = "https://caucasus-partners.example.org"
    caucasus.address = "Rustaveli Ave 12, 0108 Tbilisi"
    caucasus.services = (
        "Reintegrationscoaching nach der Rückkehr, Gründungsprogramme für IT und E-Commerce, "
        "Wohnungshilfe und Vermittlung an Arbeitgeber in Tbilisi."
    )
    caucasus.full_clean()
    caucasus.save()
    organisations[caucasus.reference] = caucasus
    for reference, values in ORGANISATIONS.items():
        name, kind, country, region, city, languages, contact, phone, coaches, services = values
        organisation = Organisation(
            reference=reference,
            name=name,
            type=kind,
            country=country,
            region=region,
            city=city,
            languages=languages,
            contact_person=contact,
            phone=phone,
            email=f"kontakt@{reference}.example.org",
            website=f"https://{reference}.example.org",
            address=f"{city}",
            coaches_after_return=coaches,
            services=services,
        )
        organisation.full_clean()
        organisation.save()
        organisations[reference] = organisation
    for reference, values in OFFERS.items():
        organisation_ref, title, kind, sector, target, region, start, end, description, country = values
        offer = Offer(
            reference=reference,
            organisation=organisations[organisation_ref],
            title=title,
            kind=kind,
            sector=sector,
            target_group=target,
            description=description,
            country=country,
            region=region,
            valid_from=ctx.days(start) if start is not None else None,
            valid_until=ctx.days(end) if end is not None else None,
        )
        offer.full_clean()
        offer.save()
    return organisations


# Referrals in every status: how far each got, and the days between its steps.
REFERRAL_PLANS = [
    [],
    [ReferralStatus.CONTACTED],
    [ReferralStatus.CONTACTED, ReferralStatus.ACCEPTED],
    [ReferralStatus.CONTACTED, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED],
    [ReferralStatus.CONTACTED, ReferralStatus.DECLINED],
    [ReferralStatus.DECLINED],
]
REFERRAL_NOTES = [
    "Teilnehmer hat großes Interesse, Unterlagen per E-Mail an den Partner geschickt.",
    "Erstgespräch per Video mit Dolmetscherin vereinbart.",
    "Partner meldet freien Platz ab nächstem Monat.",
    "",
    "Teilnehmerin möchte zunächst das Gründungsseminar in Erfurt besuchen.",
]


def load_referrals(ctx: DemoContext) -> None:
    """Referrals of open demo cases to offers in their return country, in every status.

    Abroad, the partner-sharing consent is needed: the privacy demo gives it to many
    cases; where it is missing, the consent is recorded here. One open referral abroad
    has its consent withdrawn afterwards, so the warning shows.
    """
    open_stages = {
        Stage.COUNSELLING,
        Stage.ROADMAP_DEVELOPMENT,
        Stage.GOALS_AGREED,
        Stage.ROADMAP_SHARED,
        Stage.COACHING,
    }
    offers_by_country: dict[str, list[Offer]] = {}
    for offer in Offer.objects.select_related("organisation").order_by("pk"):
        if offer.is_valid_on(ctx.today):
            offers_by_country.setdefault(offer.country, []).append(offer)
    candidates = [p for p in ctx.participants if p.stage in open_stages and p.return_country in offers_by_country]
    erfurt = [p for p in candidates if p.centre.code == "EF"][:36]
    gera = [p for p in candidates if p.centre.code != "EF"][:4]
    made = 0
    withdrawn = False
    for index, participant in enumerate(erfurt + gera):
        actor = participant.assigned_counsellor
        plan = REFERRAL_PLANS[index % len(REFERRAL_PLANS)]
        start = max(participant.opened_on, ctx.days(-ctx.random.randint(20, 150)))
        start = min(start, ctx.days(-len(plan) * 5 - 1))
        local = [offer for offer in offers_by_country[participant.return_country] if offer.is_valid_on(start)]
        if start < participant.opened_on or not local:
            continue
        offer = local[index % len(local)]
        _ensure_partner_sharing_consent(participant, start, actor)
        referral = referral_create(
            participant=participant, offer=offer, actor=actor, suggested_on=start, notes=REFERRAL_NOTES[index % 5]
        )
        day = start
        for status in plan:
            day += datetime.timedelta(days=4)
            referral = referral_set_status(referral=referral, status=status, on=day, actor=actor)
        made += 1
        german_offers = [offer for offer in offers_by_country.get("DE", []) if offer.is_valid_on(start)]
        if german_offers and index % 3 == 0:
            german = german_offers[index % len(german_offers)]
            try:
                referral_create(participant=participant, offer=german, actor=actor, suggested_on=start)
                made += 1
            except ValidationError:
                pass  # e.g. already referred there
        if not withdrawn and referral.status in REFERRAL_OPEN and referral.organisation.is_abroad:
            withdrawn = _withdraw_own_consent(participant, ctx.today)
    ctx.extra["network_referrals"] = made


def _ensure_partner_sharing_consent(participant, day: datetime.date, actor) -> None:
    if consent_is_valid(participant=participant, purpose=ConsentPurpose.PARTNER_SHARING, on=day):
        return
    Consent.objects.create(
        participant=participant,
        purpose=ConsentPurpose.PARTNER_SHARING,
        given_on=min(day, participant.opened_on + datetime.timedelta(days=7)),
        language=participant.preferred_language,
        notes="Einwilligung für die Verweisung an Partner im Rückkehrland (Demo).",
        recorded_by=actor,
    )


def _withdraw_own_consent(participant, today: datetime.date) -> bool:
    """Withdraws the partner-sharing consent of one case, if it is the only valid one."""
    valid = [
        consent
        for consent in Consent.objects.filter(participant=participant, purpose=ConsentPurpose.PARTNER_SHARING)
        if consent.is_valid_on(today)
    ]
    if len(valid) != 1:
        return False
    consent = valid[0]
    consent.withdrawn_on = today - datetime.timedelta(days=2)
    consent.withdrawal_notes = "Teilnehmer möchte keine Weitergabe an Partner im Ausland mehr."
    consent.save()
    return True
