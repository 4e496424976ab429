from django.urls import path

from mira.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("roadmaps/<int:share_pk>/", views.roadmap, name="roadmap"),
    path("roadmaps/<int:share_pk>/goals/<int:goal_pk>/progress/", views.goal_status, name="goal_status"),
]
