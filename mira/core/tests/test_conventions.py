"""Conventions of the code base that a test can check (docs/DEVELOPING.md)."""

import ast
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parents[2]


def _source_files():
    for path in sorted(APP_ROOT.rglob("*.py")):
        parts = set(path.relative_to(APP_ROOT).parts)
        if not parts & {"tests", "migrations"}:
            yield path


def test_prefetches_give_their_queryset():
    # A bare lookup makes django-scopes build its centre filter once per row of the result.
    bare = []
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_prefetch = isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "prefetch_related"
            if is_prefetch and any(isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in node.args):
                bare.append(f"{path.relative_to(APP_ROOT.parent)}:{node.lineno}")
    assert bare == [], "use Prefetch(lookup, queryset=Model.objects...) instead of a bare lookup"


def test_models_derive_from_the_mira_base_model():
    # Its get_FOO_display translates only the label shown (mira/core/models.py).
    from django.apps import apps

    from mira.core.models import Model

    models = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("mira.") and not model.__name__.startswith("Historical")
    ]
    assert len(models) > 30
    assert [model.__name__ for model in models if not issubclass(model, Model)] == []


def test_choice_labels_follow_the_language_and_keep_unknown_values():
    from django.utils.translation import override

    from mira.participants.models import Participant, Stage

    case = Participant(stage=Stage.COUNSELLING)
    with override("en"):
        english = case.get_stage_display()
    with override("de"):
        german = case.get_stage_display()
    assert (english, german) == ("Counselling", "Beratung")
    case.stage = "no-such-stage"
    assert case.get_stage_display() == "no-such-stage"


def test_records_that_carry_the_centre_of_their_case_are_scoped_by_it():
    # The centre's lists filter and count on the record's own centre column (mira.core.models.OfCase).
    from django.apps import apps
    from django_scopes import scope

    from mira.core.models import OfCase

    carrying = [model for model in apps.get_models() if issubclass(model, OfCase)]
    assert {model.__name__ for model in carrying} >= {"Referral", "AidRequest"}
    for model in carrying:
        with scope(centre=7):
            sql = str(model.objects.all().query)
        assert f'WHERE "{model._meta.db_table}"."centre_id" = 7' in sql, model
        assert "JOIN" not in sql, model
