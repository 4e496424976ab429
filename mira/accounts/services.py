"""Writes for the login's second factor: enrolment, verification, recovery codes, removal.

A wrong code is counted by django-otp's throttling (exponential back-off per device).
The count must survive the rejection, so a rejected code never raises inside the
transaction that verified it: the services decide inside, and raise after the commit.
"""

import logging
import math
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mira.accounts.models import User

security_log = logging.getLogger("mira.security")

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

_TOTP_CODE = re.compile(r"^\d{6}$")
# django-otp's static tokens: 8 characters of lower-case base32 (a-z, 2-7).
_RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")


def normalise_code(raw: str) -> str:
    """What people type: spaces and hyphens anywhere, upper or lower case."""
    return re.sub(r"[\s-]", "", raw or "").lower()


def is_totp_code(code: str) -> bool:
    return bool(_TOTP_CODE.match(code))


def is_recovery_code(code: str) -> bool:
    return bool(_RECOVERY_CODE.match(code))


def second_factor_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator of this user (created on the first call). Reloading the
    enrolment page keeps the same secret, so a half-finished scan stays valid."""
    with transaction.atomic():
        # Serialises two tabs opening the enrolment page at once: one unconfirmed device per user.
        User.objects.select_for_update().filter(pk=user.pk).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
            device.full_clean()
            device.save()
    return device


def second_factor_enrolment_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirms the unconfirmed authenticator with a code from the app.

    Side effects: any earlier authenticator of the user is deleted, and a fresh set of
    recovery codes replaces the old ones. Returns the device (for django_otp.login) and the
    recovery codes (to be shown once).
    Raises ValidationError (code "invalid", "throttled" or "missing")."""
    code = normalise_code(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            raise ValidationError(_("The set-up has expired. Please start again."), code="missing")
        rejection = _check_code(device, code)
        if rejection is None:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.full_clean()
            device.save(update_fields=["confirmed"])
            codes = _replace_recovery_codes(user)
    if rejection is not None:
        raise rejection
    security_log.info("Second factor set up: user=%s", user.pk)
    return device, codes


def second_factor_verify(*, user: User, code: str) -> Device:
    """Checks a code from the authenticator app or a recovery code (which is used up).

    Returns the device that accepted it, for django_otp.login(). Raises ValidationError
    (code "invalid", "throttled", "format" or "missing"); wrong codes count towards the throttle."""
    code = normalise_code(code)
    if is_totp_code(code):
        model = TOTPDevice
    elif is_recovery_code(code):
        model = StaticDevice
    else:
        raise ValidationError(_("Enter the 6-digit code from your app or one of your recovery codes."), code="format")
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            rejection = ValidationError(_("This code is not valid."), code="missing")
        else:
            rejection = _check_code(device, code)
    if rejection is not None:
        security_log.warning("Second factor rejected: user=%s reason=%s", user.pk, rejection.code)
        raise rejection
    if model is StaticDevice:
        security_log.warning("Recovery code used: user=%s", user.pk)
    return device


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working at once. Only for a user with an authenticator."""
    with transaction.atomic():
        if not TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).exists():
            raise ValidationError(_("Set up the second factor first."), code="no_device")
        codes = _replace_recovery_codes(user)
    security_log.info("Recovery codes replaced: user=%s", user.pk)
    return codes


def second_factor_remove(*, user: User) -> None:
    """Deletes the authenticator and the recovery codes. A session verified with them is no
    longer verified; where the second factor is required, the next page asks to set it up again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    security_log.warning("Second factor removed: user=%s", user.pk)


def _replace_recovery_codes(user: User) -> list[str]:
    """Keeps the recovery device (a session verified with it stays verified), swaps its tokens."""
    device = StaticDevice.objects.select_for_update().filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        device.full_clean()
        device.save()
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    device.throttle_reset(commit=True)
    codes = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in sorted(codes)])
    return sorted(codes)


def _check_code(device: Device, code: str) -> ValidationError | None:
    """Verifies code on a locked device row; returns the error to raise after the commit."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return _throttled_error(info or {})
    if device.verify_token(code):
        return None
    return ValidationError(
        _("This code is not valid. Enter the code your app shows now (it changes every 30 seconds).")
        if isinstance(device, TOTPDevice)
        else _("This recovery code is not valid or has already been used."),
        code="invalid",
    )


def _throttled_error(info: dict) -> ValidationError:
    locked_until = info.get("locked_until")
    if info.get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS or locked_until is None:
        return ValidationError(_("Too many wrong codes. Please try again later."), code="throttled")
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    if seconds <= 90:
        message = ngettext(
            "Too many wrong codes. Please wait %(count)d second, then try again.",
            "Too many wrong codes. Please wait %(count)d seconds, then try again.",
            seconds,
        ) % {"count": seconds}
    else:
        minutes = math.ceil(seconds / 60)
        message = ngettext(
            "Too many wrong codes. Please wait %(count)d minute, then try again.",
            "Too many wrong codes. Please wait %(count)d minutes, then try again.",
            minutes,
        ) % {"count": minutes}
    return ValidationError(message, code="throttled")


def account_unlock(*, member: User, actor: User) -> int:
    """Lifts a login lockout of the member's username (failed attempts from any address are
    forgotten). Returns the number of attempt records removed."""
    from axes.utils import reset

    removed = reset(username=member.username)
    security_log.warning("Login lockout lifted: user=%s by=%s", member.pk, actor.pk)
    return removed


def second_factor_reset_for(*, member: User, actor: User) -> None:
    """A coordinator removes a colleague's lost second factor (phone and recovery codes lost);
    the colleague sets up a new one at the next login."""
    second_factor_remove(user=member)
    security_log.warning("Second factor reset: user=%s by=%s", member.pk, actor.pk)
