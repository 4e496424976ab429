"""The partner portal: coaches of a partner organisation see the roadmaps shared with it.

Partners have no centre, so every query here runs with the centre scope widened on
purpose and is filtered by the organisation's active shares (mira.roadmap.selectors).
What a coach sees of a case is the minimal set documented in docs/user/roadmap.md.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from mira.core.permissions import require_perm, security_log
from mira.portal.forms import PartnerGoalStatusForm
from mira.privacy.models import AccessLog
from mira.privacy.services import access_log_record
from mira.roadmap import selectors
from mira.roadmap.services import goal_status_set


def _not_found(request: HttpRequest, **lookup) -> Http404:
    """A share or goal outside the coach's reach: logged as a probe, answered as not found."""
    security_log.warning(
        "Portal object not found or not shared: user=%s organisation=%s path=%s lookup=%s",
        request.user.pk,
        request.user.partner_organisation_id,
        request.path,
        lookup,
    )
    return Http404()


def _share(request: HttpRequest, share_pk: int):
    share = selectors.partner_share_get(organisation=request.user.partner_organisation, pk=share_pk)
    if share is None:
        raise _not_found(request, share=share_pk)
    return share


# A partner organisation coaching the returnees of a whole country may hold hundreds of shares.
SHARES_PER_PAGE = 25


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The roadmaps shared with the coach's organisation, a page at a time."""
    require_perm(request.user, "portal.view_portal")
    organisation = request.user.partner_organisation
    page = selectors.partner_shares_page(
        organisation=organisation, number=request.GET.get("page"), per_page=SHARES_PER_PAGE
    )
    shares = page.object_list
    return render(
        request,
        "portal/home.html",
        {
            "organisation": organisation,
            "shares": selectors.partner_share_goal_counts(shares, organisation=organisation),
            "page": page,
        },
    )


@login_required
def roadmap(request: HttpRequest, share_pk: int) -> HttpResponse:
    require_perm(request.user, "portal.view_portal")
    share = _share(request, share_pk)
    version = share.version
    participant = version.roadmap.participant
    with scopes_disabled():
        access_log_record(request=request, participant=participant, what=AccessLog.What.OTHER, object_id=version.pk)
    goals = list(version.goals.all())
    return render(
        request,
        "portal/roadmap.html",
        {
            "share": share,
            "version": version,
            "participant": participant,
            "organisation": request.user.partner_organisation,
            "phases": selectors.goals_by_phase(goals),
            "progress": selectors.goal_progress(goals),
            "offers": list(version.offers.all()),
            "today": timezone.localdate(),
        },
    )


@login_required
def goal_status(request: HttpRequest, share_pk: int, goal_pk: int) -> HttpResponse:
    """Progress on a goal the coach's organisation is responsible for."""
    require_perm(request.user, "portal.view_portal")
    share = _share(request, share_pk)
    goal = selectors.partner_goal_get(share=share, goal_pk=goal_pk)
    if goal is None:
        raise _not_found(request, share=share_pk, goal=goal_pk)
    require_perm(request.user, "portal.update_goal", goal)
    if request.method == "POST":
        form = PartnerGoalStatusForm(request.POST, goal=goal)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with scopes_disabled():
                    goal_status_set(
                        goal=goal,
                        status=data["status"],
                        reason=data["status_reason"],
                        comment=data["comment"],
                        evidence_note=data["evidence_note"],
                        organisation=request.user.partner_organisation,
                        actor=request.user,
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The progress of “%(title)s” has been saved.") % {"title": goal.title})
                return redirect("portal:roadmap", share_pk=share.pk)
    else:
        form = PartnerGoalStatusForm(goal=goal)
    return render(
        request,
        "portal/goal_status.html",
        {
            "share": share,
            "participant": share.version.roadmap.participant,
            "goal": goal,
            "form": form,
            "history": selectors.goal_status_history(goal),
        },
    )
