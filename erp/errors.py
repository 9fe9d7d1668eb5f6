"""Domain errors: a refusal in the user's own words. The API maps them to 400/409, pages to
form errors, the CLI to a non-zero exit."""


class DomainError(Exception):
    """A business rule refused the request (HTTP 400)."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, details=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details


class ConflictError(DomainError):
    """The request clashes with the current state (HTTP 409): stock taken meanwhile, a job
    already running, a document already applied."""

    status_code = 409
