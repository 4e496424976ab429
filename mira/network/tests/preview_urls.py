"""The project's URLs plus a page that shows only the case referrals card (for browser tests
and screenshots while the card is looked at on its own)."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from mira.participants.models import Participant
from mira.urls import urlpatterns as project_urlpatterns

CARD_PAGE = (
    '{% extends "base.html" %}{% load network_tags %}{% block title %}Preview{% endblock %}'
    '{% block content %}<div class="row"><div class="col-lg-7">{% case_referrals participant %}</div></div>{% endblock %}'
)


def card_preview(request, pk: int):
    participant = Participant.objects.get(pk=pk)
    html = engines["django"].from_string(CARD_PAGE).render({"participant": participant}, request)
    return HttpResponse(html)


urlpatterns = [*project_urlpatterns, path("network-card-preview/<int:pk>/", card_preview)]
