"""Reads for the deelhulp: the recipient with the consent and convenant flow that cover sharing with it,
and the professionals a disclosure can give access to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import Organisation, User
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.policy import allows
from keten.dossiers.models import Dossier, Person
from keten.sharing import deelhulp
from keten.sharing.models import Consent, ConvenantFlow
from keten.sharing.services import consent_covers, convenant_flow_for


@dataclass
class DeelhulpLookup:
    """What the deelhulp looks up itself: the recipient, valid consent and a covering convenant flow."""

    recipient: Organisation
    consent: deelhulp.Consent
    consents: list[Consent]
    flow: ConvenantFlow | None


def deelhulp_lookup(
    *,
    actor: Actor,
    dossier: Dossier,
    recipient_id: int,
    about_ids: list[int],
    categories: set[str],
    on: date | None = None,
) -> DeelhulpLookup:
    """Consent and a convenant flow for sharing ``categories`` about these family members with the recipient.

    Only for the dossier's case team (NotFoundError otherwise). Consent counts as valid when it covers
    every person the sharing is about; "withdrawn" when it does not and a withdrawn consent to this
    recipient exists. Raises DomainError when the recipient is not an active organisation.
    """
    if actor.user is None or not allows("sharing.record_disclosure", actor.user, dossier):
        raise NotFoundError
    on = on or timezone.localdate()
    recipient = Organisation.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None:
        raise DomainError(_("Kies de organisatie die de gegevens ontvangt."), field="recipient_organisation")
    about = list(Person.objects.filter(pk__in=about_ids, family_id=dossier.family_id))
    covered = bool(about)
    consents: list[Consent] = []
    for person in about:
        ok, valid = consent_covers(person, recipient, on)
        covered = covered and ok
        consents.extend(valid)
    withdrawn = (
        not covered
        and Consent.objects.filter(
            about__in=about, recipients=recipient, withdrawn_on__isnull=False, dossier=dossier
        ).exists()
    )
    flow = None
    if actor.membership is not None:
        flow = convenant_flow_for(
            sender=actor.membership.organisation, recipient=recipient, categories=categories, on=on
        )
    state = deelhulp.Consent.GELDIG if covered else deelhulp.Consent.INGETROKKEN if withdrawn else deelhulp.Consent.GEEN
    return DeelhulpLookup(recipient=recipient, consent=state, consents=consents, flow=flow)


def professionals_in_municipality(*, actor: Actor) -> list[tuple[int, str]]:
    """Active professionals of the municipality's organisations, labelled with their organisation."""
    if actor.membership is None:
        return []
    municipality_id = actor.membership.organisation.municipality_id
    rows = (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organisation__municipality_id=municipality_id,
        )
        .exclude(pk=actor.user.pk if actor.user else 0)
        .values_list("id", "first_name", "last_name", "username", "memberships__organisation__name")
        .order_by("memberships__organisation__name", "last_name")
    )
    return [(pk, f"{(f'{first} {last}').strip() or username} — {org}") for pk, first, last, username, org in rows]
