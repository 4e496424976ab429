import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_scopes import scope

from mira.core.dates import day_start
from mira.core.permissions import get_object_or_404_logged, require_perm
from mira.counselling import selectors, services
from mira.counselling.calendar_grid import build_grid, holiday_name, week_days
from mira.counselling.exporters import appointments_to_ical
from mira.counselling.forms import AppointmentForm, CalendarFilterForm, InterpreterForm, SessionForm, add_service_errors
from mira.counselling.history import session_changes
from mira.counselling.models import Appointment, AppointmentStatus, CounsellingSession, Interpreter, SessionMode
from mira.counselling.my_day import cards_for
from mira.participants.models import Participant
from mira.participants.shortcuts import case_or_404
from mira.privacy.models import AccessLog
from mira.privacy.services import access_log_record

FEED_SECRET_SESSION_KEY = "counselling_feed_secret"
# The calendar pages through these years; a date typed far outside falls back to today.
CALENDAR_YEARS = (2000, 2100)


# My day ------------------------------------------------------------------------------------


@login_required
def my_day(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "counselling.view_my_day")
    today = timezone.localdate()
    day = selectors.my_day(user=request.user, today=today)
    return render(
        request,
        "counselling/my_day.html",
        {"day": day, "holiday": holiday_name(today), "extra_cards": cards_for(request.user)},
    )


# Sessions ----------------------------------------------------------------------------------


def _session(request: HttpRequest, pk: int) -> CounsellingSession:
    return get_object_or_404_logged(
        request,
        CounsellingSession.objects.select_related("participant", "counsellor", "interpreter"),
        pk=pk,
    )


@login_required
def session_list(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "counselling.list_sessions", select_related=("centre",))
    sessions = list(selectors.sessions_of_case(participant=participant))
    access_log_record(request=request, participant=participant, what=AccessLog.What.OTHER, object_id="sessions")
    return render(
        request,
        "counselling/session_list.html",
        {
            "participant": participant,
            "sessions": sessions,
            "appointments": selectors.upcoming_appointments_of_case(participant=participant, limit=10),
            "can_add": request.user.has_perm("counselling.add_session", participant),
        },
    )


