from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language

from keten.core.mfa import second_factor_done
from keten.core.policy import allows, may_see_client_data, role_of
from keten.core.queries import UserCounts
from keten.shell.navigation import main_menu


def keten(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "KETEN_OIDC_ENABLED": settings.KETEN_OIDC_ENABLED,
        "session_idle_minutes": settings.KETEN_SESSION_IDLE_SECONDS // 60,
    }
    if user is not None and user.is_authenticated and second_factor_done(request):
        membership = user.active_membership
        nav = {
            "dossiers": allows("dossiers.add_dossier", user),
            "audit": allows("core.view_auditlog", user),
            "noodtoegang_beoordelen": allows("dossiers.review_break_glass", user),
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
        }
        badges = _menu_badges(user, nav)
        context.update(
            {
                "active_membership": membership,
                "current_role": role_of(user),
                "nav": nav,
                "main_menu": main_menu(get_language(), nav, badges),
                **badges,
            }
        )
    return context


def _unread(user: Any) -> QuerySet[Any]:
    from keten.notifications.selectors import unread

    return unread(user=user)


def _consultations(user: Any) -> QuerySet[Any]:
    from keten.meldcode.consultations.selectors import consultations_open

    return consultations_open(user=user)


def _matches(user: Any) -> QuerySet[Any]:
    from keten.verwijsindex.selectors import open_matches

    return open_matches(user=user)


_MENU_COUNTS = UserCounts(
    {"unread_notifications": _unread, "open_consultations": _consultations, "open_vi_matches": _matches}
)


def _menu_badges(user: Any, nav: dict[str, Any]) -> dict[str, int]:
    """The counts of the main menu in one statement: unread notifications, consultation requests
    waiting for the user (case roles) and verwijsindex matches without contact (who may register)."""
    names = ["unread_notifications"]
    if nav["consultaties"]:
        names.append("open_consultations")
    if nav["verwijsindex"]:
        names.append("open_vi_matches")
    found = _MENU_COUNTS(user.pk, names)
    return {name: found.get(name, 0) for name in ("unread_notifications", "open_consultations", "open_vi_matches")}


def _is_regievoerder(user: Any) -> bool:
    from keten.verwijsindex.selectors import is_regievoerder

    return is_regievoerder(user)
