from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_without_second_factor"] = settings.DEMO_MODE and not settings.MIRA_REQUIRE_SECOND_FACTOR
        return context


@login_required
def security(request):
    return render(request, "accounts/security.html")
