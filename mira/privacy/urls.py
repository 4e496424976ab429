from django.urls import path

from mira.privacy import dpo_views, views

app_name = "privacy"
urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("audit/<slug:source>/<int:history_id>/", views.audit_entry, name="audit_entry"),
    path("access-log/", views.access_log, name="access_log"),
    path("case/<int:participant_id>/consents/<slug:purpose>/", views.record_consent, name="consent_record"),
    path("consents/<int:pk>/withdraw/", views.withdraw_consent, name="consent_withdraw"),
    path("retention/", dpo_views.retention, name="retention"),
    path("retention/run/", dpo_views.run_now, name="run_now"),
    path("retention/holds/new/", dpo_views.legal_hold_create, name="legal_hold_create"),
    path("retention/holds/<int:pk>/lift/", dpo_views.legal_hold_lift_view, name="legal_hold_lift"),
    path("retention/runs/", dpo_views.run_list, name="run_list"),
    path("retention/runs/<int:pk>/", dpo_views.run_detail, name="run_detail"),
    path("requests/", dpo_views.request_list, name="request_list"),
    path("requests/new/", dpo_views.request_create, name="request_create"),
    path("requests/<int:pk>/", dpo_views.request_detail, name="request_detail"),
    path("requests/<int:pk>/close/", dpo_views.request_close, name="request_close"),
    path("requests/<int:pk>/export/json/", dpo_views.request_export_json, name="request_export_json"),
    path("requests/<int:pk>/export/pdf/", dpo_views.request_export_pdf, name="request_export_pdf"),
    path("requests/<int:pk>/exports/", dpo_views.request_exports, name="request_exports"),
    path(
        "requests/<int:pk>/exports/<int:export_pk>/download/",
        dpo_views.request_export_download,
        name="request_export_download",
    ),
    path("requests/<int:pk>/erase/", dpo_views.request_erase, name="request_erase"),
]
