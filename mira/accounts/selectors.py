"""Reads about a user's login security."""

from base64 import b32encode
from dataclasses import dataclass

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
