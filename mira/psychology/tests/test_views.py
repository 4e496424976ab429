import pytest
from django.template import Context, Template
from django.urls import reverse

from mira.participants.models import CaseEvent
from mira.participants.tests.factories import ParticipantFactory
from mira.privacy.models import AccessLog
from mira.psychology.models import PsychologicalReferral, ReferralStatus, SupportNote
from mira.psychology.tests.conftest import days
from mira.psychology.tests.factories import PsychologicalReferralFactory, SupportNoteFactory

pytestmark = pytest.mark.django_db


def _case_url(participant) -> str:
    return reverse("psychology:case", kwargs={"participant_pk": participant.pk})


def _note_create_url(referral) -> str:
    return reverse(
        "psychology:note_create", kwargs={"participant_pk": referral.participant_id, "referral_pk": referral.pk}
    )


def _note_edit_url(note) -> str:
    return reverse("psychology:note_edit", kwargs={"participant_pk": note.referral.participant_id, "pk": note.pk})


def _status_url(referral) -> str:
    return reverse("psychology:referral_status", kwargs={"participant_pk": referral.participant_id, "pk": referral.pk})


# ---------------------------------------------------------------- the case page


def test_case_page_shows_the_psychologist_the_reason_and_every_note(
    client_of, psychologist, participant, referral, private_note, shared_note
):
    html = client_of(psychologist).get(_case_url(participant)).content.decode()
    assert "Albträume und Panikattacken seit der Flucht" in html
    assert private_note.text in html
    assert shared_note.text in html
    assert html.count('class="mira-psych-note ') == 2


def test_case_page_shows_the_counsellor_only_the_shared_notes(
    client_of, counsellor, participant, referral, private_note, shared_note
):
    response = client_of(counsellor).get(_case_url(participant))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Albträume und Panikattacken seit der Flucht" in html
    assert shared_note.text in html
    assert private_note.text not in html
    assert html.count('class="mira-psych-note ') == 1
    assert "Neue Notiz" not in html
    assert "Vermittlung annehmen" not in html


def test_case_page_is_refused_to_the_coordinator(client_of, coordinator, participant, referral, private_note):
    response = client_of(coordinator).get(_case_url(participant))
    assert response.status_code == 403
    assert private_note.text not in response.content.decode()


def test_case_page_is_refused_to_another_counsellor_and_another_psychologist(
    client_of, colleague, other_psychologist, participant, referral
):
    assert client_of(colleague).get(_case_url(participant)).status_code == 403
    assert client_of(other_psychologist).get(_case_url(participant)).status_code == 403


def test_case_page_is_404_for_the_other_centre(client_of, counsellor_other_centre, participant, referral):
    assert client_of(counsellor_other_centre).get(_case_url(participant)).status_code == 404


def test_case_page_of_a_case_without_referral_is_refused_to_the_coordinator_too(client_of, coordinator, participant):
    """403 whether or not a referral exists: the answer tells nothing."""
    assert client_of(coordinator).get(_case_url(participant)).status_code == 403


def test_case_page_shows_an_earlier_psychologist_only_their_own_referral(
    client_of, psychologist, other_psychologist, participant, referral, private_note
):
    referral.status = ReferralStatus.DECLINED
    referral.save()
    later = PsychologicalReferralFactory(participant=participant, psychologist=other_psychologist, reason="Neu")
    later_note = SupportNoteFactory(referral=later, text="Notiz der zweiten Fachkraft")
    html = client_of(psychologist).get(_case_url(participant)).content.decode()
    assert private_note.text in html
    assert later_note.text not in html
    assert f'id="referral-{later.pk}"' not in html


def test_case_page_read_is_logged(client_of, psychologist, participant, referral):
    client_of(psychologist).get(_case_url(participant))
    entry = AccessLog.objects.get()
    assert (entry.user, entry.participant, entry.case_number, entry.what, entry.path) == (
        psychologist, participant, "EF-2026-0042", AccessLog.What.OTHER, _case_url(participant),
    )  # fmt: skip


def test_refused_read_is_not_logged_as_a_read(client_of, coordinator, participant, referral):
    client_of(coordinator).get(_case_url(participant))
    assert AccessLog.objects.count() == 0


def test_note_edit_read_is_logged_with_the_note(client_of, psychologist, participant, private_note):
    client_of(psychologist).get(_note_edit_url(private_note))
    entry = AccessLog.objects.get()
    assert (entry.user, entry.what, entry.object_id) == (psychologist, AccessLog.What.OTHER, str(private_note.pk))


@pytest.mark.parametrize("count", [1, 25])
def test_case_page_query_count_is_constant(
    client_of, psychologist, participant, referral, count, django_assert_max_num_queries
):
    for n in range(count):
        SupportNoteFactory(referral=referral, session_date=days(-n % 25), shared_with_counsellor=n % 2 == 0)
    client = client_of(psychologist)
    with django_assert_max_num_queries(14):
        response = client.get(_case_url(participant))
    assert response.content.decode().count('class="mira-psych-note ') == count


