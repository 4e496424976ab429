"""The registry of personal data (mira.core.personal_data) knows every model that holds data
about a participant: a new model with a path to participants.Participant must join it, or be
declared free of personal data with a reason. The export and the erasure rely on it."""

from django.apps import apps

from mira.core.personal_data import (
    NOT_PERSONAL_DATA,
    REGISTRY,
    Erasure,
    history_companions,
    models_reaching_participant,
    restricted_models,
)

REGISTERED = {entry.label for entry in REGISTRY}
EXEMPT = {entry.label: entry.reason for entry in NOT_PERSONAL_DATA}


def _covered(model) -> bool:
    label = model._meta.label
    if label in REGISTERED or label in EXEMPT:
        return True
    # A history table (django-simple-history) goes with the model it tracks.
    tracked = getattr(model, "instance_type", None)
    if tracked is not None and tracked._meta.label in REGISTERED:
        return True
    # The history of a many-to-many field hangs on the history table of a registered model.
    return any(model in history_companions(entry.history_model) for entry in REGISTRY if entry.history_model)


def test_every_model_with_a_path_to_a_participant_is_registered():
    missing = [model._meta.label for model in models_reaching_participant() if not _covered(model)]
    assert missing == [], (
        "Register these models in mira/core/personal_data.py (REGISTRY: how to find, export and erase "
        f"their rows of a participant; or NOT_PERSONAL_DATA with a reason): {missing}"
    )


def test_the_registry_finds_the_models_it_must_cover():
    labels = {model._meta.label for model in models_reaching_participant()}
    assert {
        "participants.Participant",
        "participants.HistoricalParticipant",
        "participants.HouseholdMember",
        "documents.Document",
        "psychology.SupportNote",
        "counselling.HistoricalCounsellingSession_household_attendees",
        "aid.AidItem",
        "roadmap.GoalStatusChange",
    } <= labels
    assert "network.Organisation" not in labels


def test_every_registered_model_exists_and_is_named_once():
    labels = [entry.label for entry in REGISTRY] + [entry.label for entry in NOT_PERSONAL_DATA]
    assert len(labels) == len(set(labels))
    for label in labels:
        apps.get_model(label)


def test_every_registered_path_leads_to_the_participant():
    participant = apps.get_model("participants.Participant")
    for entry in REGISTRY:
        model = entry.model
        for step in entry.path.split("__") if entry.path else []:
            model = model._meta.get_field(step).related_model
        assert model is participant, entry.label


def test_every_exemption_gives_a_reason():
    assert [entry.label for entry in NOT_PERSONAL_DATA if len(entry.reason) < 10] == []


def test_every_kept_or_audited_model_says_why():
    assert [
        entry.label for entry in REGISTRY if entry.erasure in (Erasure.KEEP, Erasure.AUDIT) and not entry.reason
    ] == []


def test_every_anonymised_field_exists():
    for entry in REGISTRY:
        for name in entry.anonymise:
            entry.model._meta.get_field(name)


def test_restricted_models_are_registered_for_erasure():
    restricted = {model._meta.label for model in restricted_models() if not hasattr(model, "instance_type")}
    assert restricted == {"psychology.PsychologicalReferral", "psychology.SupportNote"}
    assert all(entry.erasure == Erasure.DELETE for entry in REGISTRY if entry.label in restricted)
    assert {entry.label for entry in REGISTRY if entry.restricted} == restricted


def test_history_of_an_audited_model_is_not_restricted():
    assert [entry.label for entry in REGISTRY if entry.erasure == Erasure.AUDIT and entry.restricted] == []
