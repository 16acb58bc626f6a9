"""Domain errors raised by services; views and the API turn them into Dutch messages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused the request; nothing was written."""

    status_code = 400
    code = "invalid"
    default_message = _("Het verzoek kon niet worden verwerkt.")

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = str(message or self.default_message)
        self.field = field
        super().__init__(self.message)


class ConflictError(DomainError):
    """Someone else changed the record since it was loaded (optimistic version check)."""

    status_code = 409
    code = "conflict"
    default_message = _(
        "Iemand anders heeft dit gegeven intussen gewijzigd. Laad de pagina opnieuw en voer uw wijziging nog eens in."
    )


class NotFoundError(DomainError):
    """The object does not exist for this actor (also used when the actor may not see it)."""

    status_code = 404
    code = "not_found"
    default_message = _("Niet gevonden.")


class RateLimitedError(DomainError):
    """The actor did this too often in a short time; nothing was looked up or written."""

    status_code = 429
    code = "throttled"
    default_message = _("U heeft dit te vaak gedaan. Probeer het later opnieuw.")
