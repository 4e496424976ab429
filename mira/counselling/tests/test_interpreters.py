import pytest
from django.urls import reverse

from mira.counselling.models import Interpreter
from mira.counselling.tests.factories import InterpreterFactory

pytestmark = pytest.mark.django_db


def test_interpreter_create_belongs_to_the_users_centre(client, counsellor):
    client.force_login(counsellor)
    response = client.post(
        reverse("counselling:interpreter_create"),
        {"name": "Samira Haddad", "languages": ["ku", "ar"], "phone": "+49 361 1234", "email": "", "is_active": "on"},
    )
    assert response.status_code == 302
    interpreter = Interpreter.objects.get()
    assert (interpreter.centre, interpreter.languages, interpreter.is_active) == (counsellor.centre, "ar ku", True)


def test_interpreter_create_without_language_keeps_the_input(client, counsellor):
    client.force_login(counsellor)
    response = client.post(
        reverse("counselling:interpreter_create"), {"name": "Samira Haddad", "phone": "+49 361 1234"}
    )
    assert response.context["form"].errors == {"languages": ["Bitte mindestens eine Sprache auswählen."]}
    assert 'value="Samira Haddad"' in response.content.decode()
    assert Interpreter.objects.count() == 0


def test_interpreter_of_another_centre_is_not_found(client, counsellor, counsellor_other_centre):
    interpreter = InterpreterFactory(centre=counsellor.centre)
    client.force_login(counsellor_other_centre)
    assert client.get(reverse("counselling:interpreter_update", kwargs={"pk": interpreter.pk})).status_code == 404
    assert client.get(reverse("counselling:interpreter_list")).context["interpreters"] == []


def test_interpreter_list_queries_stay_constant(client, counsellor, django_assert_max_num_queries):
    InterpreterFactory(centre=counsellor.centre)
    client.force_login(counsellor)
    with django_assert_max_num_queries(10):
        assert len(client.get(reverse("counselling:interpreter_list")).context["interpreters"]) == 1
    InterpreterFactory.create_batch(15, centre=counsellor.centre)
    with django_assert_max_num_queries(10):
        assert len(client.get(reverse("counselling:interpreter_list")).context["interpreters"]) == 16
