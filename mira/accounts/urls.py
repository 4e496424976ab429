from django.urls import path

from mira.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("verify/", views.verify, name="verify"),
    path("security/", views.security, name="security"),
    path("security/second-factor/", views.second_factor_setup, name="second_factor_setup"),
    path("security/second-factor/remove/", views.second_factor_remove, name="second_factor_remove"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/recovery-codes/new/", views.recovery_codes_regenerate, name="recovery_codes_regenerate"),
    path("security/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("team/", views.team, name="team"),
    path("team/<int:pk>/unlock/", views.team_unlock, name="team_unlock"),
    path("team/<int:pk>/second-factor-reset/", views.team_second_factor_reset, name="team_second_factor_reset"),
]
