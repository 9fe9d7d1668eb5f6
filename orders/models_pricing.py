"""The margin floor (限制低利润产品的生产与销售): the lowest margin a manager lets an order line
be sold at before order entry warns. Each setting is a new row (who and when kept); the
newest row for an item is in force for it, else the newest row for the whole factory."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel


class MarginFloor(AuditedModel):
    """A minimum margin in percent of the price: (price - standard cost) / price x 100.
    `item` blank: the factory's floor; else this item's own floor. `percent` blank: no floor
    (for an item: it follows the factory's floor again)."""

    item = models.ForeignKey(
        "materials.Item",
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    percent = models.DecimalField(
        _("minimum margin %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("margin floor")
        verbose_name_plural = _("margin floors")
        indexes = [models.Index(fields=["item", "-created_at"], name="margin_floor_item_newest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | (Q(percent__gte=0) & Q(percent__lt=100)),
                name="margin_floor_percent_0_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id or '*'}: {self.percent}"
