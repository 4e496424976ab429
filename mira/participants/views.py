from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from mira.core.permissions import require_perm
from mira.participants.models import Participant


@login_required
def participant_list(request):
    require_perm(request.user, "participants.list_participants")
    participants = Participant.objects.select_related("assigned_counsellor")[:50]
    return render(request, "participants/list.html", {"participants": participants})
