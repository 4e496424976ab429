from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_required_outside_demo(app_configs, **kwargs):
    """`manage.py check --deploy` warns when a real installation lets staff in with a password only."""
    if settings.MIRA_REQUIRE_SECOND_FACTOR or settings.DEMO_MODE:
        return []
    return [
        Warning(
            "MIRA_REQUIRE_SECOND_FACTOR is off outside the demo mode: staff can log in with a password only.",
            hint="Unset MIRA_REQUIRE_SECOND_FACTOR (it defaults to on) in production.",
            id="mira.accounts.W001",
        )
    ]
