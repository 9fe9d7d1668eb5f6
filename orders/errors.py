from erp.errors import ConflictError, DomainError


class PickLimitExceeded(ConflictError):
    """A pick beyond the order line's requirement (领料上限), allowances included."""


class ReplenishLimitExceeded(ConflictError):
    """A replenishment beyond what was returned defective and not yet replenished."""


class ReturnLimitExceeded(ConflictError):
    """A return of more than the order line still holds."""


class OrderStateError(DomainError):
    """The order's state does not allow this."""


class WorkOrderStateError(ConflictError):
    """The work order is completed or cancelled: nothing more can be issued against it."""
