from django.urls import path

from mira.counselling import views

app_name = "counselling"
urlpatterns = [
    path("start/my-day/", views.my_day, name="my_day"),
    # Sessions of a case
    path("cases/<int:participant_pk>/sessions/", views.session_list, name="session_list"),
    path("cases/<int:participant_pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_update, name="session_update"),
    # Calendar and appointments
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/appointments/new/", views.appointment_create, name="appointment_create"),
    path("calendar/appointments/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path("calendar/appointments/<int:pk>/edit/", views.appointment_update, name="appointment_update"),
    path("calendar/appointments/<int:pk>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path("calendar/appointments/<int:pk>/held/", views.appointment_done, name="appointment_done"),
    path("calendar/appointments/<int:pk>/ics/", views.appointment_ics, name="appointment_ics"),
    # The personal calendar feed
    path("calendar/subscription/", views.feed_settings, name="feed_settings"),
    path("calendar/subscription/new/", views.feed_create, name="feed_create"),
    path("calendar/subscription/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/feed/<str:token>.ics", views.ical_feed, name="ical_feed"),
    # Interpreters of the centre
    path("interpreters/", views.interpreter_list, name="interpreter_list"),
    path("interpreters/new/", views.interpreter_create, name="interpreter_create"),
    path("interpreters/<int:pk>/edit/", views.interpreter_update, name="interpreter_update"),
]
