from django.urls import path

from mira.participants import views

app_name = "participants"
urlpatterns = [
    path("", views.participant_list_view, name="list"),
    path("new/", views.participant_create_view, name="create"),
    path("postcode/", views.postcode_lookup_view, name="postcode_lookup"),
    path("<int:pk>/", views.participant_detail_view, name="detail"),
    path("<int:pk>/more/", views.participant_detail_more_view, name="detail_more"),
    path("<int:pk>/edit/", views.participant_update_view, name="update"),
    path("<int:pk>/stage/", views.participant_stage_view, name="stage"),
    path("<int:pk>/household/new/", views.household_add_view, name="household_add"),
    path("<int:pk>/household/<int:member_pk>/edit/", views.household_edit_view, name="household_edit"),
    path("<int:pk>/household/<int:member_pk>/remove/", views.household_delete_view, name="household_delete"),
]
