from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from mira.accounts.flow import PENDING_KEY
from mira.accounts.selectors import user_has_second_factor


@receiver(user_logged_in, dispatch_uid="mira_accounts_second_factor_pending")
def mark_second_factor_pending(sender, request, user, **kwargs):
    """Whoever has an authenticator gives a code after the password, on every login path."""
    session = getattr(request, "session", None)
    if session is not None and user_has_second_factor(user=user):
        session[PENDING_KEY] = True
