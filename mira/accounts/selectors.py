"""Reads about a user's login security."""

import datetime
from base64 import b32encode
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.html import escape
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mira.accounts.models import User


@dataclass(frozen=True)
class SecondFactorStatus:
    device: TOTPDevice | None
    recovery_codes_left: int

    @property
    def active(self) -> bool:
        return self.device is not None


def user_has_second_factor(*, user: User) -> bool:
    """True once the user has confirmed an authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_status(*, user: User) -> SecondFactorStatus:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count() if device else 0
    return SecondFactorStatus(device=device, recovery_codes_left=left)


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_secret_groups(device: TOTPDevice) -> list[str]:
    """The secret as apps expect it for manual entry (base32), in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return [secret[index : index + 4] for index in range(0, len(secret), 4)]


def totp_qr_svg(device: TOTPDevice, *, label: str) -> str:
    """The otpauth:// URL as an inline SVG QR code (no image request, no external service)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    svg = image.to_string(encoding="unicode")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" focusable="false" ', 1)


def format_recovery_code(code: str) -> str:
    """abcd-efgh: easier to read aloud and to copy by hand."""
    return f"{code[:4]}-{code[4:]}"


@dataclass(frozen=True)
class TeamMember:
    user: User
    has_second_factor: bool
    locked_out: bool


def locked_out_usernames() -> set[str]:
    """Usernames locked out now by too many failed logins (as django-axes counts them: the most
    failures of any of the username's attempts within the cool-off time)."""
    from axes.models import AccessAttempt

    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return set(
        AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since)
        .values_list("username", flat=True)
        .distinct()
    )


def team_of(*, centre) -> list[TeamMember]:
    """The active accounts of the centre with their second factor and lockout: three queries."""
    members = list(
        User.objects.filter(centre=centre, is_active=True)
        .annotate(has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("last_name", "first_name", "username")
    )
    locked = locked_out_usernames()
    return [
        TeamMember(user=member, has_second_factor=member.has_device, locked_out=member.username in locked)
        for member in members
    ]
