from django.urls import path

from mira.privacy import views

app_name = "privacy"
urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("access-log/", views.access_log, name="access_log"),
    path("case/<int:participant_id>/consents/<slug:purpose>/", views.record_consent, name="consent_record"),
    path("consents/<int:pk>/withdraw/", views.withdraw_consent, name="consent_withdraw"),
]
