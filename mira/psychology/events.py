"""The timeline entry of psychological support.

The case timeline is read by every case worker of the centre. So a referral or a change
of its status shows there only as a neutral restricted entry: when and by whom, nothing
about what — no reason, no status, no note text, not the word "psychological". Notes
leave no entry at all. Who is involved reads the details on the psychology page."""

from django.utils.translation import gettext_lazy as _

from mira.participants.events import register_event_kind
from mira.psychology.services import RESTRICTED_EVENT

register_event_kind(RESTRICTED_EVENT, _("Restricted entry (visible only to the persons involved)"), "lock")
