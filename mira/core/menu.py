"""The main navigation and the account menu, filtered by what the user may open."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mira.accompaniment import menu as accompaniment_menu
from mira.aid import menu as aid_menu
from mira.counselling import menu as counselling_menu
from mira.network import menu as network_menu
from mira.portal import menu as portal_menu
from mira.psychology import menu as psychology_menu


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    icon: str
    permission: str
    # URL prefix that marks the entry active
    section: str


# The daily work, in the navigation bar.
MENU = [
    MenuEntry(_("Start"), "core:home", "house", "", "/start/"),
    MenuEntry(_("Cases"), "participants:list", "folder2-open", "participants.list_participants", "/cases/"),
    MenuEntry(
        counselling_menu.CALENDAR, "counselling:calendar", "calendar3", "counselling.view_calendar", "/calendar/"
    ),
    MenuEntry(accompaniment_menu.TASKS, "accompaniment:my_tasks", "list-check", "accompaniment.list_tasks", "/tasks/"),
    MenuEntry(network_menu.NETWORK, "network:organisation_list", "diagram-3", "network.view_directory", "/network/"),
    MenuEntry(aid_menu.AID, "aid:request_list", "basket", "aid.view_aid", "/aid/"),
    MenuEntry(psychology_menu.MY_CLIENTS, "psychology:my_cases", "people", "psychology.list_my_cases", "/psychology/"),
    MenuEntry(portal_menu.PARTNER_PORTAL, "portal:home", "globe2", "portal.view_portal", "/portal/"),
    MenuEntry(_("Data protection"), "privacy:audit", "shield-check", "privacy.view_audit", "/privacy/"),
]

# The coordinators' settings of the centre, under the user's name beside their own security page:
# seldom opened, and the navigation bar stays on one line at desktop width.
ACCOUNT_MENU = [
    MenuEntry(_("Team and logins"), "accounts:team", "people", "accounts.view_team", "/accounts/team/"),
    MenuEntry(
        accompaniment_menu.TEMPLATES_AND_DEADLINES,
        "accompaniment:checklist_list",
        "card-checklist",
        "accompaniment.manage_templates",
        "/planning/",
    ),
]


def menu_for(request, entries: list[MenuEntry] = MENU) -> list[dict]:
    user = request.user
    items = []
    for entry in entries:
        if entry.permission and not user.has_perm(entry.permission):
            continue
        items.append(
            {
                "label": entry.label,
                "url": reverse(entry.url_name),
                "icon": entry.icon,
                "active": request.path.startswith(entry.section),
            }
        )
    return items
