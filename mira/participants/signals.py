"""Signals of the case file, for apps that keep something of their own in step with a case."""

from django.dispatch import Signal

# Sent by services.participant_set_stage inside its transaction, after the new stage is saved:
# sender=Participant, participant=<the case>, old=<stage before>, new=<stage now>.
stage_changed = Signal()