# ---------------------------------------------------------------- the psychologist's list


def _clients(psychologist, count):
    for n in range(count):
        case = ParticipantFactory(centre=psychologist.centre, case_number=f"EF-2026-{n + 100:04d}")
        referral = PsychologicalReferralFactory(participant=case, psychologist=psychologist, status="in_support")
        SupportNoteFactory(referral=referral, session_date=days(-n % 20))


@pytest.mark.parametrize("count", [1, 30])
def test_my_cases_query_count_is_constant(client_of, psychologist, count, django_assert_max_num_queries):
    _clients(psychologist, count)
    client = client_of(psychologist)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("psychology:my_cases"))
    assert len(response.context["page"].object_list) == count


def test_my_cases_lists_only_the_referrals_naming_the_psychologist_new_ones_first(
    client_of, psychologist, other_psychologist, centre
):
    routine = PsychologicalReferralFactory(psychologist=psychologist, participant__centre=centre, status="in_support")
    new_urgent = PsychologicalReferralFactory(psychologist=psychologist, participant__centre=centre, urgency="urgent")
    new_routine = PsychologicalReferralFactory(psychologist=psychologist, participant__centre=centre)
    PsychologicalReferralFactory(psychologist=other_psychologist, participant__centre=centre)
    completed = PsychologicalReferralFactory(psychologist=psychologist, participant__centre=centre, status="completed")
    SupportNoteFactory(referral=routine, session_date=days(-3))
    client = client_of(psychologist)
    response = client.get(reverse("psychology:my_cases"))
    assert list(response.context["page"].object_list) == [new_urgent, new_routine, routine]
    assert response.context["page"].object_list[2].last_note_on == days(-3)
    assert "2 neue Vermittlungen" in response.content.decode()
    closed = client.get(reverse("psychology:my_cases") + "?show=closed")
    assert list(closed.context["page"].object_list) == [completed]


