from erp.errors import ConflictError, DomainError


class InsufficientStock(ConflictError):
    """Usable stock would go below zero."""


class BomCycle(DomainError):
    """A BOM line would make an item its own component, directly or through other items."""
