import csv
import datetime
import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from mira.network.exporters import directory_export_csv, directory_export_xlsx
from mira.network.importers import directory_import
from mira.network.models import Offer, OfferKind, Organisation, OrganisationType, Sector
from mira.network.tests.factories import OfferFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ORGANISATION_HEADER = [
    "reference", "name", "type", "country", "region", "city", "address", "languages", "contact_person",
    "email", "phone", "website", "services", "coaches_after_return", "active",
]  # fmt: skip
OFFER_HEADER = [
    "reference", "organisation_reference", "title", "kind", "sector", "description", "target_group",
    "country", "region", "valid_from", "valid_until", "active",
]  # fmt: skip


def _organisation_row(reference="tbilisi-hub", **values):
    row = {
        "reference": reference, "name": "Tbilisi Hub", "type": "ngo", "country": "GE", "region": "Tbilisi",
        "city": "Tbilisi", "address": "", "languages": "ka ru", "contact_person": "", "email": "info@example.org",
        "phone": "+995 32 000 00 00", "website": "", "services": "Beratung", "coaches_after_return": "yes",
        "active": "yes",
    }  # fmt: skip
    row.update(values)
    return [row[header] for header in ORGANISATION_HEADER]


def _offer_row(reference="it-course", organisation="tbilisi-hub", **values):
    row = {
        "reference": reference, "organisation_reference": organisation, "title": "IT-Kurs", "kind": "training",
        "sector": "it", "description": "", "target_group": "Rückkehrende", "country": "", "region": "",
        "valid_from": "2026-01-01", "valid_until": "31.12.2027", "active": "yes",
    }  # fmt: skip
    row.update(values)
    return [row[header] for header in OFFER_HEADER]


def _xlsx(organisations=(), offers=(), *, organisation_header=ORGANISATION_HEADER, offer_header=OFFER_HEADER) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = workbook.create_sheet("organisations")
    sheet.append(organisation_header)
    for row in organisations:
        sheet.append(row)
    sheet = workbook.create_sheet("offers")
    sheet.append(offer_header)
    for row in offers:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(header, rows, delimiter=";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _statuses(report) -> list[tuple]:
    return [(row.table, row.row, row.reference, row.status) for row in report.rows]


def test_import_xlsx_creates_organisations_and_offers(coordinator):
    content = _xlsx([_organisation_row()], [_offer_row()])
    report = directory_import(name="netz.xlsx", content=content, actor=coordinator)
    assert (report.imported, report.file_errors) == (True, [])
    assert _statuses(report) == [("organisations", 2, "tbilisi-hub", "created"), ("offers", 2, "it-course", "created")]
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.type, organisation.languages, organisation.coaches_after_return) == (
        "Tbilisi Hub",
        OrganisationType.NGO,
        "ka ru",
        True,
    )
    offer = Offer.objects.get()
    assert (offer.organisation, offer.kind, offer.sector, offer.country, offer.region) == (
        organisation,
        OfferKind.TRAINING,
        Sector.IT,
        "GE",
        "Tbilisi",
    )
    assert (offer.valid_from, offer.valid_until) == (datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))


def test_import_updates_existing_entries_instead_of_duplicating(coordinator):
    organisation = OrganisationFactory(reference="tbilisi-hub", name="Old name", country="GE")
    report = directory_import(name="netz.xlsx", content=_xlsx([_organisation_row(name="New name")]), actor=coordinator)
    assert _statuses(report) == [("organisations", 2, "tbilisi-hub", "updated")]
    assert "name" in report.rows[0].changed
    assert Organisation.objects.count() == 1
    organisation.refresh_from_db()
    assert organisation.name == "New name"


def test_import_one_invalid_row_imports_nothing(coordinator):
    OrganisationFactory(reference="existing", name="Unchanged", country="GE")
    content = _xlsx(
        [
            _organisation_row("existing", name="Changed"),
            _organisation_row("new-one"),
            _organisation_row("bad", country="XX"),
        ],
        [_offer_row(organisation="new-one")],
    )
    with translation.override("de"):
        report = directory_import(name="netz.xlsx", content=content, actor=coordinator)
    assert report.imported is False
    assert _statuses(report) == [
        ("organisations", 2, "existing", "updated"),
        ("organisations", 3, "new-one", "created"),
        ("organisations", 4, "bad", "error"),
        ("offers", 2, "it-course", "created"),
    ]
    assert report.rows[2].messages == ["country: „XX“ ist kein ISO-3166-Ländercode (zwei Buchstaben, z. B. GE)."]
    assert list(Organisation.objects.values_list("reference", "name")) == [("existing", "Unchanged")]
    assert Offer.objects.count() == 0


