"""Authentication backend: checks the password, grants no model permissions.

MIRA's permissions are the rules in each app's ``rules.py`` (``rules.permissions.ObjectPermissionBackend``,
which Django asks first). Nobody is given Django model permissions, so Django's ``ModelBackend`` would only
spend two queries a request loading empty permission sets whenever a rule says no.
"""

from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()
