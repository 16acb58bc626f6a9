"""Writes of contact requests: a professional asks another organisation for a consultation or referral."""

from __future__ import annotations

import re

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, Organisation, Role, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.network.models import ContactRequest
from keten.notifications.services import notification_send

# Nine digits in a row look like a BSN: a contact request must not carry one.
_BSN_LIKE = re.compile(r"(?<!\d)\d{9}(?!\d)")


def contact_request_create(
    *, actor: Actor, to_organisation: Organisation, kind: str, message: str, to_user_id: int | None = None
) -> ContactRequest:
    """Record a consultation or referral request; the recipient's aandachtsfunctionarissen are notified."""
    if actor.user is None or actor.membership is None or not allows("network.request_contact", actor.user):
        raise NotFoundError
    if (
        not to_organisation.is_active
        or to_organisation.municipality_id != actor.membership.organisation.municipality_id
    ):
        raise NotFoundError
    if kind not in ContactRequest.Kind.values:
        raise DomainError(_("Kies consultatie of verwijzing."), field="kind")
    text = message.strip()
    if not text:
        raise DomainError(_("Beschrijf kort uw vraag."), field="message")
    if len(text) > 1000:
        raise DomainError(_("Houd uw vraag korter dan 1000 tekens."), field="message")
    if _BSN_LIKE.search(text.replace(" ", "").replace(".", "")):
        raise DomainError(
            _("Uw vraag lijkt een BSN te bevatten. Zet geen gegevens van cliënten in deze vraag."), field="message"
        )
    recipient: User | None = None
    if to_user_id is not None:
        membership = (
            Membership.objects.filter(
                user_id=to_user_id, organisation=to_organisation, is_active=True, user__is_active=True
            )
            .select_related("user")
            .first()
        )
        if membership is None:
            raise DomainError(_("Kies een professional van deze organisatie."), field="to_user")
        recipient = membership.user
    with transaction.atomic():
        request = ContactRequest.objects.create(
            from_user=actor.user,
            from_organisation=actor.membership.organisation,
            to_organisation=to_organisation,
            to_user=recipient,
            kind=kind,
            message=text,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="contact_request",
            object_id=request.pk,
            details={"to_organisation": to_organisation.pk, "kind": kind},
        )
        officers = [
            m.user
            for m in Membership.objects.filter(
                organisation=to_organisation, role=Role.AANDACHTSFUNCTIONARIS, is_active=True, user__is_active=True
            ).select_related("user")
        ]
        if recipient is not None:
            officers.append(recipient)
        notification_send(
            recipients=officers,
            kind="network_contact_request",
            title=_("Nieuwe vraag om %(kind)s van %(organisation)s")
            % {"kind": request.get_kind_display().lower(), "organisation": actor.membership.organisation.name},
            body=_("Open Keten om de vraag te lezen."),
            link=reverse("network:organisation", args=[to_organisation.pk]),
        )
    return request
