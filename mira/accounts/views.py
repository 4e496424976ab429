"""Login, second factor (TOTP with recovery codes), password change and the security page.

Every page here acts on the logged-in user's own account; there are no object ids in the URLs."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from mira.accounts import selectors, services
from mira.accounts.flow import (
    NEW_RECOVERY_CODES_KEY,
    PENDING_KEY,
    SESSION_ENDED_KEY,
    mark_verified,
    safe_next,
    url_with_next,
)
from mira.accounts.forms import CodeForm, LoginForm, PasswordChangeForm, PasswordConfirmForm
from mira.accounts.models import User
from mira.core.permissions import require_perm

MANAGE = "accounts.manage_own_security"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_without_second_factor"] = settings.DEMO_MODE and not settings.MIRA_REQUIRE_SECOND_FACTOR
        context["session_ended"] = self.request.session.pop(SESSION_ENDED_KEY, False)
        context["idle_minutes"] = settings.SESSION_COOKIE_AGE // 60
        return context

    def get_success_url(self):
        # The password is only the first step: with an authenticator (the user_logged_in
        # signal marked the session), the code comes next; where the second factor is
        # required and none is set up, its set-up comes next.
        target = super().get_success_url()
        if self.request.session.get(PENDING_KEY):
            return url_with_next("accounts:verify", target)
        # Right after the password, request.user is the bare user (OTPMiddleware ran before).
        is_verified = getattr(self.request.user, "is_verified", None)
        if settings.MIRA_REQUIRE_SECOND_FACTOR and not (is_verified and is_verified()):
            return url_with_next("accounts:second_factor_setup", target)
        return target


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have been logged out."))
        return response


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of the login: a code from the app or a recovery code."""
    target = safe_next(request)
    if request.user.is_verified():
        return redirect(target)
    if not selectors.user_has_second_factor(user=request.user):
        request.session.pop(PENDING_KEY, None)
        if settings.MIRA_REQUIRE_SECOND_FACTOR:
            return redirect(url_with_next("accounts:second_factor_setup", target))
        return redirect(target)
    form = CodeForm(request.POST or None, recovery_allowed=True)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            mark_verified(request, device)
            if isinstance(device, StaticDevice):
                _warn_about_recovery_codes(request)
            return redirect(target)
    return render(request, "accounts/verify.html", {"form": form, "next": target, "minimal_navbar": True})


@login_required
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrolment: scan the QR code (or type the secret), confirm with a code; then the recovery codes."""
    require_perm(request.user, MANAGE)
    target = safe_next(request)
    if selectors.user_has_second_factor(user=request.user):
        if not request.user.is_verified():
            return redirect(url_with_next("accounts:verify", target))
        messages.info(request, _("Your second factor is already set up."))
        return redirect("accounts:security")
    device = services.second_factor_enrolment_start(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.second_factor_enrolment_confirm(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            mark_verified(request, device)
            request.session[NEW_RECOVERY_CODES_KEY] = codes
            messages.success(request, _("The second factor is set up. From now on, MIRA asks for a code at login."))
            return redirect(url_with_next("accounts:recovery_codes", target))
    context = {
        "form": form,
        "next": target,
        "qr_svg": selectors.totp_qr_svg(device, label=_("QR code for your authenticator app")),
        "secret_groups": selectors.totp_secret_groups(device),
        "required": settings.MIRA_REQUIRE_SECOND_FACTOR,
        "minimal_navbar": settings.MIRA_REQUIRE_SECOND_FACTOR and not request.user.is_verified(),
    }
    return render(request, "accounts/setup.html", context)


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows newly created recovery codes once; afterwards only how many are left."""
    require_perm(request.user, MANAGE)
    if not selectors.user_has_second_factor(user=request.user):
        return redirect("accounts:security")
    codes = request.session.pop(NEW_RECOVERY_CODES_KEY, None) or []
    context = {
        "codes": [selectors.format_recovery_code(code) for code in codes],
        "codes_left": selectors.recovery_codes_left(user=request.user),
        "next": safe_next(request),
    }
    return render(request, "accounts/recovery_codes.html", context)


