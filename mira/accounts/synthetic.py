from django.contrib.auth.hashers import make_password

from mira.accounts.models import Centre, Role, User
from mira.core.synthetic import SyntheticContext, bulk_insert

CITIES = ["Erfurt", "Jena", "Gera", "Weimar", "Gotha", "Nordhausen", "Eisenach", "Suhl", "Mühlhausen", "Altenburg",
          "Saalfeld", "Ilmenau", "Arnstadt", "Sömmerda", "Sonneberg", "Meiningen", "Greiz", "Apolda", "Rudolstadt",
          "Pößneck", "Bad Salzungen", "Sondershausen", "Schmalkalden", "Zeulenroda"]  # fmt: skip
COUNSELLORS_PER_CENTRE = 8


def generate(ctx: SyntheticContext) -> None:
    centres = [
        Centre(
            code=f"X{chr(65 + index // 26)}{chr(65 + index % 26)}",
            name=f"Synthetic centre {index + 1:02d}",
            city=CITIES[index % len(CITIES)],
        )  # fmt: skip
        for index in range(ctx.centres_count)
    ]
    ctx.centres = bulk_insert(Centre, centres)
    # One hash for all: the benchmark logs in through a session it creates, never with this password.
    password = make_password(None)
    users = []
    for centre in ctx.centres:
        for number in range(COUNSELLORS_PER_CENTRE):
            users.append(User(username=f"{centre.code.lower()}-berater{number + 1}", role=Role.COUNSELLOR,
                              centre=centre, password=password, first_name="Berater", last_name=str(number + 1)))  # fmt: skip
        for number in range(2):
            users.append(User(username=f"{centre.code.lower()}-leitung{number + 1}", role=Role.COORDINATOR,
                              centre=centre, password=password, first_name="Leitung", last_name=str(number + 1)))  # fmt: skip
        users.append(User(username=f"{centre.code.lower()}-verwaltung", role=Role.FINANCE, centre=centre,
                          password=password, first_name="Verwaltung", last_name=centre.code))  # fmt: skip
    for user in bulk_insert(User, users):
        target = {Role.COUNSELLOR: ctx.counsellors, Role.COORDINATOR: ctx.coordinators, Role.FINANCE: ctx.finance}
        target[user.role].setdefault(user.centre_id, []).append(user.pk)
