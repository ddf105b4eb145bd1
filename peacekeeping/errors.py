"""Domain errors: a refused change, with a machine-readable code and a readable message.

Services raise them; views turn them into form errors, the API into 400 responses
({"code": ..., "detail": ...}), management commands into CommandError.
"""


class DomainError(Exception):
    """A change the current state does not allow."""

    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message


class IllegalTransition(DomainError):
    code = "illegal_transition"


class OutOfScope(DomainError):
    """The object named belongs to a mission or State outside the user's scope."""

    code = "out_of_scope"


class StaleVersion(DomainError):
    """Someone else changed the object since the user read it."""

    code = "stale_version"
