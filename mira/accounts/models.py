from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mira.core import models as mira_models


class Centre(mira_models.Model):
    """A counselling centre (Beratungsstelle). Every case belongs to exactly one."""

    code = models.CharField(
        _("code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,4}$", _("Two to four capital letters."))],
        help_text=_("Prefix of the case numbers, e.g. EF."),
    )
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("counselling centre")
        verbose_name_plural = _("counselling centres")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Counsellor")
    COORDINATOR = "coordinator", _("Coordinator")
    FINANCE = "finance", _("Finance")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    PARTNER = "partner", _("Partner coach")
    TRAINER = "trainer", _("Trainer")
    DATA_PROTECTION = "data_protection", _("Data protection officer")


# Roles that work inside one counselling centre; the partner coach works for a
# partner organisation abroad instead.
CENTRE_ROLES = frozenset(
    {Role.COUNSELLOR, Role.COORDINATOR, Role.FINANCE, Role.PSYCHOLOGIST, Role.TRAINER, Role.DATA_PROTECTION}
)


class User(mira_models.Model, AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("counselling centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    partner_organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coaches",
    )
    # Demo accounts of the quickstart may skip the second factor there (never in production).
    is_demo_account = models.BooleanField(default=False, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="partner") | models.Q(centre__isnull=True),
                name="partner_has_no_centre",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_centre_staff(self) -> bool:
        return self.role in CENTRE_ROLES and self.centre_id is not None
