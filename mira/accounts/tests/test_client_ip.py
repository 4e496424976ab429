from django.test import RequestFactory

from mira.accounts.client_ip import client_ip_address


def _request(**meta):
    return RequestFactory().get("/accounts/login/", REMOTE_ADDR="127.0.0.1", **meta)


def test_client_ip_without_proxy_is_the_remote_address(settings):
    settings.MIRA_BEHIND_PROXY = False
    assert client_ip_address(_request(HTTP_X_FORWARDED_FOR="203.0.113.7")) == "127.0.0.1"


def test_client_ip_behind_proxy_is_the_address_the_proxy_added(settings):
    settings.MIRA_BEHIND_PROXY = True
    assert client_ip_address(_request(HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.4")) == "198.51.100.4"


def test_client_ip_behind_proxy_without_header_is_the_remote_address(settings):
    settings.MIRA_BEHIND_PROXY = True
    assert client_ip_address(_request()) == "127.0.0.1"
