import datetime
from base64 import b32encode

import pytest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mira.accounts.flow import PENDING_KEY
from mira.accounts.tests.factories import RECOVERY_CODES, TOTPDeviceFactory, current_code, wrong_code

pytestmark = pytest.mark.django_db

WRONG_CODE = (
    "Dieser Code ist ungültig. Geben Sie den Code ein, den Ihre App gerade anzeigt (er wechselt alle 30 Sekunden)."
)


def _errors(response) -> list[str]:
    return response.context["form"].errors.get("code", [])


# --- the second step of the login -------------------------------------------------------------


def test_login_with_authenticator_asks_for_code_and_keeps_next(password_login, authenticator):
    response = password_login(next="/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/verify/?next=%2Fcases%2F"


def test_login_with_authenticator_blocks_pages_until_code_given(client, password_login, authenticator):
    password_login()
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/verify/?next=%2Fcases%2F"


def test_verify_with_correct_code_completes_login(client, password_login, authenticator):
    password_login()
    response = client.post("/accounts/verify/", {"code": current_code(authenticator), "next": "/cases/"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert client.session[DEVICE_ID_SESSION_KEY] == authenticator.persistent_id
    assert client.get("/start/").status_code == 200


def test_verify_code_with_spaces_is_accepted(client, password_login, authenticator):
    password_login()
    code = current_code(authenticator)
    response = client.post("/accounts/verify/", {"code": f" {code[:3]} {code[3:]} "})
    assert response["Location"] == "/start/"


def test_verify_with_wrong_code_counts_the_failure(client, password_login, authenticator):
    password_login()
    response = client.post("/accounts/verify/", {"code": wrong_code(authenticator)})
    assert response.status_code == 200
    assert _errors(response) == [WRONG_CODE]
    authenticator.refresh_from_db()
    assert authenticator.throttling_failure_count == 1
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_verify_right_after_wrong_code_is_throttled(client, password_login, authenticator):
    password_login()
    client.post("/accounts/verify/", {"code": wrong_code(authenticator)})
    response = client.post("/accounts/verify/", {"code": current_code(authenticator)})
    assert _errors(response) == ["Zu viele falsche Codes. Bitte warten Sie 1 Sekunde und versuchen Sie es dann erneut."]
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_verify_long_throttle_is_shown_in_minutes(client, password_login, authenticator):
    password_login()
    TOTPDevice.objects.filter(pk=authenticator.pk).update(
        throttling_failure_count=10, throttling_failure_timestamp=timezone.now()
    )
    response = client.post("/accounts/verify/", {"code": current_code(authenticator)})
    # 10 failures: 2**9 = 512 seconds.
    assert _errors(response) == ["Zu viele falsche Codes. Bitte warten Sie 9 Minuten und versuchen Sie es dann erneut."]


def test_verify_after_the_throttle_delay_accepts_code(client, password_login, authenticator):
    password_login()
    client.post("/accounts/verify/", {"code": wrong_code(authenticator)})
    TOTPDevice.objects.filter(pk=authenticator.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=5)
    )
    response = client.post("/accounts/verify/", {"code": current_code(authenticator)})
    assert response["Location"] == "/start/"
    authenticator.refresh_from_db()
    assert authenticator.throttling_failure_count == 0


def test_verify_same_code_twice_is_refused(client, password_login, authenticator):
    code = current_code(authenticator)
    password_login()
    client.post("/accounts/verify/", {"code": code})
    client.post("/accounts/logout/")
    password_login()
    response = client.post("/accounts/verify/", {"code": code})
    assert _errors(response) == [WRONG_CODE]


def test_verify_with_recovery_code_uses_it_up(client, password_login, authenticator, counsellor):
    password_login()
    response = client.post("/accounts/verify/", {"code": "ABCD-EFGH"}, follow=True)
    assert response.redirect_chain == [("/start/", 302)]
    assert StaticToken.objects.filter(device__user=counsellor).count() == 9
    assert not StaticToken.objects.filter(token="abcdefgh").exists()
    assert "Sie haben sich mit einem Wiederherstellungscode angemeldet. Er ist nun verbraucht; 9 Codes sind übrig." in (
        response.content.decode()
    )


def test_verify_with_used_recovery_code_is_refused(client, password_login, authenticator):
    StaticToken.objects.filter(token="abcdefgh").delete()
    password_login()
    response = client.post("/accounts/verify/", {"code": "abcd-efgh"})
    assert _errors(response) == ["Dieser Wiederherstellungscode ist ungültig oder wurde bereits verwendet."]
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_verify_last_recovery_codes_warn_to_create_new_ones(client, password_login, authenticator, counsellor):
    StaticToken.objects.exclude(token__in=RECOVERY_CODES[:3]).delete()
    password_login()
    response = client.post("/accounts/verify/", {"code": RECOVERY_CODES[0]}, follow=True)
    assert (
        "Er ist nun verbraucht; 2 Codes sind übrig. Erstellen Sie bald neue Wiederherstellungscodes auf der "
        "Sicherheitsseite." in response.content.decode()
    )


def test_verify_with_malformed_code_explains_the_format(client, password_login, authenticator):
    password_login()
    response = client.post("/accounts/verify/", {"code": "12345"})
    assert _errors(response) == [
        "Geben Sie den 6-stelligen Code aus Ihrer App oder einen Ihrer Wiederherstellungscodes ein."
    ]
    authenticator.refresh_from_db()
    assert authenticator.throttling_failure_count == 0


def test_verify_with_empty_code_keeps_the_page(client, password_login, authenticator):
    password_login()
    response = client.post("/accounts/verify/", {"code": ""})
    assert _errors(response) == ["Dieses Feld ist zwingend erforderlich."]


def test_verify_without_authenticator_goes_on(client, counsellor):
    client.force_login(counsellor)
    response = client.get("/accounts/verify/?next=/cases/")
    assert response["Location"] == "/cases/"


def test_verify_keeps_next_only_on_this_site(client, password_login, authenticator):
    password_login()
    response = client.post(
        "/accounts/verify/", {"code": current_code(authenticator), "next": "https://evil.example.org/"}
    )
    assert response["Location"] == "/start/"


def test_verify_pending_htmx_request_gets_a_client_redirect(client, password_login, authenticator):
    password_login()
    response = client.get("/cases/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/verify/?next=%2Fcases%2F"


# --- enrolment ---------------------------------------------------------------------------------


def test_setup_page_shows_qr_code_and_secret(client, counsellor):
    client.force_login(counsellor)
    response = client.get("/accounts/security/second-factor/")
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=counsellor)
    assert device.confirmed is False
    page = response.content.decode()
    assert '<svg role="img" aria-label="QR-Code für Ihre Authenticator-App"' in page
    secret = b32encode(device.bin_key).decode()
    assert "".join(response.context["secret_groups"]) == secret
    assert response.context["secret_groups"][0] == secret[:4]
    assert "data:" not in page


def test_setup_page_reload_keeps_the_secret(client, counsellor):
    client.force_login(counsellor)
    first = client.get("/accounts/security/second-factor/").context["secret_groups"]
    second = client.get("/accounts/security/second-factor/").context["secret_groups"]
    assert first == second
    assert TOTPDevice.objects.filter(user=counsellor).count() == 1


def test_setup_with_correct_code_activates_and_shows_ten_recovery_codes_once(client, counsellor):
    client.force_login(counsellor)
    client.get("/accounts/security/second-factor/")
    device = TOTPDevice.objects.get(user=counsellor)
    response = client.post("/accounts/security/second-factor/", {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/security/recovery-codes/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    shown = client.get("/accounts/security/recovery-codes/")
    stored = sorted(StaticToken.objects.filter(device__user=counsellor).values_list("token", flat=True))
    assert len(stored) == 10
    assert shown.context["codes"] == [f"{code[:4]}-{code[4:]}" for code in stored]
    assert "nur dieses eine Mal angezeigt" in shown.content.decode()

    again = client.get("/accounts/security/recovery-codes/")
    assert again.context["codes"] == []
    assert all(code not in again.content.decode() for code in stored)


def test_setup_with_wrong_code_keeps_device_unconfirmed(client, counsellor):
    client.force_login(counsellor)
    client.get("/accounts/security/second-factor/")
    device = TOTPDevice.objects.get(user=counsellor)
    response = client.post("/accounts/security/second-factor/", {"code": wrong_code(device)})
    assert response.status_code == 200
    assert _errors(response) == [WRONG_CODE]
    device.refresh_from_db()
    assert device.confirmed is False
    assert device.throttling_failure_count == 1
    assert StaticToken.objects.filter(device__user=counsellor).count() == 0


def test_setup_does_not_take_a_recovery_code(client, counsellor):
    client.force_login(counsellor)
    client.get("/accounts/security/second-factor/")
    response = client.post("/accounts/security/second-factor/", {"code": "abcdefgh"})
    assert _errors(response) == [WRONG_CODE]


def test_setup_when_already_active_goes_to_security_page(client, password_login, authenticator):
    password_login()
    client.post("/accounts/verify/", {"code": current_code(authenticator)})
    response = client.get("/accounts/security/second-factor/")
    assert response["Location"] == "/accounts/security/"
    assert TOTPDevice.objects.filter(user=authenticator.user).count() == 1


def test_setup_with_active_device_but_unverified_session_asks_for_code(client, authenticator, counsellor):
    client.force_login(counsellor)
    response = client.get("/accounts/security/second-factor/")
    assert response["Location"] == "/accounts/verify/"


def test_setup_of_one_user_leaves_others_alone(client, counsellor, coordinator):
    other = TOTPDeviceFactory(user=coordinator)
    client.force_login(counsellor)
    client.get("/accounts/security/second-factor/")
    device = TOTPDevice.objects.get(user=counsellor)
    client.post("/accounts/security/second-factor/", {"code": current_code(device)})
    assert TOTPDevice.objects.filter(pk=other.pk, confirmed=True).exists()


# --- recovery codes, removal ---------------------------------------------------------------------


@pytest.fixture
def verified_client(client, password_login, authenticator):
    password_login()
    client.post("/accounts/verify/", {"code": current_code(authenticator)})
    return client


def test_regenerate_recovery_codes_replaces_the_old_ones(verified_client, counsellor):
    response = verified_client.post("/accounts/security/recovery-codes/new/")
    assert response["Location"] == "/accounts/security/recovery-codes/"
    tokens = set(StaticToken.objects.filter(device__user=counsellor).values_list("token", flat=True))
    assert len(tokens) == 10
    assert tokens.isdisjoint(RECOVERY_CODES)
    shown = verified_client.get("/accounts/security/recovery-codes/").context["codes"]
    assert sorted(code.replace("-", "") for code in shown) == sorted(tokens)


def test_regenerate_recovery_codes_keeps_the_session_verified(client, password_login, authenticator):
    password_login()
    client.post("/accounts/verify/", {"code": RECOVERY_CODES[0]})
    client.post("/accounts/security/recovery-codes/new/")
    assert client.get("/start/").status_code == 200
    assert DEVICE_ID_SESSION_KEY in client.session


def test_regenerate_recovery_codes_needs_a_verified_session(client, authenticator, counsellor):
    client.force_login(counsellor)
    response = client.post("/accounts/security/recovery-codes/new/")
    assert response["Location"] == "/accounts/verify/"
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(RECOVERY_CODES)


def test_regenerate_recovery_codes_view_itself_checks_the_session(client, authenticator, counsellor):
    _login_without_pending_mark(client, counsellor)
    response = client.post("/accounts/security/recovery-codes/new/")
    assert response["Location"] == "/accounts/verify/?next=%2Faccounts%2Fsecurity%2F"
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(RECOVERY_CODES)


def test_regenerate_recovery_codes_without_authenticator_is_refused(client, counsellor):
    client.force_login(counsellor)
    response = client.post("/accounts/security/recovery-codes/new/", follow=True)
    assert "Richten Sie zuerst den zweiten Faktor ein." in response.content.decode()
    assert StaticToken.objects.count() == 0


def test_remove_with_wrong_password_keeps_everything(verified_client, counsellor):
    response = verified_client.post("/accounts/security/second-factor/remove/", {"password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["Das Passwort ist nicht korrekt."]
    assert TOTPDevice.objects.filter(user=counsellor).count() == 1
    assert StaticToken.objects.filter(device__user=counsellor).count() == 10


def test_remove_with_password_deletes_authenticator_and_codes(verified_client, counsellor):
    response = verified_client.post("/accounts/security/second-factor/remove/", {"password": "mira-test-password"})
    assert response["Location"] == "/accounts/security/"
    assert TOTPDevice.objects.filter(user=counsellor).count() == 0
    assert StaticToken.objects.filter(device__user=counsellor).count() == 0
    assert verified_client.get("/accounts/security/").status_code == 200


def test_remove_where_required_leads_to_new_setup(verified_client, counsellor, settings):
    settings.MIRA_REQUIRE_SECOND_FACTOR = True
    verified_client.post("/accounts/security/second-factor/remove/", {"password": "mira-test-password"})
    response = verified_client.get("/accounts/security/")
    assert response["Location"] == "/accounts/security/second-factor/?next=%2Faccounts%2Fsecurity%2F"


def test_remove_needs_a_verified_session(client, authenticator, counsellor):
    client.force_login(counsellor)
    response = client.post("/accounts/security/second-factor/remove/", {"password": "mira-test-password"})
    assert response["Location"] == "/accounts/verify/"
    assert TOTPDevice.objects.filter(user=counsellor).count() == 1


def test_remove_view_itself_checks_the_session(client, authenticator, counsellor):
    _login_without_pending_mark(client, counsellor)
    response = client.post("/accounts/security/second-factor/remove/", {"password": "mira-test-password"})
    assert response["Location"] == "/accounts/verify/?next=%2Faccounts%2Fsecurity%2Fsecond-factor%2Fremove%2F"
    assert TOTPDevice.objects.filter(user=counsellor).count() == 1


def _login_without_pending_mark(client, user):
    """A session that skipped the login's mark (defence in depth: the views check on their own)."""
    client.force_login(user)
    session = client.session
    del session[PENDING_KEY]
    session.save()


# --- the security page ---------------------------------------------------------------------------


def test_security_page_shows_active_second_factor_and_codes_left(verified_client):
    StaticToken.objects.filter(token__in=RECOVERY_CODES[:7]).delete()
    response = verified_client.get("/accounts/security/")
    page = response.content.decode()
    assert "Aktiv" in page
    assert "3 von 10 Codes übrig." in page
    assert "Nur noch wenige Codes: Erstellen Sie neue." in page


def test_security_page_without_second_factor_offers_setup(client, counsellor):
    client.force_login(counsellor)
    page = client.get("/accounts/security/").content.decode()
    assert "Nicht eingerichtet" in page
    assert 'href="/accounts/security/second-factor/"' in page


def test_remove_with_wrong_passwords_counts_towards_the_lockout(verified_client, counsellor):
    for _attempt in range(4):
        verified_client.post("/accounts/security/second-factor/remove/", {"password": "wrong"})
    response = verified_client.post("/accounts/security/second-factor/remove/", {"password": "wrong"})
    assert response.status_code == 429
    assert "Zu viele Fehlversuche" in response.content.decode()
    response = verified_client.post("/accounts/security/second-factor/remove/", {"password": "mira-test-password"})
    assert response.status_code == 429
    assert TOTPDevice.objects.filter(user=counsellor).count() == 1
