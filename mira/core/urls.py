from django.urls import path

from mira.core import views

app_name = "core"
urlpatterns = [
    path("start/", views.home, name="home"),
]