@login_required
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, MANAGE)
    if not selectors.user_has_second_factor(user=request.user):
        messages.error(request, _("Set up the second factor first."))
        return redirect("accounts:security")
    if not request.user.is_verified():
        return redirect(url_with_next("accounts:verify", reverse("accounts:security")))
    codes = services.recovery_codes_regenerate(user=request.user)
    request.session[NEW_RECOVERY_CODES_KEY] = codes
    messages.success(request, _("New recovery codes have been created. The old ones no longer work."))
    return redirect("accounts:recovery_codes")


@login_required
def second_factor_remove(request: HttpRequest) -> HttpResponse:
    """Removes the authenticator and the recovery codes after the current password is given."""
    require_perm(request.user, MANAGE)
    if not selectors.user_has_second_factor(user=request.user):
        messages.info(request, _("No second factor is set up."))
        return redirect("accounts:security")
    if not request.user.is_verified():
        return redirect(url_with_next("accounts:verify", request.get_full_path()))
    form = PasswordConfirmForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        services.second_factor_remove(user=request.user)
        if settings.MIRA_REQUIRE_SECOND_FACTOR:
            messages.warning(request, _("The second factor has been removed. Set up a new one now to continue."))
        else:
            messages.success(request, _("The second factor has been removed."))
        return redirect("accounts:security")
    return render(
        request,
        "accounts/remove.html",
        {"form": form, "required": settings.MIRA_REQUIRE_SECOND_FACTOR},
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:security")
    extra_context = {"title": gettext_lazy("Change password")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed. Other sessions have been logged out."))
        return response


@login_required
def security(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, MANAGE)
    context = {
        "status": selectors.second_factor_status(user=request.user),
        "required": settings.MIRA_REQUIRE_SECOND_FACTOR,
        "recovery_code_count": services.RECOVERY_CODE_COUNT,
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
    return render(request, "accounts/security.html", context)


def _warn_about_recovery_codes(request: HttpRequest) -> None:
    left = selectors.recovery_codes_left(user=request.user)
    message = ngettext(
        "You logged in with a recovery code. It is now used up; %(count)d code is left.",
        "You logged in with a recovery code. It is now used up; %(count)d codes are left.",
        left,
    ) % {"count": left}
    if left <= 3:
        message += " " + _("Create new recovery codes on the security page soon.")
    messages.warning(request, message)


# --- The coordinator's team page -------------------------------------------------------------


def _display_name(member: User) -> str:
    return member.get_full_name() or member.username


def _colleague(request: HttpRequest, pk: int) -> User:
    """An active account of the coordinator's centre (404 for any other, so nobody learns what exists)."""
    require_perm(request.user, "accounts.view_team")
    member = User.objects.filter(pk=pk, is_active=True, centre_id=request.user.centre_id).first()
    if member is None or member.pk == request.user.pk:
        raise Http404
    require_perm(request.user, "accounts.help_colleague", member)
    return member


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """The staff of the coordinator's centre: second factor set up, locked out after failed logins."""
    require_perm(request.user, "accounts.view_team")
    return render(request, "accounts/team.html", {"members": selectors.team_of(centre=request.user.centre)})


@login_required
def team_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    member = _colleague(request, pk)  # before the method check: a refused user learns nothing
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.account_unlock(member=member, actor=request.user)
    messages.success(request, _("%(name)s can log in again.") % {"name": _display_name(member)})
    return redirect("accounts:team")


@login_required
def team_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirms, then removes a colleague's second factor (lost phone and lost recovery codes)."""
    member = _colleague(request, pk)
    if not selectors.user_has_second_factor(user=member):
        messages.info(request, _("%(name)s has no second factor.") % {"name": _display_name(member)})
        return redirect("accounts:team")
    if request.method == "POST":
        services.second_factor_reset_for(member=member, actor=request.user)
        messages.success(
            request,
            _("The second factor of %(name)s has been removed. At the next login, MIRA asks to set up a new one.")
            % {"name": _display_name(member)},
        )
        return redirect("accounts:team")
    return render(request, "accounts/team_second_factor_reset.html", {"member": member})
