from django import template
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import capfirst

from mira.core.geo import country_name
from mira.core.pagination import first_counted
from mira.roadmap import selectors
from mira.roadmap.models import Goal, GoalStatus, RoadmapVersion, VersionState

register = template.Library()


@register.inclusion_tag("roadmap/_case_roadmap.html", takes_context=True)
def case_roadmap(context, participant):
    """The roadmap card of the case page: state, version, progress of the goals, links.

    {% load roadmap_tags %}{% case_roadmap participant %}"""
    request = context.get("request")
    user = getattr(request, "user", None)
    # Only the draft and the agreed version matter here, with the roadmap in the same query (a
    # roadmap without either is read on its own); the goals of those two, the names of the active
    # shares of the agreed one.
    versions = list(
        RoadmapVersion.objects.filter(
            roadmap__participant=participant, state__in=(VersionState.DRAFT, VersionState.AGREED)
        )
        .select_related("roadmap")
        .defer(*selectors.SIGNATURE_FIELDS)
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.all()))
    )
    roadmap = versions[0].roadmap if versions else selectors.roadmap_of(participant)
    draft = next((version for version in versions if version.state == VersionState.DRAFT), None)
    agreed = next((version for version in versions if version.state == VersionState.AGREED), None)
    current = agreed or draft
    shared_with = selectors.active_share_names(agreed) if agreed else []
    return {
        "request": request,
        "participant": participant,
        "roadmap": roadmap,
        "draft": draft,
        "agreed": agreed,
        "progress": selectors.goal_progress(current.goals.all()) if current else None,
        "shared_with": shared_with,
        "can_view": bool(user and user.has_perm("roadmap.view_roadmap", participant)),
        "can_edit": bool(user and user.has_perm("roadmap.change_roadmap", participant)),
        "can_export": bool(user and user.has_perm("roadmap.export_roadmap", participant)),
    }


# The start-page card shows the most urgent goals; the page of due goals has them all.
GOALS_ON_MY_DAY = 10


@register.inclusion_tag("roadmap/_my_goals.html", takes_context=True)
def roadmap_goals_due(context):
    """The start-page card of a counsellor: goals of their cases due within 7 days or overdue.

    {% load roadmap_tags %}{% roadmap_goals_due %}"""
    request = context.get("request")
    today = timezone.localdate()
    goals, total = [], 0
    if request:
        goals, total = first_counted(selectors.goals_due_for(user=request.user, today=today), GOALS_ON_MY_DAY)
    return {"request": request, "goals": goals, "total": total, "today": today, "days": selectors.REMINDER_DAYS}


@register.filter
def destination_local(version: RoadmapVersion) -> str:
    """City, region and country of the destination; the country named in the active language."""
    parts = [version.destination_city, version.destination_region, country_name(version.destination_country)]
    return ", ".join(part for part in parts if part)


@register.filter
def content_sections(version: RoadmapVersion) -> list[tuple[str, str]]:
    names = ("current_situation", "professional_wishes", "personal_wishes", "family_situation", "qualifications")
    return [(capfirst(RoadmapVersion._meta.get_field(name).verbose_name), getattr(version, name)) for name in names]


@register.filter
def status_class(status: str) -> str:
    """Bootstrap colour of a goal status badge."""
    return {
        GoalStatus.OPEN: "text-bg-light border",
        GoalStatus.IN_PROGRESS: "text-bg-info",
        GoalStatus.REACHED: "text-bg-success",
        GoalStatus.MISSED: "text-bg-danger",
        GoalStatus.DROPPED: "text-bg-secondary",
    }.get(status, "text-bg-light")


@register.filter
def version_state_class(state: str) -> str:
    return {
        VersionState.DRAFT: "text-bg-warning",
        VersionState.AGREED: "text-bg-success",
        VersionState.SUPERSEDED: "text-bg-secondary",
    }.get(state, "text-bg-light")
