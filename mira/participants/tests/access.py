from mira.core.testing.access import OUTSIDER, STAFF_WITH_CASES, route
from mira.participants.tests.factories import HouseholdMemberFactory


def _case(world):
    return {"pk": world.participant.pk}


def _member(world):
    return {"pk": world.participant.pk, "member_pk": HouseholdMemberFactory(participant=world.participant).pk}


ROUTES = {
    # Lists and the intake have no object: the other centre's counsellor opens their own centre's.
    # The psychologist has no centre-wide case list (their clients: psychology:my_cases), and
    # sees a case only when a psychological referral of it names them (none in the world).
    "participants:list": route(*STAFF_WITH_CASES, OUTSIDER),
    "participants:create": route(*STAFF_WITH_CASES, OUTSIDER),
    "participants:postcode_lookup": route(*STAFF_WITH_CASES, OUTSIDER, query="postcode=99084"),
    "participants:detail": route(*STAFF_WITH_CASES, kwargs=_case),
    "participants:detail_more": route(*STAFF_WITH_CASES, kwargs=_case),
    "participants:update": route(*STAFF_WITH_CASES, kwargs=_case),
    "participants:stage": route(*STAFF_WITH_CASES, kwargs=_case, query="to=counselling"),
    "participants:household_add": route(*STAFF_WITH_CASES, kwargs=_case),
    "participants:household_edit": route(*STAFF_WITH_CASES, kwargs=_member),
    "participants:household_delete": route(*STAFF_WITH_CASES, kwargs=_member),
}
