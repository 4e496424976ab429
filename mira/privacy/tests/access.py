from mira.core.testing.access import route

ROUTES = {
    "privacy:audit": route("data_protection"),
}
