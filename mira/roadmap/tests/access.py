from mira.core.testing.access import OUTSIDER, route
from mira.network.tests.factories import OfferFactory
from mira.roadmap.models import RoadmapOffer
from mira.roadmap.tests.factories import (
    AgreedVersionFactory,
    GoalFactory,
    RoadmapFactory,
    RoadmapShareFactory,
    RoadmapVersionFactory,
    sharing_consents,
)

CASE_WORKERS = ("counsellor", "coordinator")
# The psychologist reads a roadmap only when a psychological referral of the case names
# them; the world has none, so they are refused here (see test_psychologist_access.py).
READERS = ("counsellor", "coordinator")


def _case(world) -> dict:
    return {"participant_pk": world.participant.pk}


def _draft(world):
    return RoadmapVersionFactory(roadmap=RoadmapFactory(participant=world.participant))


def _agreed(world):
    return AgreedVersionFactory(roadmap=RoadmapFactory(participant=world.participant))


def _with_draft(world) -> dict:
    GoalFactory(version=_draft(world))
    return _case(world)


def _draft_goal(world) -> dict:
    return {**_case(world), "goal_pk": GoalFactory(version=_draft(world)).pk}


def _agreed_goal(world) -> dict:
    return {**_case(world), "goal_pk": GoalFactory(version=_agreed(world)).pk}


def _chosen_offer(world) -> dict:
    offer = OfferFactory(organisation=world.partner_organisation)
    chosen = RoadmapOffer.objects.create(
        version=_draft(world), offer=offer, title=offer.title, organisation_name=offer.organisation.name
    )
    return {**_case(world), "chosen_pk": chosen.pk}


def _agreed_version(world) -> dict:
    version = _agreed(world)
    GoalFactory(version=version)
    return {**_case(world), "number": version.number}


def _with_agreed(world) -> dict:
    GoalFactory(version=_agreed(world))
    return _case(world)


def _share(world) -> dict:
    sharing_consents(world.participant)
    share = RoadmapShareFactory(version=_agreed(world), organisation=world.partner_organisation)
    return {**_case(world), "share_pk": share.pk}


ROUTES = {
    # Each case worker's own due goals (no object: the other centre's counsellor sees their own).
    "roadmap:goals_due": route(*CASE_WORKERS, OUTSIDER),
    "roadmap:detail": route(*READERS, kwargs=_with_draft),
    "roadmap:start": route(*CASE_WORKERS, kwargs=_case, post_only=True),
    "roadmap:version": route(*READERS, kwargs=_agreed_version),
    "roadmap:content": route(*CASE_WORKERS, kwargs=_with_draft, post_only=True),
    # Without htmx the goals section sends the browser to the roadmap page.
    "roadmap:goals": route(*READERS, kwargs=_with_draft, ok_status=302),
    "roadmap:goal_add": route(*CASE_WORKERS, kwargs=_with_draft),
    "roadmap:goal_edit": route(*CASE_WORKERS, kwargs=_draft_goal),
    "roadmap:goal_delete": route(*CASE_WORKERS, kwargs=_draft_goal, post_only=True),
    "roadmap:goal_status": route(*CASE_WORKERS, kwargs=_agreed_goal),
    "roadmap:offer_add": route(*CASE_WORKERS, kwargs=_with_draft, post_only=True),
    "roadmap:offer_remove": route(*CASE_WORKERS, kwargs=_chosen_offer, post_only=True),
    "roadmap:revise": route(*CASE_WORKERS, kwargs=_with_agreed, post_only=True),
    "roadmap:agree": route(*CASE_WORKERS, kwargs=_with_draft),
    "roadmap:compare": route(*READERS, kwargs=_with_agreed),
    "roadmap:share": route(*CASE_WORKERS, kwargs=_with_agreed),
    "roadmap:share_revoke": route(*CASE_WORKERS, kwargs=_share),
    "roadmap:pdf": route(*CASE_WORKERS, kwargs=_with_agreed),
}
