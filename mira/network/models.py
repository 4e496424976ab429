from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """An organisation of the network, in Germany or in a country of origin."""

    name = models.CharField(_("name"), max_length=200)
    # ISO 3166-1 alpha-2
    country = models.CharField(_("country"), max_length=2)
    region = models.CharField(_("region"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    coaches_after_return = models.BooleanField(_("coaches after return"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_abroad(self) -> bool:
        return self.country != "DE"
