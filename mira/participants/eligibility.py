"""Who may be enrolled: a third-country national resident in Thuringia."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mira.core.geo import (
    CROSS_BORDER_POSTCODES,
    EU_EEA_CH,
    THURINGIA_DISTRICTS,
    country_name,
    is_residential_postcode,
    postcode_lookup,
)


@dataclass
class EligibilityResult:
    # Why the person cannot be enrolled (shown at the top of the intake form).
    reasons: list[str] = field(default_factory=list)
    # Every message by field: the reasons, and input that is missing or does not fit together.
    field_errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def eligible(self) -> bool:
        return not self.field_errors

    def refuse(self, field_name: str, message: str) -> None:
        """The person is not eligible."""
        self.reasons.append(message)
        self.field_errors.setdefault(field_name, []).append(message)

    def reject_input(self, field_name: str, message: str) -> None:
        """Eligibility cannot be decided from what was entered."""
        self.field_errors.setdefault(field_name, []).append(message)


def eligibility_check(
    *, nationalities: list[str], is_stateless: bool, postcode: str, district: str
) -> EligibilityResult:
    """Checks both conditions and says exactly why a person cannot be enrolled.

    A person with several nationalities is not a third-country national if any of
    them is an EU/EEA/Swiss citizenship (they enjoy free movement through it).
    """
    result = EligibilityResult()
    if not nationalities and not is_stateless:
        result.reject_input("nationalities", _("Enter at least one nationality or mark the person as stateless."))
    privileged = [code for code in nationalities if code in EU_EEA_CH]
    if privileged:
        names = ", ".join(country_name(code) for code in privileged)
        result.refuse(
            "nationalities",
            _(
                "Not eligible: citizens of the EU, the EEA and Switzerland (%(countries)s) are not "
                "third-country nationals. MIRA supports third-country nationals only."
            )
            % {"countries": names},
        )
    postcode = (postcode or "").strip()
    entry = postcode_lookup(postcode)
    if not postcode.isdigit() or len(postcode) != 5:
        result.reject_input("postcode", _("A postcode has five digits."))
    elif entry is None:
        result.refuse(
            "postcode",
            _(
                "Not eligible: %(postcode)s is not a postcode in Thuringia (or does not exist). "
                "MIRA supports residents of Thuringia only."
            )
            % {"postcode": postcode},
        )
    elif not is_residential_postcode(postcode):
        result.reject_input(
            "postcode",
            _(
                "The postcode %(postcode)s belongs to an organisation (%(name)s), not to a home address. "
                "Enter the postcode of the address where the person lives."
            )
            % {"postcode": postcode, "name": entry.places[0]},
        )
    if district not in THURINGIA_DISTRICTS:
        result.reject_input("district", _("Choose the Thuringian district or independent city of residence."))
    elif entry is not None and district not in entry.districts:
        result.reject_input(
            "district",
            _("The postcode %(postcode)s belongs to %(districts)s, not to %(district)s.")
            % {"postcode": postcode, "districts": " / ".join(entry.districts), "district": district},
        )
    return result


def postcode_hint(postcode: str) -> str:
    """A note for the intake form when the postcode alone does not decide residence."""
    if postcode in CROSS_BORDER_POSTCODES:
        return _("This postcode area extends beyond Thuringia: check that the address lies in the district chosen.")
    return ""
