from mira.roadmap.forms import GoalStatusForm


class PartnerGoalStatusForm(GoalStatusForm):
    """What a partner coach records on a goal of their organisation: status, reason, evidence
    as a note (documents stay with the counselling centre), a comment."""
