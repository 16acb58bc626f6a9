from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from keten.core.mfa import second_factor_done
from keten.core.policy import allows, may_see_client_data, role_of


def keten(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "KETEN_OIDC_ENABLED": settings.KETEN_OIDC_ENABLED,
        "session_idle_minutes": settings.KETEN_SESSION_IDLE_SECONDS // 60,
    }
    if user is not None and user.is_authenticated and second_factor_done(request):
        from keten.notifications.selectors import unread_count

        membership = user.active_membership  # type: ignore[union-attr]
        context.update(
            {
                "active_membership": membership,
                "current_role": role_of(user),
                "nav": {
                    "dossiers": allows("dossiers.add_dossier", user),
                    "audit": allows("core.view_auditlog", user),
                    "beheer": allows("accounts.manage", user),
                    "cijfers": allows("core.view_aggregates", user),
                    "sociale_kaart": allows("network.view", user),
                    "consultaties": may_see_client_data(user),
                    "meldcode_organisatie": allows("meldcode.view_organisation_trajecten", user),
                    "netwerkanalyse": allows("network.view_gaps", user),
                },
                "unread_notifications": unread_count(user=user),  # type: ignore[arg-type]
                "open_consultations": _open_consultations(user),
            }
        )
    return context


def _open_consultations(user: Any) -> int:
    """Open meldcode consultation requests for a case role (shown as a count in the main menu)."""
    if not may_see_client_data(user):
        return 0
    from keten.meldcode.selectors import consultation_open_count

    return consultation_open_count(user=user)
