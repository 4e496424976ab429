import factory
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mira.participants.tests.factories import UserFactory

RECOVERY_CODES = [
    f"abcd{letters}" for letters in ("efgh", "ijkl", "mnop", "qrst", "uvwx", "yz23", "4567", "aaaa", "bbbb", "cccc")
]


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app (set confirmed=False for one in the middle of its set-up)."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


class RecoveryDeviceFactory(factory.django.DjangoModelFactory):
    """The recovery codes of a user: RECOVERY_CODES unless codes=[...] is given."""

    class Meta:
        model = StaticDevice
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    name = "Recovery codes"
    confirmed = True

    @factory.post_generation
    def codes(obj, create, extracted, **kwargs):
        if create:
            for code in RECOVERY_CODES if extracted is None else extracted:
                StaticToken.objects.create(device=obj, token=code)


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or that many 30-second steps later)."""
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):0{device.digits}d}"
    )


def wrong_code(device: TOTPDevice) -> str:
    """A well-formed 6-digit code that is none of the codes accepted now."""
    accepted = {current_code(device, steps_ahead=step) for step in (-1, 0, 1)}
    return next(f"{number:06d}" for number in range(1000000) if f"{number:06d}" not in accepted)