def test_import_wrong_column_is_reported_by_name(coordinator):
    header = [*ORGANISATION_HEADER[:1], "nmae", *ORGANISATION_HEADER[2:]]
    with translation.override("de"):
        report = directory_import(
            name="netz.xlsx", content=_xlsx([_organisation_row()], organisation_header=header), actor=coordinator
        )
    assert report.imported is False
    assert report.rows == []
    assert report.file_errors == [
        "Organisationen: unbekannte Spalte „nmae“. Erlaubte Spalten: " + ", ".join(ORGANISATION_HEADER) + ".",
        "Organisationen: die Pflichtspalte „name“ fehlt.",
    ]
    assert Organisation.objects.count() == 0


def test_import_duplicate_row_in_the_file_imports_nothing(coordinator):
    content = _xlsx([_organisation_row("twice"), _organisation_row("other"), _organisation_row("twice")])
    with translation.override("de"):
        report = directory_import(name="netz.xlsx", content=content, actor=coordinator)
    assert _statuses(report) == [
        ("organisations", 2, "twice", "created"),
        ("organisations", 3, "other", "created"),
        ("organisations", 4, "twice", "error"),
    ]
    assert report.rows[2].messages == ["Doppelte Zeile: Die Referenz „twice“ steht schon in Zeile 2."]
    assert Organisation.objects.count() == 0


def test_import_text_file_named_xlsx_is_refused(coordinator):
    with translation.override("de"):
        report = directory_import(name="liste.xlsx", content=b"reference;name\nx;y\n", actor=coordinator)
    assert report.file_errors == ["„liste.xlsx“ ist keine Excel-Arbeitsmappe, obwohl der Name auf .xlsx endet."]
    assert (report.imported, report.rows) == (False, [])


def test_import_zip_that_is_no_workbook_is_refused(coordinator):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "no workbook")
    with translation.override("de"):
        report = directory_import(name="liste.xlsx", content=buffer.getvalue(), actor=coordinator)
    assert report.file_errors == ["„liste.xlsx“ ist keine Excel-Arbeitsmappe (.xlsx)."]


def test_import_bad_values_are_reported_per_cell(coordinator):
    content = _xlsx(
        [_organisation_row(type="verein", languages="ka xx1", coaches_after_return="vielleicht", email="kein-mail")],
        [_offer_row(kind="party", valid_from="31.02.2026", organisation="unknown")],
    )
    with translation.override("de"):
        report = directory_import(name="netz.xlsx", content=content, actor=coordinator)
    assert report.rows[0].messages == [
        "type: „verein“ ist kein gültiger Wert; erlaubt: ngo, public_authority, international, employer, "
        "training_provider, health, counselling, other.",
        "languages: Kein ISO-639-Sprachcode: xx1 (z. B. ka, ru, ar).",
        "coaches_after_return: „vielleicht“ ist weder ja noch nein.",
    ]
    assert report.rows[1].messages == [
        "organisation_reference: keine Organisation mit der Referenz „unknown“.",
        "kind: „party“ ist kein gültiger Wert; erlaubt: job, training, business_start_up, health, "
        "psychological_care, housing, social.",
        "valid_from: „31.02.2026“ ist kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ).",
    ]
    assert Organisation.objects.count() == 0


def test_import_model_validation_errors_are_reported(coordinator):
    content = _xlsx(
        [_organisation_row(email="kein-mail")], [_offer_row(valid_from="2027-01-01", valid_until="2026-01-01")]
    )
    with translation.override("de"):
        report = directory_import(name="netz.xlsx", content=content, actor=coordinator)
    assert report.rows[0].messages == ["email: Bitte gültige E-Mail-Adresse eingeben."]
    # The offer's organisation is in the file, but its row has errors.
    assert report.rows[1].messages == [
        "organisation_reference: die Organisation „tbilisi-hub“ (Zeile 2 der Organisationen) hat Fehler."
    ]


def test_import_offer_dates_in_wrong_order_are_reported(coordinator):
    OrganisationFactory(reference="tbilisi-hub")
    content = _xlsx([], [_offer_row(valid_from="2027-01-01", valid_until="2026-01-01")])
    with translation.override("de"):
        report = directory_import(name="netz.xlsx", content=content, actor=coordinator)
    assert report.rows[0].messages == ["valid_until: Das Ende der Gültigkeit darf nicht vor ihrem Beginn liegen."]
    assert Offer.objects.count() == 0


def test_import_csv_with_semicolons_and_german_labels(coordinator):
    content = _csv(ORGANISATION_HEADER, [_organisation_row(type="Arbeitgeber", coaches_after_return="nein")])
    report = directory_import(name="organisationen.csv", content=content, actor=coordinator)
    assert report.imported is True
    organisation = Organisation.objects.get()
    assert (organisation.type, organisation.coaches_after_return) == (OrganisationType.EMPLOYER, False)


