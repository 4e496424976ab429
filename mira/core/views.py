from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: answers without touching the database.
    The benchmark also uses it as the ceiling of what the server can do."""
    return HttpResponse("ok", content_type="text/plain")


def root(request: HttpRequest) -> HttpResponse:
    return redirect("core:home" if request.user.is_authenticated else "accounts:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page; each role sees what its work starts with.

    Counsellors and coordinators start with My day (counselling), shown right here
    so the start page keeps one address."""
    if request.user.has_perm("counselling.view_my_day"):
        from mira.counselling.views import my_day

        return my_day(request)
    if request.user.has_perm("portal.view_portal"):
        # Partner coaches start with the roadmaps shared with their organisation.
        from mira.portal.views import home as portal_home

        return portal_home(request)
    if request.user.has_perm("psychology.list_my_cases"):
        # Psychologists start with their clients (the cases referred to them).
        from mira.psychology.views import my_cases

        return my_cases(request)
    return render(request, "core/home.html")
