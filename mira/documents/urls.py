from django.urls import path

from mira.documents import views

app_name = "documents"
urlpatterns = [
    path("case/<int:participant_id>/upload/", views.upload, name="upload"),
    path("<uuid:uuid>/download/", views.download, name="download"),
    path("<uuid:uuid>/delete/", views.delete, name="delete"),
]