def test_import_csv_of_offers_is_recognised_by_its_columns(coordinator):
    OrganisationFactory(reference="tbilisi-hub", country="GE", region="Tbilisi")
    report = directory_import(
        name="angebote.csv", content=_csv(OFFER_HEADER, [_offer_row()], delimiter=","), actor=coordinator
    )
    assert _statuses(report) == [("offers", 2, "it-course", "created")]
    assert Offer.objects.get().country == "GE"


def test_import_dry_run_saves_nothing(coordinator):
    report = directory_import(name="netz.xlsx", content=_xlsx([_organisation_row()]), actor=coordinator, dry_run=True)
    assert (report.imported, report.has_errors, _statuses(report)) == (
        False,
        False,
        [("organisations", 2, "tbilisi-hub", "created")],
    )
    assert Organisation.objects.count() == 0


def _directory():
    hub = OrganisationFactory(
        reference="hub", name='=HYPERLINK("http://evil")', country="GE", phone="+995 32 2 00 00 00", languages="ka en"
    )
    OfferFactory(reference="o1", organisation=hub, valid_from=datetime.date(2026, 1, 1), sector=Sector.E_COMMERCE)
    OfferFactory(reference="o2", organisation=hub, sector="", region="Kutaisi", active=False)
    OrganisationFactory(
        reference="jc", name="Jobcenter", country="DE", type=OrganisationType.PUBLIC_AUTHORITY, active=False
    )


def test_export_xlsx_then_import_changes_nothing(coordinator):
    _directory()
    content = directory_export_xlsx()
    report = directory_import(name="export.xlsx", content=content, actor=coordinator)
    assert report.file_errors == []
    assert [row.status for row in report.rows] == ["unchanged"] * 4
    assert (Organisation.objects.count(), Offer.objects.count()) == (2, 2)


def test_export_csv_then_import_changes_nothing(coordinator):
    _directory()
    for table in ("organisations", "offers"):
        report = directory_import(name=f"{table}.csv", content=directory_export_csv(table), actor=coordinator)
        assert [row.status for row in report.rows] == ["unchanged", "unchanged"], report.rows
    assert (Organisation.objects.count(), Offer.objects.count()) == (2, 2)


def test_export_xlsx_keeps_formulas_as_text():
    _directory()
    workbook = load_workbook(io.BytesIO(directory_export_xlsx()))
    sheet = workbook["organisations"]
    assert [cell.value for cell in sheet[1]] == ORGANISATION_HEADER
    hub_row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "hub")
    assert (hub_row[1].value, hub_row[1].data_type) == ('=HYPERLINK("http://evil")', "s")
    assert [cell.value for cell in workbook["offers"][1]] == OFFER_HEADER


def test_export_csv_defuses_formulas():
    _directory()
    text = directory_export_csv("organisations").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ORGANISATION_HEADER
    hub = next(row for row in rows if row[0] == "hub")
    assert (hub[1], hub[10]) == ('\'=HYPERLINK("http://evil")', "'+995 32 2 00 00 00")


def _hostile_entity(tmp_path, text: str) -> tuple[str, str]:
    """A DTD whose external entity `xxe` would read `text` from a file of the server."""
    secret = tmp_path / "secret.txt"
    secret.write_text(text)
    return f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>', "&xxe;"


def test_import_never_resolves_xml_entities(coordinator, tmp_path):
    """An uploaded workbook cannot make the server read its files (XXE): here the header cell
    "reference" of the sheet would come from a file through an external entity."""
    import zipfile

    doctype, reference = _hostile_entity(tmp_path, "reference")
    source, buffer = zipfile.ZipFile(io.BytesIO(_xlsx([_organisation_row()]))), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                assert "<t>reference</t>" in text
                data = (doctype + text.replace("<t>reference</t>", f"<t>{reference}</t>", 1)).encode("utf-8")
            target.writestr(item, data)
    with translation.override("de"):
        report = directory_import(name="netz.xlsx", content=buffer.getvalue(), actor=coordinator)
    assert not report.imported
    assert Organisation.objects.count() == 0


def test_workbook_parts_are_parsed_without_resolving_entities(tmp_path):
    """openpyxl parses the parts of a workbook (its sheet list, styles, relations) with lxml since
    the XLSX exports use lxml, else with defusedxml: neither may read a file an entity names."""
    from openpyxl.xml.functions import fromstring

    doctype, reference = _hostile_entity(tmp_path, "the server's secret")
    try:
        element = fromstring(f"{doctype}<x>{reference}</x>".encode())
    except Exception as refused:  # defusedxml refuses the DTD outright  # noqa: BLE001
        assert "Entit" in type(refused).__name__
    else:
        assert "secret" not in "".join(element.itertext())
