from django.core.management.base import BaseCommand, CommandError

from mira.accounts.models import User
from mira.accounts.selectors import user_has_second_factor
from mira.accounts.services import second_factor_remove


class Command(BaseCommand):
    help = (
        "Removes a user's authenticator app and recovery codes (lost phone and lost codes). "
        "Where the second factor is required, the user sets up a new one at the next login. "
        "Check the person's identity before you run this."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user_has_second_factor(user=user):
            self.stdout.write(f"{username} has no second factor; nothing to do.")
            return
        second_factor_remove(user=user)
        self.stdout.write(self.style.SUCCESS(f"Second factor of {username} removed."))
