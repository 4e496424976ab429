from django.urls import path

from mira.network import views

app_name = "network"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_update, name="organisation_update"),
    path("organisations/<int:organisation_pk>/offers/new/", views.offer_create, name="offer_create"),
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/edit/", views.offer_update, name="offer_update"),
    path("export/", views.directory_export, name="export"),
    path("import/", views.directory_import_view, name="import"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/status/", views.referral_set_status, name="referral_set_status"),
    path("cases/<int:participant_pk>/refer/", views.referral_create, name="referral_create"),
]