def test_my_cases_is_the_psychologists_start_page(client_of, psychologist, referral):
    response = client_of(psychologist).get(reverse("core:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Meine Klient:innen</h1>" in html
    assert "EF-2026-0042" in html


def test_my_cases_menu_entry_is_shown_to_psychologists_only(client_of, psychologist, counsellor):
    assert 'href="/psychology/"' in client_of(psychologist).get(reverse("core:home")).content.decode()
    assert 'href="/psychology/"' not in client_of(counsellor).get(reverse("participants:list")).content.decode()


# ---------------------------------------------------------------- refer


def test_refer_with_bad_input_keeps_what_was_typed_and_saves_nothing(client_of, counsellor, participant, psychologist):
    response = client_of(counsellor).post(
        reverse("psychology:referral_create", kwargs={"participant_pk": participant.pk}),
        {"psychologist": str(psychologist.pk), "urgency": "urgent", "reason": ""},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Bitte beschreiben Sie kurz, warum Sie die Person vermitteln." in html
    assert '<option value="urgent" selected>' in html
    assert f'<option value="{psychologist.pk}" selected>' in html
    assert PsychologicalReferral.objects.count() == 0
    assert CaseEvent.objects.count() == 0


def test_refer_creates_the_referral_and_a_neutral_timeline_entry(client_of, counsellor, participant, psychologist):
    response = client_of(counsellor).post(
        reverse("psychology:referral_create", kwargs={"participant_pk": participant.pk}),
        {"psychologist": str(psychologist.pk), "urgency": "soon", "reason": "Schläft kaum, grübelt viel."},
    )
    assert response.status_code == 302
    referral = PsychologicalReferral.objects.get()
    assert (referral.reason, referral.urgency, referral.referred_by) == (
        "Schläft kaum, grübelt viel.",
        "soon",
        counsellor,
    )
    assert list(CaseEvent.objects.values_list("kind", "data")) == [("restricted_entry", {})]


def test_refer_while_a_referral_is_open_shows_why(client_of, counsellor, participant, psychologist, referral):
    response = client_of(counsellor).post(
        reverse("psychology:referral_create", kwargs={"participant_pk": participant.pk}),
        {"psychologist": str(psychologist.pk), "urgency": "routine", "reason": "Noch einmal"},
    )
    assert response.status_code == 400
    assert "Für diese Fallakte gibt es bereits eine offene Vermittlung" in response.content.decode()
    assert PsychologicalReferral.objects.count() == 1


def test_timeline_on_the_case_page_does_not_leak_the_referral(
    client_of, coordinator, counsellor, participant, psychologist
):
    client_of(counsellor).post(
        reverse("psychology:referral_create", kwargs={"participant_pk": participant.pk}),
        {"psychologist": str(psychologist.pk), "urgency": "urgent", "reason": "Suizidgedanken geäußert."},
    )
    client = client_of(coordinator)
    page = client.get(reverse("participants:detail", kwargs={"pk": participant.pk}))
    html = page.content.decode() + client.get(page.context["more_url"]).content.decode()
    assert "Vertraulicher Eintrag (nur für die Beteiligten sichtbar)" in html
    assert "Suizidgedanken" not in html
    assert "sycholog" not in html


# ---------------------------------------------------------------- status


def test_decline_without_reason_shows_the_message_and_keeps_the_status(client_of, psychologist, referral):
    referral.status = ReferralStatus.REQUESTED
    referral.save()
    response = client_of(psychologist).post(_status_url(referral), {"status": "declined", "decline_reason": " "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Bitte nennen Sie der Berater:in kurz den Grund" in html
    assert '<details class="mira-psych-decline" open>' in html
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED


def test_accept_moves_the_referral(client_of, psychologist, referral):
    referral.status = ReferralStatus.REQUESTED
    referral.save()
    response = client_of(psychologist).post(_status_url(referral), {"status": "accepted"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_status_by_the_counsellor_is_refused(client_of, counsellor, referral):
    assert client_of(counsellor).post(_status_url(referral), {"status": "completed"}).status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_SUPPORT


# ---------------------------------------------------------------- notes


def test_note_with_a_future_date_keeps_the_text_and_saves_nothing(client_of, psychologist, referral):
    response = client_of(psychologist).post(
        _note_create_url(referral),
        {"session_date": days(3).isoformat(), "kind": "support_session", "text": "Mein langer Text"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Das Datum des Gesprächs darf nicht in der Zukunft liegen." in html
    assert "Mein langer Text</textarea>" in html
    assert SupportNote.objects.count() == 0


def test_note_create_saves_and_shows_it(client_of, psychologist, referral):
    client = client_of(psychologist)
    response = client.post(
        _note_create_url(referral),
        {"session_date": days(0).isoformat(), "kind": "first_interview", "text": "Erstgespräch geführt.",
         "shared_with_counsellor": "on"},
    )  # fmt: skip
    note = SupportNote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _case_url(referral.participant) + f"#note-{note.pk}"
    assert (note.author, note.kind, note.shared_with_counsellor) == (psychologist, "first_interview", True)


def test_note_create_is_refused_to_the_counsellor(client_of, counsellor, referral):
    assert client_of(counsellor).get(_note_create_url(referral)).status_code == 403


def test_note_edit_by_the_author(client_of, psychologist, private_note):
    response = client_of(psychologist).post(
        _note_edit_url(private_note),
        {"session_date": private_note.session_date.isoformat(), "kind": "support_session", "text": "Neu gefasst"},
    )
    assert response.status_code == 302
    private_note.refresh_from_db()
    assert private_note.text == "Neu gefasst"


def test_note_edit_of_an_unshared_note_is_404_for_the_counsellor(client_of, counsellor, private_note):
    assert client_of(counsellor).get(_note_edit_url(private_note)).status_code == 404


def test_note_edit_of_a_shared_note_is_refused_to_the_counsellor(client_of, counsellor, shared_note):
    assert client_of(counsellor).get(_note_edit_url(shared_note)).status_code == 403


# ---------------------------------------------------------------- the case card


def _card(rf, user, participant) -> str:
    request = rf.get("/")
    request.user = user
    return Template("{% load psychology_tags %}{% case_psychology participant %}").render(
        Context({"participant": participant, "request": request})
    )


def test_card_renders_nothing_for_the_coordinator(rf, coordinator, participant, referral):
    assert _card(rf, coordinator, participant).strip() == ""


def test_card_renders_nothing_for_a_psychologist_not_named(rf, other_psychologist, participant, referral):
    assert _card(rf, other_psychologist, participant).strip() == ""


def test_card_offers_the_assigned_counsellor_to_refer(rf, counsellor, participant):
    html = _card(rf, counsellor, participant)
    assert "Nicht vermittelt." in html
    assert "In psychologische Unterstützung vermitteln" in html


def test_card_shows_the_counsellor_the_status_and_the_shared_notes_but_no_text(
    rf, counsellor, participant, referral, private_note, shared_note
):
    html = _card(rf, counsellor, participant)
    assert "In Begleitung" in html
    assert "1 für Sie freigegebene Notiz" in html
    assert "In psychologische Unterstützung vermitteln" not in html
    assert "Albträume" not in html
    assert shared_note.text not in html


def test_card_shows_the_psychologist_their_referral(rf, psychologist, participant, referral, private_note, shared_note):
    html = _card(rf, psychologist, participant)
    assert "In Begleitung" in html
    assert "2 Notizen" in html
    assert "In psychologische Unterstützung vermitteln" not in html


def test_note_date_error_from_the_service_marks_the_field(client_of, psychologist, referral):
    html = (
        client_of(psychologist)
        .post(
            _note_create_url(referral), {"session_date": days(-40).isoformat(), "kind": "support_session", "text": "x"}
        )
        .content.decode()
    )
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_session_date_error"' in html
    assert '<ul class="errorlist" id="id_session_date_error"><li>Das Gespräch kann nicht vor der Vermittlung' in html
