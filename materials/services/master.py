"""Writes of the master data: items, the defect-control table (processes), machines,
routings, suppliers and warehouses. Each checks its rules with a message per field and
records who and when. BOM lines are in `materials.services.bom`.

A record still used elsewhere is not deleted: Django's ProtectedError reaches the caller
(the API answers 409 naming what uses it)."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from erp.models import AuditedModel
from erp.services import save_audited
from materials.models import Item, Process, Routing, Supplier, Warehouse, WorkCenter
from materials.services.stock import ensure_locations

Errors = dict[str, list[str]]
Record = TypeVar("Record", bound=AuditedModel)

MAX_ITEM_DECIMALS = 6
NOT_NEGATIVE = "Must not be negative."


def save_checked(
    *,
    instance: Record,
    user: AbstractBaseUser | None,
    fields: dict[str, Any],
    rules: Callable[[Record], Errors],
) -> Record:
    """Set `fields` (model field names only), check `rules`, then validate, stamp and save.
    Every broken rule is reported at once, each under its field."""
    for name, value in fields.items():
        instance._meta.get_field(name)  # FieldDoesNotExist for a caller's typo
        setattr(instance, name, value)
    errors = rules(instance)
    if errors:
        raise ValidationError(errors)
    return save_audited(instance=instance, user=user)


def _not_negative(instance: AuditedModel, *names: str) -> Errors:
    return {name: [NOT_NEGATIVE] for name in names if getattr(instance, name) < 0}


# Items


def item_rules(item: Item) -> Errors:
    errors = _not_negative(
        item, "standard_cost", "list_price", "safety_stock", "min_order_qty", "order_multiple"
    )
    if item.decimals > MAX_ITEM_DECIMALS:
        errors["decimals"] = [f"A unit has at most {MAX_ITEM_DECIMALS} decimals."]
    return errors


@transaction.atomic
def item_create(
    *, user: AbstractBaseUser | None, code: str, name: str, kind: str, **fields: Any
) -> Item:
    return save_checked(
        instance=Item(),
        user=user,
        fields={"code": code, "name": name, "kind": kind, **fields},
        rules=item_rules,
    )


@transaction.atomic
def item_update(*, item: Item, user: AbstractBaseUser | None, **fields: Any) -> Item:
    return save_checked(instance=item, user=user, fields=fields, rules=item_rules)


@transaction.atomic
def item_delete(*, item: Item, user: AbstractBaseUser | None) -> None:
    """Deletes the item and its own BOM; refused while anything else uses it."""
    item.delete()


# The defect-control table


def process_rules(process: Process) -> Errors:
    if not Decimal("0") <= process.defect_rate < Decimal("1"):
        return {
            "defect_rate": [
                "The defect rate is a fraction: at least 0 and less than 1 (0.02 for 2%)."
            ]
        }
    return {}


@transaction.atomic
def process_create(
    *, user: AbstractBaseUser | None, code: str, reason: str = "", **fields: Any
) -> Process:
    return save_checked(
        instance=Process(), user=user, fields={"code": code, **fields}, rules=process_rules
    )


@transaction.atomic
def process_update(
    *, process: Process, user: AbstractBaseUser | None, reason: str = "", **fields: Any
) -> Process:
    """A change of the defect rate is kept in the table's history (with `reason`)."""
    from materials.services.defect_rates import record_rate_change

    old_rate = Process.objects.select_for_update().get(pk=process.pk).defect_rate
    saved = save_checked(instance=process, user=user, fields=fields, rules=process_rules)
    if saved.defect_rate != old_rate:
        record_rate_change(
            process=saved, old_rate=old_rate, new_rate=saved.defect_rate, reason=reason, user=user
        )
    return saved


@transaction.atomic
def process_delete(*, process: Process, user: AbstractBaseUser | None) -> None:
    process.delete()


# Machines


def work_center_rules(work_center: WorkCenter) -> Errors:
    errors: Errors = {}
    if not Decimal("0") < work_center.hours_per_day <= Decimal("24"):
        errors["hours_per_day"] = ["Hours per day are more than 0 and at most 24."]
    if not 1 <= work_center.days_per_week <= 7:
        errors["days_per_week"] = ["Days per week are 1 to 7."]
    return errors


@transaction.atomic
def work_center_create(*, user: AbstractBaseUser | None, code: str, **fields: Any) -> WorkCenter:
    return save_checked(
        instance=WorkCenter(), user=user, fields={"code": code, **fields}, rules=work_center_rules
    )


@transaction.atomic
def work_center_update(
    *, work_center: WorkCenter, user: AbstractBaseUser | None, **fields: Any
) -> WorkCenter:
    return save_checked(instance=work_center, user=user, fields=fields, rules=work_center_rules)


@transaction.atomic
def work_center_delete(*, work_center: WorkCenter, user: AbstractBaseUser | None) -> None:
    work_center.delete()


# Routings


def routing_rules(routing: Routing) -> Errors:
    errors = _not_negative(routing, "minutes_per_unit", "setup_minutes")
    taken = (
        Routing.objects.filter(item_id=routing.item_id, seq=routing.seq)
        .exclude(pk=routing.pk)
        .exists()
    )
    if taken:
        errors["seq"] = [f"{routing.item.code} already has step {routing.seq}."]
    return errors


@transaction.atomic
def routing_create(
    *,
    user: AbstractBaseUser | None,
    item: Item,
    seq: int,
    process: Process,
    work_center: WorkCenter,
    **fields: Any,
) -> Routing:
    return save_checked(
        instance=Routing(),
        user=user,
        fields={"item": item, "seq": seq, "process": process, "work_center": work_center, **fields},
        rules=routing_rules,
    )


@transaction.atomic
def routing_update(*, routing: Routing, user: AbstractBaseUser | None, **fields: Any) -> Routing:
    return save_checked(instance=routing, user=user, fields=fields, rules=routing_rules)


@transaction.atomic
def routing_delete(*, routing: Routing, user: AbstractBaseUser | None) -> None:
    routing.delete()


# Suppliers


def _no_rules(_instance: AuditedModel) -> Errors:
    return {}


@transaction.atomic
def supplier_create(*, user: AbstractBaseUser | None, code: str, **fields: Any) -> Supplier:
    return save_checked(
        instance=Supplier(), user=user, fields={"code": code, **fields}, rules=_no_rules
    )


@transaction.atomic
def supplier_update(
    *, supplier: Supplier, user: AbstractBaseUser | None, **fields: Any
) -> Supplier:
    return save_checked(instance=supplier, user=user, fields=fields, rules=_no_rules)


@transaction.atomic
def supplier_delete(*, supplier: Supplier, user: AbstractBaseUser | None) -> None:
    supplier.delete()


# Warehouses


@transaction.atomic
def warehouse_create(*, user: AbstractBaseUser | None, code: str, **fields: Any) -> Warehouse:
    """A new warehouse comes with its usable and quarantine locations."""
    warehouse = save_checked(
        instance=Warehouse(), user=user, fields={"code": code, **fields}, rules=_no_rules
    )
    ensure_locations(warehouse=warehouse)
    return warehouse


@transaction.atomic
def warehouse_update(
    *, warehouse: Warehouse, user: AbstractBaseUser | None, **fields: Any
) -> Warehouse:
    return save_checked(instance=warehouse, user=user, fields=fields, rules=_no_rules)


@transaction.atomic
def warehouse_delete(*, warehouse: Warehouse, user: AbstractBaseUser | None) -> None:
    """Refused while any stock balance or ledger row is in one of its locations."""
    warehouse.delete()
