"""Reads of organisations, wijken and professionals."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from keten.accounts.models import Membership, Organisation, User, Wijk
from keten.core.actor import Actor
from keten.core.policy import allows


def wijk_choices(*, actor: Actor) -> list[tuple[int, str]]:
    return list(Wijk.objects.order_by("name").values_list("id", "name"))


def organisations_list(*, actor: Actor) -> QuerySet[Organisation]:
    """Organisations are not client data: every signed-in professional and system may list them."""
    return Organisation.objects.filter(is_active=True).select_related("municipality").order_by("name")


def beheer_summary(*, actor: Actor) -> dict[str, Any]:
    if actor.user is None or not allows("accounts.manage", actor.user):
        return {}
    from django_otp.plugins.otp_totp.models import TOTPDevice

    users = User.objects.filter(is_active=True)
    with_mfa = TOTPDevice.objects.filter(confirmed=True, user__is_active=True).values("user_id").distinct().count()
    return {
        "organisations": Organisation.objects.filter(is_active=True).count(),
        "users": users.count(),
        "users_without_mfa": users.count() - with_mfa,
        "roles": list(
            Membership.objects.filter(is_active=True).values("role").annotate(n=Count("id")).order_by("role")
        ),
    }


def users_for_beheer(*, actor: Actor, query: str = "") -> QuerySet[User]:
    if actor.user is None or not allows("accounts.manage", actor.user):
        return User.objects.none()
    qs = User.objects.prefetch_related("memberships__organisation", "memberships__team").order_by("last_name")
    if query:
        qs = qs.filter(Q(last_name__icontains=query) | Q(first_name__icontains=query) | Q(username__icontains=query))
    return qs
