from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def test_second_factor_reset_removes_authenticator_and_codes(authenticator, counsellor):
    out = StringIO()
    call_command("second_factor_reset", "beratung", stdout=out)
    assert out.getvalue() == "Second factor of beratung removed.\n"
    assert TOTPDevice.objects.filter(user=counsellor).count() == 0
    assert StaticDevice.objects.filter(user=counsellor).count() == 0


def test_second_factor_reset_without_second_factor_changes_nothing(counsellor):
    out = StringIO()
    call_command("second_factor_reset", "beratung", stdout=out)
    assert out.getvalue() == "beratung has no second factor; nothing to do.\n"


def test_second_factor_reset_of_unknown_user_fails():
    with pytest.raises(CommandError, match="No user named 'niemand'."):
        call_command("second_factor_reset", "niemand")
