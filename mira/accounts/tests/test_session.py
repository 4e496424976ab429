import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db

ENDED = (
    "Ihre Sitzung ist beendet: Nach 30 Minuten ohne Aktivität meldet MIRA Sie zum Schutz der Daten ab. "
    "Bitte melden Sie sich erneut an."
)


def _age_sessions(minutes: int) -> None:
    """As if the last request had been that many minutes ago."""
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=30 - minutes))


def test_session_idle_age_is_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_session_idle_longer_than_the_limit_is_logged_out(client, counsellor):
    client.force_login(counsellor)
    _age_sessions(31)
    response = client.get("/start/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/start/"


def test_session_idle_shorter_than_the_limit_stays_logged_in(client, counsellor):
    client.force_login(counsellor)
    _age_sessions(29)
    assert client.get("/start/").status_code == 200


def test_session_each_request_extends_the_idle_limit(client, counsellor):
    client.force_login(counsellor)
    _age_sessions(20)
    client.get("/start/")
    expiry = Session.objects.get().expire_date
    assert expiry - timezone.now() > datetime.timedelta(minutes=29)


def test_session_end_is_written_at_most_once_a_minute(client, counsellor):
    client.force_login(counsellor)
    client.get("/start/")
    written = Session.objects.get().expire_date
    client.get("/start/")
    assert Session.objects.get().expire_date == written
    # A minute and a bit later, the next request moves the end again.
    Session.objects.update(expire_date=written - datetime.timedelta(seconds=61))
    client.get("/start/")
    assert Session.objects.get().expire_date > written


def test_changed_session_data_is_always_saved():
    from mira.accounts.sessions import SessionStore

    store = SessionStore()
    store["step"] = "password"
    store.save(must_create=True)
    again = SessionStore(session_key=store.session_key)
    again["step"] = "second factor"  # loads, then changes
    again.save()
    assert SessionStore(session_key=store.session_key)["step"] == "second factor"


def test_login_page_after_session_ended_explains_why(client, counsellor):
    client.force_login(counsellor)
    _age_sessions(31)
    response = client.get("/start/", follow=True)
    assert response.redirect_chain == [("/accounts/login/?next=/start/", 302)]
    assert ENDED in response.content.decode()
    # Said once; the stale cookie is gone afterwards.
    assert ENDED not in client.get("/accounts/login/").content.decode()


def test_login_page_after_expired_sessions_were_cleared_explains_why(client, counsellor):
    client.force_login(counsellor)
    _age_sessions(31)
    call_command("clearsessions")
    assert ENDED in client.get("/accounts/login/").content.decode()


def test_login_page_for_a_new_visitor_has_no_session_note(client):
    assert ENDED not in client.get("/accounts/login/").content.decode()


def test_login_page_after_logout_has_no_session_note(client, counsellor):
    client.force_login(counsellor)
    client.post("/accounts/logout/")
    assert ENDED not in client.get("/accounts/login/").content.decode()
