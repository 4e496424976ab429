from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from mira.core.forms import BootstrapFormMixin


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or the password is not correct. Mind upper and lower case. "
            "After several failed attempts, the account is locked for a while."
        ),
        "demo_account": _("Demo accounts can only log in to a demo installation."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # The demo password is public: should demo data ever reach a real installation,
        # its accounts must not open it.
        if user.is_demo_account and not settings.DEMO_MODE:
            raise forms.ValidationError(self.error_messages["demo_account"], code="demo_account")


class CodeForm(BootstrapFormMixin, forms.Form):
    """One code: from the authenticator app, or (when allowed) a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, recovery_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if recovery_allowed:
            field.help_text = _("6 digits from your app, or a recovery code such as abcd-efgh.")
        else:
            field.label = _("6-digit code from your app")
            field.widget.attrs["inputmode"] = "numeric"
        field.widget.attrs["autofocus"] = True


def password_is_correct(request, user, password: str) -> bool:
    """Checks the password through the authentication backends, so that wrong guesses count
    towards the login lockout (django-axes) like failed logins: a session taken over cannot
    be used to try out the password, which would let it remove the second factor."""
    authenticated = authenticate(request, username=user.get_username(), password=password)
    return authenticated is not None and authenticated.pk == user.pk


class PasswordConfirmForm(BootstrapFormMixin, forms.Form):
    """Asks for the current password before a security setting is weakened."""

    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, request, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not password_is_correct(self.request, self.user, password):
            raise forms.ValidationError(_("The password is not correct."), code="password_incorrect")
        return password


class PasswordChangeForm(BootstrapFormMixin, auth_forms.PasswordChangeForm):
    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not password_is_correct(self.request, self.user, old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
