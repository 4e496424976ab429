"""Synthetic centres and staff: per centre eight counsellors, two coordinators, one finance officer
and one data protection officer (partner coaches are made with the network)."""

from django.contrib.auth.hashers import make_password

from mira.accounts.models import Centre, Role, User
from mira.core.synthetic import SYNTHETIC_CENTRE_PREFIX, SyntheticContext, bulk_insert

CITIES = ["Erfurt", "Jena", "Gera", "Weimar", "Gotha", "Nordhausen", "Eisenach", "Suhl", "Mühlhausen", "Altenburg",
          "Saalfeld", "Ilmenau", "Arnstadt", "Sömmerda", "Sonneberg", "Meiningen", "Greiz", "Apolda", "Rudolstadt",
          "Pößneck", "Bad Salzungen", "Sondershausen", "Schmalkalden", "Zeulenroda"]  # fmt: skip
FIRST_NAMES = ["Anna", "Jonas", "Katrin", "Markus", "Sabine", "Thomas", "Julia", "Stefan", "Lena", "Michael",
               "Miriam", "Tobias", "Sarah", "Daniel", "Claudia", "Felix", "Nadine", "Paul", "Yasemin", "Ali"]  # fmt: skip
LAST_NAMES = ["Keller", "Richter", "Schubert", "Wagner", "Hoffmann", "Krause", "Lehmann", "Schmidt", "Neumann",
              "Fischer", "Braun", "Zimmermann", "Hartmann", "Weber", "Köhler", "Vogel", "Demir", "Haddad"]  # fmt: skip
COUNSELLORS_PER_CENTRE = 8
COORDINATORS_PER_CENTRE = 2
# (role, how many, username stem)
STAFF = [
    (Role.COUNSELLOR, COUNSELLORS_PER_CENTRE, "berater"),
    (Role.COORDINATOR, COORDINATORS_PER_CENTRE, "leitung"),
    (Role.FINANCE, 1, "verwaltung"),
    (Role.DATA_PROTECTION, 1, "datenschutz"),
]


def generate(ctx: SyntheticContext) -> None:
    rng = ctx.random
    centres = [
        Centre(
            code=f"X{chr(65 + index // 26)}{chr(65 + index % 26)}",
            name=f"{SYNTHETIC_CENTRE_PREFIX} {index + 1:02d}",
            city=CITIES[index % len(CITIES)],
        )  # fmt: skip
        for index in range(ctx.centres_count)
    ]
    ctx.centres = bulk_insert(Centre, centres)
    # One unusable hash for all: the benchmark logs in through sessions it creates, never with a password.
    password = make_password(None)
    ctx.extra["password"] = password
    users = []
    for centre in ctx.centres:
        for role, count, stem in STAFF:
            for number in range(count):
                users.append(
                    User(
                        username=f"{centre.code.lower()}-{stem}{number + 1}",
                        role=role,
                        centre=centre,
                        password=password,
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=rng.choice(LAST_NAMES),
                    )
                )
    targets = {
        Role.COUNSELLOR: ctx.counsellors,
        Role.COORDINATOR: ctx.coordinators,
        Role.FINANCE: ctx.finance,
        Role.DATA_PROTECTION: ctx.data_protection,
    }
    for user in bulk_insert(User, users):
        targets[user.role].setdefault(user.centre_id, []).append(user.pk)
