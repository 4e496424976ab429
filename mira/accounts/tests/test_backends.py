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
