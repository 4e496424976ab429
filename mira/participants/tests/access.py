from mira.core.testing.access import OUTSIDER, route

ROUTES = {
    "participants:list": route("counsellor", "coordinator", "psychologist", OUTSIDER),
}
