"""Authentication backend: checks the password, grants no model permissions.

MIRA's permissions are the rules in each app's ``rules.py`` (``rules.permissions.ObjectPermissionBackend``,
which Django asks first). Nobody is given Django model permissions, so Django's ``ModelBackend`` would only
spend two queries a request loading empty permission sets whenever a rule says no.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def get_user(self, user_id):
        """The user of the session with their centre and partner organisation: every page shows
        the centre in the navigation and scopes its queries to it (one query less per request)."""
        model = get_user_model()
        try:
            user = model._default_manager.select_related("centre", "partner_organisation").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()
