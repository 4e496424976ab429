from mira.accounts.models import Centre, Role, User
from mira.core.demo import DEMO_PASSWORD, DemoContext
from mira.network.models import Organisation

ACCOUNTS = [
    # username, role, first name, last name, centre code
    ("beratung", Role.COUNSELLOR, "Anna", "Keller", "EF"),
    ("beratung3", Role.COUNSELLOR, "Tobias", "Wagner", "EF"),
    ("leitung", Role.COORDINATOR, "Jonas", "Richter", "EF"),
    ("leitung2", Role.COORDINATOR, "Sabine", "Hoffmann", "EF"),
    ("verwaltung", Role.FINANCE, "Petra", "Schulz", "EF"),
    ("psychologie", Role.PSYCHOLOGIST, "Dr. Miriam", "Lange", "EF"),
    ("kursleitung", Role.TRAINER, "Lukas", "Becker", "EF"),
    ("datenschutz", Role.DATA_PROTECTION, "Claudia", "Neumann", "EF"),
    ("beratung2", Role.COUNSELLOR, "Felix", "Braun", "GE"),
]


def load(ctx: DemoContext) -> None:
    ctx.centres["EF"] = Centre.objects.create(
        code="EF",
        name="MIRA Erfurt",
        street="Magdeburger Allee 124",
        postcode="99086",
        city="Erfurt",
        phone="+49 361 000000",
        email="mira-erfurt@example.org",
    )
    ctx.centres["GE"] = Centre.objects.create(
        code="GE", name="MIRA Gera", street="Schloßstraße 1", postcode="07545", city="Gera",
        email="mira-gera@example.org",
    )  # fmt: skip
    georgian_partner = Organisation.objects.create(
        name="Caucasus Reintegration Partners",
        country="GE",
        region="Tbilisi",
        city="Tbilisi",
        coaches_after_return=True,
    )
    ctx.extra["georgian_partner"] = georgian_partner
    for username, role, first_name, last_name, code in ACCOUNTS:
        ctx.users[username] = _account(username, role, first_name, last_name, centre=ctx.centres[code])
    ctx.users["partner"] = _account(
        "partner", Role.PARTNER, "Nino", "Kapanadze", centre=None, partner_organisation=georgian_partner
    )


def _account(username, role, first_name, last_name, *, centre, partner_organisation=None) -> User:
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@example.org",
        centre=centre,
        partner_organisation=partner_organisation,
        is_demo_account=True,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user
