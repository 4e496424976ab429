from mira.core.testing.access import EVERYONE, EVERYONE_LOGGED_IN, route

ROUTES = {
    "root": route(*EVERYONE, ok_status=302),
    "health": route(*EVERYONE),
    "set_language": route(*EVERYONE, ok_status=302),
    "javascript-catalog": route(*EVERYONE),
    "core:home": route(*EVERYONE_LOGGED_IN),
}
