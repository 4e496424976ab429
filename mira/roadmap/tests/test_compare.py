import pytest

from mira.roadmap.compare import text_diff, versions_compare
from mira.roadmap.tests.factories import (
    AgreedVersionFactory,
    GoalFactory,
    RoadmapFactory,
    RoadmapVersionFactory,
)

pytestmark = pytest.mark.django_db


def test_text_diff_marks_removed_and_added_words_and_escapes_html():
    old, new = text_diff("Möchte <b>Koch</b> werden", "Möchte Bäcker werden")
    assert str(old) == 'Möchte <del class="mira-diff-del">&lt;b&gt;Koch&lt;/b&gt;</del> werden'
    assert str(new) == 'Möchte <ins class="mira-diff-ins">Bäcker</ins> werden'


def test_text_diff_of_equal_texts_marks_nothing():
    assert text_diff("gleich", "gleich") == ("gleich", "gleich")


def test_versions_compare_matches_goals_across_versions():
    roadmap = RoadmapFactory()
    first = AgreedVersionFactory(roadmap=roadmap)
    second = RoadmapVersionFactory(roadmap=roadmap, number=2, based_on=first)
    kept = GoalFactory(version=first, title="Pass beantragen")
    changed = GoalFactory(version=first, title="Flug buchen")
    removed = GoalFactory(version=first, title="Sprachkurs")
    GoalFactory(version=second, key=kept.key, title="Pass beantragen", due_on=kept.due_on)
    GoalFactory(version=second, key=changed.key, title="Flug nach Tiflis buchen", due_on=changed.due_on)
    GoalFactory(version=second, title="Wohnung suchen")

    comparison = versions_compare(first, second)
    states = {
        (change.old.title if change.old else None, change.new.title if change.new else None): change.state
        for change in comparison.goals
    }
    assert states == {
        ("Pass beantragen", "Pass beantragen"): "same",
        ("Flug buchen", "Flug nach Tiflis buchen"): "changed",
        (None, "Wohnung suchen"): "added",
        (removed.title, None): "removed",
    }
    assert comparison.changed_count == 3
