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
                    "verwijsindex": allows("verwijsindex.register", user),
                    "overleg": membership is not None,
                    # Evaluated only where a template asks (dashboard), not on every page.
                    "verwijsindex_regie": lambda: _is_regievoerder(user),
                    "verwijsindex_beheer": allows("verwijsindex.manage", user),
                },
                "unread_notifications": unread_count(user=user),  # type: ignore[arg-type]
                "open_consultations": _open_consultations(user),
                "open_vi_matches": lambda: _open_vi_matches(user),
            }
        )
    return context


def _open_consultations(user: Any) -> int:
    """Open meldcode consultation requests for a case role (shown as a count in the main menu)."""
    if not may_see_client_data(user):
        return 0
    from keten.meldcode.selectors import consultation_open_count

    return consultation_open_count(user=user)


def _is_regievoerder(user: Any) -> bool:
    from keten.verwijsindex.selectors import is_regievoerder

    return is_regievoerder(user)


def _open_vi_matches(user: Any) -> int:
    """Verwijsindex matches without recorded contact in which a case role takes part (menu count)."""
    if not allows("verwijsindex.register", user):
        return 0
    from keten.verwijsindex.selectors import open_match_count

    return open_match_count(user=user)
