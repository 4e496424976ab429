"""A small, complete installation for tests that ask "who may open what"."""

from dataclasses import dataclass, field
from functools import cached_property

from mira.accounts.models import Role
from mira.network.models import Organisation
from mira.participants.tests.factories import CentreFactory, ParticipantFactory, UserFactory

# The actors of the access matrix: every role of the main centre, a counsellor
# of another centre (the outsider) and an anonymous visitor.
ANONYMOUS = "anonymous"
OUTSIDER = "counsellor_other_centre"
ACTORS = [ANONYMOUS, *[role.value for role in Role], OUTSIDER]


@dataclass
class World:
    centre: object
    other_centre: object
    users: dict = field(default_factory=dict)
    partner_organisation: object = None
    participant: object = None
    other_participant: object = None

    @classmethod
    def build(cls) -> "World":
        centre = CentreFactory(code="EF", name="MIRA Erfurt")
        other_centre = CentreFactory(code="GE", name="MIRA Gera")
        organisation = Organisation.objects.create(
            name="Tbilisi Reintegration Centre", country="GE", city="Tbilisi", coaches_after_return=True
        )
        users = {}
        for role in Role:
            users[role.value] = UserFactory(
                username=f"{role.value}-ef",
                role=role,
                centre=None if role == Role.PARTNER else centre,
                partner_organisation=organisation if role == Role.PARTNER else None,
            )
        users[OUTSIDER] = UserFactory(username="counsellor-ge", role=Role.COUNSELLOR, centre=other_centre)
        participant = ParticipantFactory(
            centre=centre, case_number="EF-2026-0001", assigned_counsellor=users[Role.COUNSELLOR]
        )
        other_participant = ParticipantFactory(
            centre=other_centre, case_number="GE-2026-0001", assigned_counsellor=users[OUTSIDER]
        )
        return cls(
            centre=centre,
            other_centre=other_centre,
            users=users,
            partner_organisation=organisation,
            participant=participant,
            other_participant=other_participant,
        )

    @cached_property
    def counsellor(self):
        return self.users[Role.COUNSELLOR]
