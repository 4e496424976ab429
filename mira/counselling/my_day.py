"""Cards of the counsellor's start page (My day) that other apps contribute.

An app registers a template once (e.g. in its AppConfig.ready()):

    from mira.counselling.my_day import register_my_day_card
    register_my_day_card("roadmap/_my_day_goals.html", permission="roadmap.view_goals")

The template is included with the page's context (`request`, `user`, `day` with
`day.today`); it loads its own data, e.g. through an inclusion tag, with a
constant number of queries.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class MyDayCard:
    template: str
    permission: str = ""
    order: int = 50


_CARDS: dict[str, MyDayCard] = {}


def register_my_day_card(template: str, *, permission: str = "", order: int = 50) -> None:
    _CARDS[template] = MyDayCard(template=template, permission=permission, order=order)


def cards_for(user) -> list[str]:
    cards = sorted(_CARDS.values(), key=lambda card: (card.order, card.template))
    return [card.template for card in cards if not card.permission or user.has_perm(card.permission)]
