import pytest
from django.core.management import CommandError, call_command

from mira.aid.forms import BudgetForm
from mira.aid.models import FundingSource

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("funding_source", *args, stdout=out)
    return out.getvalue()


def test_operator_adds_renames_and_deactivates_a_funding_source():
    assert "Funding source ESF Plus (esf-plus) added." in _run("add", "esf-plus", "ESF Plus")
    _run("rename", "esf-plus", "ESF Plus Thüringen")
    assert FundingSource.objects.get(code="esf-plus").name == "ESF Plus Thüringen"
    assert "esf-plus" in {source.code for source in BudgetForm().fields["funding_source"].queryset}

    _run("deactivate", "esf-plus")
    assert "esf-plus" not in {source.code for source in BudgetForm().fields["funding_source"].queryset}
    assert "ESF Plus Thüringen (inactive)" in _run("list")
    _run("activate", "esf-plus")
    assert FundingSource.objects.get(code="esf-plus").is_active


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "ESF Plus", "ESF Plus"), "lowercase letters"),
        (("add", "amif", "Noch einmal AMIF"), "exists already"),
        (("add", "neu", " "), "1 to 100 characters"),
        (("rename", "unbekannt", "X"), "No funding source"),
        (("deactivate", "unbekannt"), "No funding source"),
    ],
)
def test_wrong_input_is_refused_and_changes_nothing(args, message):
    FundingSource.objects.get_or_create(code="amif", defaults={"name": "AMIF"})
    before = list(FundingSource.objects.values_list("code", "name", "is_active").order_by("code"))
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert list(FundingSource.objects.values_list("code", "name", "is_active").order_by("code")) == before
