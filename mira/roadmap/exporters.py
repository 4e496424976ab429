"""The roadmap as PDF: German first, then the same roadmap in the participant's language."""

from django.utils.text import slugify

from mira.core.pdf import render_pdf
from mira.roadmap.models import RoadmapVersion, VersionState
from mira.roadmap.selectors import goals_by_phase

# Languages the PDF's fixed texts are translated into (locale/<lang>, participant-facing).
PDF_LANGUAGES = ("de", "en", "ar", "fa", "ru", "tr")
RTL_LANGUAGES = ("ar", "fa")


def pdf_languages_for(participant) -> list[str]:
    """German always; the participant's language after it, if it is another one we print."""
    language = participant.preferred_language
    if language and language != "de" and language in PDF_LANGUAGES:
        return ["de", language]
    return ["de"]


def roadmap_pdf(*, version: RoadmapVersion) -> bytes:
    """The agreed (or an earlier agreed) version as PDF. A draft is never printed: it is not binding."""
    if version.state == VersionState.DRAFT:
        raise ValueError("A draft roadmap is not printed.")
    participant = version.roadmap.participant
    goals = list(version.goals.select_related("owner_organisation"))
    parts = [
        {"language": language, "rtl": language in RTL_LANGUAGES, "translated": language != "de"}
        for language in pdf_languages_for(participant)
    ]
    return render_pdf(
        template_name="roadmap/pdf.html",
        context={
            "centre": participant.centre,
            "participant": participant,
            "version": version,
            "counsellor": version.agreed_by or participant.assigned_counsellor,
            "phases": goals_by_phase(goals),
            "offers": list(version.offers.all()),
            "parts": parts,
        },
        language="de",
    )


def roadmap_pdf_filename(version: RoadmapVersion) -> str:
    case_number = slugify(version.roadmap.participant.case_number) or "roadmap"
    return f"fahrplan-{case_number}-v{version.number}.pdf"
