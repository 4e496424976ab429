from django.urls import path

from mira.privacy import views

app_name = "privacy"
urlpatterns = [
    path("audit/", views.audit, name="audit"),
]
