from mira.core.testing.access import route
from mira.roadmap.models import GoalOwner
from mira.roadmap.tests.factories import (
    AgreedVersionFactory,
    GoalFactory,
    RoadmapFactory,
    RoadmapShareFactory,
    sharing_consents,
)


def _shared(world):
    """A roadmap of the main centre's case, shared with the partner's organisation."""
    sharing_consents(world.participant)
    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=world.participant))
    return RoadmapShareFactory(version=version, organisation=world.partner_organisation)


def _share_kwargs(world) -> dict:
    return {"share_pk": _shared(world).pk}


def _goal_kwargs(world) -> dict:
    share = _shared(world)
    goal = GoalFactory(version=share.version, owner=GoalOwner.PARTNER, owner_organisation=world.partner_organisation)
    return {"share_pk": share.pk, "goal_pk": goal.pk}


ROUTES = {
    "portal:home": route("partner"),
    "portal:roadmap": route("partner", kwargs=_share_kwargs),
    "portal:goal_status": route("partner", kwargs=_goal_kwargs),
}
