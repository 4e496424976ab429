import pytest
from django.contrib.auth.models import Permission

pytestmark = pytest.mark.django_db


def test_a_denied_rule_costs_no_query(counsellor, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert not counsellor.has_perm("privacy.view_audit")
        assert not counsellor.has_perm("participants.delete_participant")


def test_django_model_permissions_are_not_granted(counsellor):
    # MIRA's permissions are its rules: a model permission given by mistake opens nothing.
    counsellor.user_permissions.add(Permission.objects.get(codename="delete_participant"))
    counsellor = type(counsellor).objects.get(pk=counsellor.pk)
    assert not counsellor.has_perm("participants.delete_participant")


def test_the_session_user_comes_with_centre_and_organisation(counsellor, django_assert_num_queries):
    from mira.accounts.backends import PasswordBackend

    with django_assert_num_queries(1):
        user = PasswordBackend().get_user(counsellor.pk)
        assert user.centre.code == counsellor.centre.code
        assert user.partner_organisation is None


def test_an_inactive_or_unknown_user_has_no_session(counsellor):
    from mira.accounts.backends import PasswordBackend

    assert PasswordBackend().get_user(counsellor.pk + 1000) is None
    type(counsellor).objects.filter(pk=counsellor.pk).update(is_active=False)
    assert PasswordBackend().get_user(counsellor.pk) is None


def test_a_page_does_not_read_the_centre_on_its_own(client, counsellor, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(counsellor)
    with CaptureQueriesContext(connection) as queries:
        client.get("/tasks/")
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "accounts_centre"')]
