from mira.core.testing.access import EVERYONE, EVERYONE_LOGGED_IN, route

# Everyone logged in manages their own account; no page here shows another person's data.
# The users of the matrix have no second factor yet, which decides the redirects below.
ROUTES = {
    # The login page sends those already logged in on to the start page.
    "accounts:login": route(*EVERYONE, ok_status=302, status_for={"anonymous": 200}),
    "accounts:logout": route(*EVERYONE, post_only=True),
    # Without an authenticator there is nothing to verify: on to the start page.
    "accounts:verify": route(*EVERYONE_LOGGED_IN, ok_status=302),
    "accounts:security": route(*EVERYONE_LOGGED_IN),
    "accounts:second_factor_setup": route(*EVERYONE_LOGGED_IN),
    # Without an authenticator: back to the security page.
    "accounts:second_factor_remove": route(*EVERYONE_LOGGED_IN, ok_status=302),
    "accounts:recovery_codes": route(*EVERYONE_LOGGED_IN, ok_status=302),
    "accounts:recovery_codes_regenerate": route(*EVERYONE_LOGGED_IN, post_only=True),
    "accounts:password_change": route(*EVERYONE_LOGGED_IN),
    # The coordinator helps the staff of the own centre (another account than the own).
    "accounts:team": route("coordinator"),
    "accounts:team_unlock": route(
        "coordinator", post_only=True, kwargs=lambda world: {"pk": world.users["counsellor"].pk}
    ),
    # Without a second factor there is nothing to reset: back to the team page.
    "accounts:team_second_factor_reset": route(
        "coordinator", ok_status=302, kwargs=lambda world: {"pk": world.users["counsellor"].pk}
    ),
}
