"""Role predicates shared by every app's rules.py."""

import rules

from mira.accounts.models import Role


def _has_role(*roles):
    @rules.predicate(name=f"has_role_{'_or_'.join(roles)}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.is_active and user.role in roles)

    return predicate


@rules.predicate
def has_centre(user) -> bool:
    return bool(user and user.is_authenticated and user.centre_id)


is_counsellor = _has_role(Role.COUNSELLOR) & has_centre
is_coordinator = _has_role(Role.COORDINATOR) & has_centre
is_finance = _has_role(Role.FINANCE) & has_centre
is_psychologist = _has_role(Role.PSYCHOLOGIST) & has_centre
is_trainer = _has_role(Role.TRAINER) & has_centre
is_data_protection = _has_role(Role.DATA_PROTECTION) & has_centre
is_partner = _has_role(Role.PARTNER)
is_case_worker = is_counsellor | is_coordinator


@rules.predicate
def same_centre(user, obj) -> bool:
    """obj is anything with a centre_id (or a participant with one)."""
    if obj is None:
        return False
    centre_id = getattr(obj, "centre_id", None)
    if centre_id is None and hasattr(obj, "participant"):
        centre_id = obj.participant.centre_id
    return centre_id is not None and centre_id == user.centre_id


@rules.predicate
def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


# Everyone manages their own login security (second factor, recovery codes, password);
# the views act on request.user only, never on another account.
rules.add_perm("accounts.manage_own_security", is_active_user)


@rules.predicate
def is_colleague(user, member) -> bool:
    """Another account of the user's own centre (not the user's own: that is the security page)."""
    return bool(member is not None and member.pk != user.pk and member.centre_id and member.centre_id == user.centre_id)


# Coordinators help the staff of their centre: lift a login lockout, reset a lost second factor.
rules.add_perm("accounts.view_team", is_coordinator)
rules.add_perm("accounts.help_colleague", is_coordinator & is_colleague)
