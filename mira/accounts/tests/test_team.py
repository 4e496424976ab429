import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mira.accounts.tests.factories import RecoveryDeviceFactory, TOTPDeviceFactory

pytestmark = pytest.mark.django_db

TEAM = reverse("accounts:team")


def _lock_out(user, failures=5):
    AccessAttempt.objects.create(
        username=user.username, ip_address="203.0.113.9", user_agent="test", failures_since_start=failures,
        attempt_time=timezone.now(), get_data="", post_data="", http_accept="", path_info="/accounts/login/",
    )  # fmt: skip


def _row(members, user):
    return next(member for member in members if member.user == user)


def test_team_shows_the_centres_accounts_with_second_factor_and_lockout(
    client, coordinator, counsellor, finance, counsellor_other_centre, django_assert_max_num_queries
):
    TOTPDeviceFactory(user=counsellor)
    _lock_out(finance)
    _lock_out(counsellor, failures=2)  # not yet locked
    client.force_login(coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(TEAM)
    members = response.context["members"]
    assert counsellor_other_centre not in [member.user for member in members]
    assert (_row(members, counsellor).has_second_factor, _row(members, counsellor).locked_out) == (True, False)
    assert (_row(members, finance).has_second_factor, _row(members, finance).locked_out) == (False, True)
    html = response.content.decode()
    assert "Gesperrt nach Fehlversuchen" in html
    assert reverse("accounts:team_unlock", args=[finance.pk]) in html
    assert reverse("accounts:team_second_factor_reset", args=[counsellor.pk]) in html


def test_coordinator_lifts_a_lockout(client, coordinator, finance):
    _lock_out(finance)
    client.force_login(coordinator)
    response = client.post(reverse("accounts:team_unlock", args=[finance.pk]), follow=True)
    assert not AccessAttempt.objects.filter(username=finance.username).exists()
    assert f"{finance.get_full_name()} kann sich wieder anmelden." in response.content.decode()


def test_coordinator_resets_a_lost_second_factor_after_confirming(client, coordinator, counsellor):
    TOTPDeviceFactory(user=counsellor)
    RecoveryDeviceFactory(user=counsellor)
    client.force_login(coordinator)
    url = reverse("accounts:team_second_factor_reset", args=[counsellor.pk])
    assert "Zweiten Faktor von" in client.get(url).content.decode()
    assert TOTPDevice.objects.filter(user=counsellor).exists()
    response = client.post(url, follow=True)
    assert not TOTPDevice.objects.filter(user=counsellor).exists()
    assert "wurde entfernt" in response.content.decode()


def test_no_help_for_other_centres_or_the_own_account(client, coordinator, counsellor_other_centre):
    _lock_out(counsellor_other_centre)
    client.force_login(coordinator)
    _lock_out(coordinator)  # after the login, which forgets the account's failed attempts
    assert client.post(reverse("accounts:team_unlock", args=[counsellor_other_centre.pk])).status_code == 404
    assert AccessAttempt.objects.filter(username=counsellor_other_centre.username).exists()
    assert client.post(reverse("accounts:team_second_factor_reset", args=[coordinator.pk])).status_code == 404
    assert client.post(reverse("accounts:team_unlock", args=[coordinator.pk])).status_code == 404
    assert AccessAttempt.objects.filter(username=coordinator.username).exists()


def test_counsellors_have_no_team_page(client, counsellor):
    client.force_login(counsellor)
    assert client.get(TEAM).status_code == 403
