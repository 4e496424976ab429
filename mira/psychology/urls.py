from django.urls import path

from mira.psychology import views

app_name = "psychology"
urlpatterns = [
    path("psychology/", views.my_cases, name="my_cases"),
    path("cases/<int:participant_pk>/psychology/", views.case, name="case"),
    path("cases/<int:participant_pk>/psychology/refer/", views.referral_create, name="referral_create"),
    path(
        "cases/<int:participant_pk>/psychology/referrals/<int:pk>/status/",
        views.referral_status,
        name="referral_status",
    ),
    path(
        "cases/<int:participant_pk>/psychology/referrals/<int:referral_pk>/notes/new/",
        views.note_create,
        name="note_create",
    ),
    path("cases/<int:participant_pk>/psychology/notes/<int:pk>/edit/", views.note_edit, name="note_edit"),
]
