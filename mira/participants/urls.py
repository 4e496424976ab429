from django.urls import path

from mira.participants import views

app_name = "participants"
urlpatterns = [
    path("", views.participant_list, name="list"),
]