@login_required
def session_create(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = case_or_404(request, participant_pk, "counselling.add_session", select_related=("centre",))
    form = SessionForm(
        request.POST or None, participant=participant, initial=_initial_from_appointment(request, participant)
    )
    if request.method == "POST" and form.is_valid():
        session = form.fill(CounsellingSession())
        try:
            services.session_create(
                session=session, household_attendees=form.cleaned_data["household_attendees"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error, SessionForm.FIELD_MAP)
        else:
            messages.success(request, _("The session was recorded."))
            return redirect(session)
    return render(request, "counselling/session_form.html", {"form": form, "participant": participant})


def _initial_from_appointment(request: HttpRequest, participant: Participant) -> dict:
    """Recording a session after an appointment (from My day): its time, length and interpreter."""
    pk = request.GET.get("appointment", "")
    appointment = Appointment.objects.filter(pk=int(pk), participant=participant).first() if pk.isdigit() else None
    if appointment is None:
        return {}
    start = timezone.localtime(appointment.starts_at)
    return {
        "day": start.date(),
        "time": start.time().replace(second=0, microsecond=0),
        "duration_minutes": appointment.duration_minutes,
        "mode": SessionMode.VIDEO if appointment.video_link else SessionMode.IN_PERSON,
        "interpreter": appointment.interpreter_id,
    }


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    require_perm(request.user, "counselling.view_session", session)
    access_log_record(
        request=request, participant=session.participant, what=AccessLog.What.OTHER, object_id=f"session:{session.pk}"
    )
    return render(
        request,
        "counselling/session_detail.html",
        {
            "session": session,
            "participant": session.participant,
            "attendees": list(session.household_attendees.all()),
            "changes": session_changes(session),
            "can_change": request.user.has_perm("counselling.change_session", session),
        },
    )


@login_required
def session_update(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    require_perm(request.user, "counselling.change_session", session)
    participant = session.participant
    form = SessionForm(request.POST or None, participant=participant, session=session)
    if request.method == "POST" and form.is_valid():
        form.fill(session)
        try:
            services.session_update(
                session=session, household_attendees=form.cleaned_data["household_attendees"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error, SessionForm.FIELD_MAP)
        else:
            messages.success(request, _("The session was saved."))
            return redirect(session)
    return render(
        request, "counselling/session_form.html", {"form": form, "participant": participant, "session": session}
    )


# Calendar ----------------------------------------------------------------------------------


# What the calendar shows of an appointment, its case and its people: a week of the whole centre
# holds hundreds of appointments, and a case file has some fifty columns.
CALENDAR_FIELDS = (
    *("title", "status", "starts_at", "ends_at", "place", "video_link", "counsellor_id"),
    *("participant__case_number", "participant__first_name", "participant__last_name"),
    *("interpreter__name", "counsellor__first_name", "counsellor__last_name", "counsellor__username"),
)


def _calendar_url(view: str, day: datetime.date, who: str) -> str:
    return f"{reverse('counselling:calendar')}?{urlencode({'view': view, 'date': day.isoformat(), 'who': who})}"


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "counselling.view_calendar")
    today = timezone.localdate()
    settings_form = CalendarFilterForm(request.GET)
    settings_form.is_valid()
    view = settings_form.cleaned_data.get("view") or "week"
    anchor = settings_form.cleaned_data.get("date") or today
    if not CALENDAR_YEARS[0] <= anchor.year <= CALENDAR_YEARS[1]:
        anchor = today
    staff = list(selectors.calendar_staff(centre_id=request.user.centre_id))
    who = settings_form.cleaned_data.get("who") or "me"
    chosen = None
    if who == "me":
        chosen = request.user
    elif who != "all":
        chosen = next((person for person in staff if str(person.pk) == who), None)
        if chosen is None:
            who, chosen = "me", request.user
    if view == "day":
        start_day, length = anchor, 1
    else:
        start_day, length = anchor - datetime.timedelta(days=anchor.weekday()), 7
    appointments = list(
        selectors.appointments_between(
            start=day_start(start_day),
            end=day_start(start_day + datetime.timedelta(days=length)),
            counsellor=chosen,
        ).only(*CALENDAR_FIELDS)
    )
    days = [anchor] if view == "day" else week_days(anchor, appointments)
    grid = build_grid(
        days=days,
        appointments=appointments,
        today=today,
        counsellors=staff if view == "day" and who == "all" else None,
        who=who,
        palettes={person.pk: index % 6 for index, person in enumerate(staff)} if who == "all" else {},
    )
    step = datetime.timedelta(days=1 if view == "day" else 7)
    return render(
        request,
        "counselling/calendar.html",
        {
            "view": view,
            "anchor": anchor,
            "days": days,
            "week_number": anchor.isocalendar().week,
            "who": who,
            "chosen": chosen,
            "staff": staff,
            "grid": grid,
            "show_counsellor": who == "all",
            "count": len(appointments),
            "previous_url": _calendar_url(view, anchor - step, who),
            "next_url": _calendar_url(view, anchor + step, who),
            "today_url": _calendar_url(view, today, who),
            "day_url": _calendar_url("day", anchor, who),
            "week_url": _calendar_url("week", anchor, who),
        },
    )


def _appointment(request: HttpRequest, pk: int) -> Appointment:
    return get_object_or_404_logged(
        request,
        Appointment.objects.select_related("participant", "counsellor", "interpreter", "created_by", "centre"),
        pk=pk,
    )


def _initial_from_query(request: HttpRequest) -> dict:
    """A new appointment prefilled from a calendar slot (start, counsellor) or a case (participant)."""
    initial: dict = {"counsellor": request.user, "title": _("Counselling")}
    centre = request.user.centre
    if centre is not None and centre.street:
        initial["place"] = f"{centre.name}, {centre.street}"
    start = None
    try:
        start = datetime.datetime.strptime(request.GET.get("start", ""), "%Y-%m-%dT%H:%M")
    except ValueError:
        now = timezone.localtime() + datetime.timedelta(hours=1)
        start = now.replace(minute=0, second=0, microsecond=0, tzinfo=None)
    initial.update(day=start.date(), start_time=start.time(), end_time=(start + datetime.timedelta(hours=1)).time())
    counsellor_pk = request.GET.get("counsellor", "")
    if counsellor_pk.isdigit():
        initial["counsellor"] = int(counsellor_pk)
    participant_pk = request.GET.get("participant", "")
    if participant_pk.isdigit():
        participant = Participant.objects.filter(pk=int(participant_pk)).first()
        if participant is not None:
            initial["case_number"] = participant.case_number
    return initial


def _case_choices(centre_id: int) -> list:
    """Open cases of the centre, for the case number field's suggestions."""
    from mira.participants.models import Stage

    return list(
        Participant.objects.filter(centre_id=centre_id)
        .exclude(stage__in=[Stage.CLOSED, Stage.WITHDRAWN])
        .order_by("case_number")
        .values_list("case_number", "first_name", "last_name")
    )


@login_required
def appointment_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "counselling.add_appointment")
    centre = request.user.centre
    if request.method == "POST":
        form = AppointmentForm(request.POST, centre=centre)
    else:
        form = AppointmentForm(initial=_initial_from_query(request), centre=centre)
    if request.method == "POST" and form.is_valid():
        appointment = form.fill(Appointment())
        try:
            services.appointment_create(appointment=appointment, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error, AppointmentForm.FIELD_MAP)
        else:
            messages.success(request, _("The appointment was booked."))
            return redirect(
                _calendar_url("week", timezone.localdate(appointment.starts_at), _who_for(request, appointment))
            )
    return render(request, "counselling/appointment_form.html", {"form": form, "cases": _case_choices(centre.pk)})


def _who_for(request: HttpRequest, appointment: Appointment) -> str:
    return "me" if appointment.counsellor_id == request.user.pk else str(appointment.counsellor_id)


@login_required
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    require_perm(request.user, "counselling.view_appointment", appointment)
    if appointment.participant_id:
        access_log_record(
            request=request,
            participant=appointment.participant,
            what=AccessLog.What.OTHER,
            object_id=f"appointment:{appointment.pk}",
        )
    can_change = request.user.has_perm("counselling.change_appointment", appointment)
    return render(
        request,
        "counselling/appointment_detail.html",
        {
            "appointment": appointment,
            "can_change": can_change,
            "can_mark_done": can_change and appointment.starts_at <= timezone.now(),
            "can_record_session": appointment.participant_id is not None
            and appointment.starts_at <= timezone.now()
            and not appointment.is_cancelled
            and request.user.has_perm("counselling.add_session", appointment.participant),
            "calendar_url": _calendar_url(
                "day", timezone.localdate(appointment.starts_at), _who_for(request, appointment)
            ),
        },
    )


@login_required
def appointment_update(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    require_perm(request.user, "counselling.change_appointment", appointment)
    form = AppointmentForm(request.POST or None, centre=appointment.centre, appointment=appointment)
    if request.method == "POST" and form.is_valid():
        form.fill(appointment)
        try:
            services.appointment_update(appointment=appointment, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error, AppointmentForm.FIELD_MAP)
        else:
            messages.success(request, _("The appointment was changed."))
            return redirect(appointment)
    return render(
        request,
        "counselling/appointment_form.html",
        {"form": form, "appointment": appointment, "cases": _case_choices(appointment.centre_id)},
    )


def _set_status(request: HttpRequest, pk: int, status: str, done_message: str) -> HttpResponse:
    appointment = _appointment(request, pk)
    require_perm(request.user, "counselling.change_appointment", appointment)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.appointment_set_status(appointment=appointment, status=status, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done_message)
    return redirect(appointment)


@login_required
def appointment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_status(request, pk, AppointmentStatus.CANCELLED, _("The appointment was cancelled."))


@login_required
def appointment_done(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_status(request, pk, AppointmentStatus.DONE, _("The appointment was marked as held."))


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def appointment_ics(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    require_perm(request.user, "counselling.view_appointment", appointment)
    start = timezone.localtime(appointment.starts_at)
    content = appointments_to_ical([appointment], name=_("MIRA appointment"))
    return _ics_response(content, f"mira-termin-{start:%Y-%m-%d-%H%M}.ics")


# Calendar feed -----------------------------------------------------------------------------


@login_required
def feed_settings(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "counselling.use_calendar_feed")
    secret = request.session.pop(FEED_SECRET_SESSION_KEY, None)
    feed_url = ""
    if secret:
        feed_url = request.build_absolute_uri(reverse("counselling:ical_feed", kwargs={"token": secret}))
    return render(
        request,
        "counselling/feed_settings.html",
        {
            "token": selectors.calendar_feed_token_active(user=request.user),
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://", 1) if feed_url.startswith("https://") else "",
        },
    )


@login_required
def feed_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "counselling.use_calendar_feed")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _token, secret = services.calendar_feed_token_create(user=request.user)
    request.session[FEED_SECRET_SESSION_KEY] = secret
    messages.success(request, _("Your new calendar address is ready. Copy it now: it is shown only once."))
    return redirect("counselling:feed_settings")


@login_required
def feed_revoke(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "counselling.use_calendar_feed")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if services.calendar_feed_token_revoke(user=request.user):
        messages.success(request, _("The calendar address was switched off. Calendar programs no longer receive it."))
    return redirect("counselling:feed_settings")


@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal calendar feed: calendar programs cannot log in, so the secret in the address
    is the only key. Unknown or revoked secrets get 404, like any address that does not exist."""
    feed_token = selectors.calendar_feed_token_lookup(token)
    if feed_token is None:
        raise Http404
    user = feed_token.user
    with scope(centre=user.centre_id):
        appointments = list(selectors.feed_appointments(user=user))
        content = appointments_to_ical(appointments, name=f"MIRA · {user.get_full_name() or user.username}")
    services.calendar_feed_token_mark_used(token=feed_token)
    response = _ics_response(content, "mira.ics")
    response["Content-Disposition"] = 'inline; filename="mira.ics"'
    return response


# Interpreters ------------------------------------------------------------------------------


@login_required
def interpreter_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "counselling.view_interpreters")
    interpreters = list(selectors.interpreters_of_centre(centre_id=request.user.centre_id))
    return render(
        request,
        "counselling/interpreter_list.html",
        {"interpreters": interpreters, "can_add": request.user.has_perm("counselling.add_interpreter")},
    )


@login_required
def interpreter_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "counselling.add_interpreter")
    form = InterpreterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.interpreter_save(interpreter=form.instance, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            messages.success(request, _("The interpreter was added."))
            return redirect("counselling:interpreter_list")
    return render(request, "counselling/interpreter_form.html", {"form": form})


@login_required
def interpreter_update(request: HttpRequest, pk: int) -> HttpResponse:
    interpreter = get_object_or_404_logged(request, Interpreter.objects.all(), pk=pk)
    require_perm(request.user, "counselling.change_interpreter", interpreter)
    form = InterpreterForm(request.POST or None, instance=interpreter)
    if request.method == "POST" and form.is_valid():
        try:
            services.interpreter_save(interpreter=form.instance, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            messages.success(request, _("The interpreter was saved."))
            return redirect("counselling:interpreter_list")
    return render(request, "counselling/interpreter_form.html", {"form": form, "interpreter": interpreter})
