from django.urls import path

from mira.roadmap import views

app_name = "roadmap"
CASE = "cases/<int:participant_pk>/roadmap/"
urlpatterns = [
    path("goals/due/", views.goals_due, name="goals_due"),
    path(CASE, views.detail, name="detail"),
    path(f"{CASE}start/", views.start, name="start"),
    path(f"{CASE}versions/<int:number>/", views.version_detail, name="version"),
    path(f"{CASE}content/", views.content, name="content"),
    path(f"{CASE}goals/", views.goals, name="goals"),
    path(f"{CASE}goals/new/", views.goal_add, name="goal_add"),
    path(f"{CASE}goals/<int:goal_pk>/edit/", views.goal_edit, name="goal_edit"),
    path(f"{CASE}goals/<int:goal_pk>/delete/", views.goal_delete, name="goal_delete"),
    path(f"{CASE}goals/<int:goal_pk>/progress/", views.goal_status, name="goal_status"),
    path(f"{CASE}offers/add/", views.offer_add, name="offer_add"),
    path(f"{CASE}offers/<int:chosen_pk>/remove/", views.offer_remove, name="offer_remove"),
    path(f"{CASE}revise/", views.revise, name="revise"),
    path(f"{CASE}agree/", views.agree, name="agree"),
    path(f"{CASE}compare/", views.compare, name="compare"),
    path(f"{CASE}share/", views.share, name="share"),
    path(f"{CASE}shares/<int:share_pk>/revoke/", views.share_revoke, name="share_revoke"),
    path(f"{CASE}pdf/", views.pdf, name="pdf"),
]
