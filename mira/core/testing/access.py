"""The access matrix: every URL pattern of the project names who may open it.

Each app lists its URL names in `<app>/tests/access.py` as ROUTES = {name: Route(...)}.
A URL pattern without an entry fails test_access_matrix, so no view slips through.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from mira.core.testing.world import ACTORS, ANONYMOUS, OUTSIDER, World


@dataclass(frozen=True)
class Route:
    # Actors (role values, "anonymous", "counsellor_other_centre") who get ok_status on GET.
    allowed: frozenset[str]
    # Builds the URL kwargs from the world (creating objects as needed).
    kwargs: Callable[[World], dict] = field(default=lambda world: {})
    ok_status: int = 200
    # Query string appended to the URL, if the view needs one to answer.
    query: str = ""
    # GET is not what this URL answers (POST-only actions): allowed actors get 405 on GET.
    post_only: bool = False
    # Per-actor status where an allowed actor legitimately gets another answer
    # (the login page redirects those already logged in).
    status_for: dict = field(default_factory=dict)

    def expected_ok(self, actor: str) -> bool:
        return actor in self.allowed

    def expected_status(self, actor: str) -> int:
        if actor in self.status_for:
            return self.status_for[actor]
        return 405 if self.post_only else self.ok_status


def route(*allowed: str, **kwargs) -> Route:
    """route("counsellor", "coordinator", kwargs=lambda w: {"pk": w.participant.pk})

    A route whose kwargs point at an object of the main centre is never open to
    the counsellor of the other centre; a route without object (a list) is open to
    them when it is open to counsellors (they see their own centre's list).
    """
    return Route(allowed=frozenset(allowed), **kwargs)


STAFF_WITH_CASES = ("counsellor", "coordinator")
ALL_STAFF = ("counsellor", "coordinator", "finance", "psychologist", "trainer", "data_protection")
EVERYONE_LOGGED_IN = (*ALL_STAFF, "partner", OUTSIDER)
EVERYONE = (*EVERYONE_LOGGED_IN, ANONYMOUS)

__all__ = ["ACTORS", "ALL_STAFF", "EVERYONE", "EVERYONE_LOGGED_IN", "OUTSIDER", "Route", "STAFF_WITH_CASES", "route"]
