from mira.core.testing.access import EVERYONE, EVERYONE_LOGGED_IN, route

ROUTES = {
    # The login page sends those already logged in on to the start page.
    "accounts:login": route(*EVERYONE, ok_status=302, status_for={"anonymous": 200}),
    "accounts:logout": route(*EVERYONE, post_only=True),
    "accounts:security": route(*EVERYONE_LOGGED_IN),
}
