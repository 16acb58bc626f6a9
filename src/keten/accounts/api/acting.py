"""The API side of a system acting for a professional: the ``Keten-Professional`` header.

Every API view that lets a system token record in a professional's name takes its actor from
:func:`api_actor` and documents the header with :data:`PROFESSIONAL_PARAMETER`. The token needs the
endpoint's scope (otherwise the endpoint answers 404, as for any token without the scope); who may
be named is decided by :mod:`keten.accounts.acting`.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter

from keten.accounts.acting import MAX_NAME, missing, professional_actor
from keten.core.actor import Actor, actor_from_request
from keten.core.errors import NotFoundError

PROFESSIONAL_HEADER = "Keten-Professional"

PROFESSIONAL_PARAMETER = OpenApiParameter(
    PROFESSIONAL_HEADER,
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "System tokens: the professional this system acts for — their user id or e-mail address. Only an "
        "active member with a case role (professional, aandachtsfunctionaris, teamleider, Veilig Thuis) of the "
        "token's own organisation; anyone else gets `400 invalid` with an error on `professional`, the same "
        "answer whoever was named. The system then reaches only the dossiers where that professional is on the "
        "case team (not through their break-the-glass grants or consultations), and every audit event records "
        "the system and the professional. Ignored for a browser session, which always acts for its own user."
    ),
)


def named_professional(request: Any) -> str:
    """The ``Keten-Professional`` header as sent (empty when absent)."""
    return str(request.headers.get(PROFESSIONAL_HEADER) or "").strip()[: MAX_NAME + 1]


def api_actor(request: Any, *, scope: str, professional: str = "required") -> Actor:
    """The actor of an API request that may record in a professional's name.

    A browser session acts for its own user (the header is ignored). A system token needs ``scope``
    (otherwise 404: the endpoint does not exist for it) and then acts for the professional named in
    the header: ``professional="required"`` refuses a call without one, ``"optional"`` leaves such a
    call to the system itself.
    """
    actor = actor_from_request(request)
    client = actor.api_client
    if client is None:
        return actor
    if not client.has_scope(scope):
        raise NotFoundError
    name = named_professional(request)
    if not name:
        if professional == "required":
            raise missing()
        return actor
    acting = professional_actor(client, name)
    request._keten_actor = acting  # later look-ups of this request's actor see the same one
    return acting
