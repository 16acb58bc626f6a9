"""Writes of informatie delen: convenants, consents, disclosures and the access they grant.

Every function checks the policy, validates with Dutch messages, writes in one transaction with
its audit event, and changes nothing when it fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import Organisation, OrganisationType, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.crypto import new_pseudonym
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.dossiers.models import Dossier, Person, Relation
from keten.sharing import deelhulp
from keten.sharing.models import (
    AccessGrant,
    Consent,
    Convenant,
    ConvenantFlow,
    DataCategory,
    Disclosure,
    GiverRole,
    LegalBasis,
)

MAX_GRANT_DAYS = 90
MIN_MOTIVATION = 10


def _age(person: Person, on: date) -> int | None:
    born = person.date_of_birth
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _require_case_team(actor: Actor, dossier: Dossier) -> User:
    if actor.user is None or actor.membership is None or not allows("dossiers.change_dossier", actor.user, dossier):
        raise NotFoundError
    return actor.user


def _audit(actor: Actor, dossier: Dossier, action: str, what: str, object_id: Any, **details: Any) -> None:
    audit.record(
        actor=actor,
        action=action,
        object_type=f"sharing.{what}",
        object_id=object_id,
        client_pseudonym=dossier.family.pseudonym,
        details=details,
    )


# --- convenants --------------------------------------------------------------------------------


@dataclass
class FlowData:
    from_types: list[str]
    to_types: list[str]
    purpose: str
    categories: list[str]
    legal_basis: str
    legal_reference: str = ""


@dataclass
class ConvenantData:
    title: str
    party_ids: list[int]
    purposes: list[str]
    start_date: date | None
    end_date: date | None = None
    document_url: str = ""
    flows: list[FlowData] = field(default_factory=list)


def convenant_create(*, actor: Actor, data: ConvenantData) -> Convenant:
    """The municipality registers a convenant with its permitted data flows."""
    if actor.user is None or actor.membership is None or not allows("network.manage_agreements", actor.user):
        raise NotFoundError
    municipality_id = actor.membership.organisation.municipality_id
    if not data.title.strip():
        raise DomainError(_("Geef het convenant een titel."), field="title")
    if data.start_date is None:
        raise DomainError(_("Vul de ingangsdatum in."), field="start_date")
    if data.end_date is not None and data.end_date < data.start_date:
        raise DomainError(_("De einddatum kan niet voor de ingangsdatum liggen."), field="end_date")
    parties = set(data.party_ids)
    if len(parties) < 2:
        raise DomainError(_("Een convenant heeft minstens twee partijen."), field="parties")
    if Organisation.objects.filter(pk__in=parties, municipality_id=municipality_id, is_active=True).count() != len(
        parties
    ):
        raise DomainError(_("Kies alleen actieve organisaties uit uw eigen gemeente."), field="parties")
    purposes = [p.strip() for p in data.purposes if p.strip()]
    if not purposes:
        raise DomainError(_("Noem minstens één doel van de samenwerking."), field="purposes")
    if not data.flows:
        raise DomainError(_("Leg minstens één gegevensstroom vast."), field="flows")
    for i, flow in enumerate(data.flows, start=1):
        if flow.legal_basis not in LegalBasis.values:
            raise DomainError(
                _("Gegevensstroom %(n)d heeft geen grondslag. Elke stroom heeft een wettelijke grondslag nodig.")
                % {"n": i},
                field="flows",
            )
        if not flow.purpose.strip():
            raise DomainError(_("Gegevensstroom %(n)d heeft geen doel.") % {"n": i}, field="flows")
        if not flow.categories or any(c not in DataCategory.values for c in flow.categories):
            raise DomainError(_("Kies de gegevens die in stroom %(n)d gedeeld mogen worden.") % {"n": i}, field="flows")
        if any(t not in OrganisationType.values for t in [*flow.from_types, *flow.to_types]) or not (
            flow.from_types and flow.to_types
        ):
            raise DomainError(
                _("Kies van en naar welke soorten organisaties stroom %(n)d loopt.") % {"n": i}, field="flows"
            )
    with transaction.atomic():
        convenant = Convenant.objects.create(
            municipality_id=municipality_id,
            title=data.title.strip(),
            purposes=purposes,
            start_date=data.start_date,
            end_date=data.end_date,
            document_url=data.document_url.strip(),
        )
        convenant.parties.set(parties)
        ConvenantFlow.objects.bulk_create(
            [
                ConvenantFlow(
                    convenant=convenant,
                    from_types=f.from_types,
                    to_types=f.to_types,
                    purpose=f.purpose.strip(),
                    categories=sorted(set(f.categories)),
                    legal_basis=f.legal_basis,
                    legal_reference=f.legal_reference.strip(),
                )
                for f in data.flows
            ]
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="sharing.convenant",
            object_id=convenant.pk,
            details={"flows": len(data.flows), "parties": sorted(parties)},
        )
    return convenant


def convenant_flow_for(
    *, sender: Organisation, recipient: Organisation, categories: set[str], on: date
) -> ConvenantFlow | None:
    """An active convenant flow with both organisations as parties that covers all the categories."""
    flows = ConvenantFlow.objects.filter(
        convenant__parties=sender,
        convenant__start_date__lte=on,
    ).select_related("convenant")
    for flow in flows:
        convenant = flow.convenant
        if convenant.end_date is not None and convenant.end_date < on:
            continue
        if not convenant.parties.filter(pk=recipient.pk).exists():
            continue
        if sender.type in flow.from_types and recipient.type in flow.to_types and categories <= set(flow.categories):
            return flow
    return None


# --- consent -----------------------------------------------------------------------------------


@dataclass
class ConsentData:
    giver_id: int
    giver_role: str
    about_id: int
    purpose: str
    recipient_ids: list[int]
    form: str
    given_on: date | None
    valid_until: date | None = None


def consent_record(*, actor: Actor, dossier: Dossier, data: ConsentData) -> Consent:
    """Record consent; refused when the giver cannot give it (age, gezag, not about themselves)."""
    user = _require_case_team(actor, dossier)
    today = timezone.localdate()
    giver = Person.objects.filter(pk=data.giver_id, family_id=dossier.family_id).first()
    about = Person.objects.filter(pk=data.about_id, family_id=dossier.family_id).first()
    if giver is None or about is None:
        raise DomainError(_("Kies personen uit dit gezin."), field="giver")
    if data.given_on is None or data.given_on > today:
        raise DomainError(_("Vul een datum van vandaag of eerder in."), field="given_on")
    if data.valid_until is not None and data.valid_until < data.given_on:
        raise DomainError(_("De toestemming kan niet eindigen voordat ze is gegeven."), field="valid_until")
    if data.form not in Consent.Form.values:
        raise DomainError(_("Kies hoe de toestemming is gegeven."), field="form")
    if len(data.purpose.strip()) < MIN_MOTIVATION:
        raise DomainError(_("Beschrijf het doel waarvoor toestemming is gegeven."), field="purpose")
    recipients = set(data.recipient_ids)
    if not recipients or Organisation.objects.filter(pk__in=recipients, is_active=True).count() != len(recipients):
        raise DomainError(_("Kies aan welke organisaties gedeeld mag worden."), field="recipients")
    about_age = _age(about, data.given_on)
    giver_age = _age(giver, data.given_on)
    role = data.giver_role
    if role == GiverRole.OUDER_MET_GEZAG:
        if giver.relation not in (Relation.OUDER, Relation.VERZORGER) or giver.pk == about.pk:
            raise DomainError(_("Alleen een ouder met gezag geeft als ouder toestemming over een kind."), field="giver")
        if about_age is not None and about_age >= 16:
            raise DomainError(
                _("Een jongere van 16 jaar of ouder geeft zelf toestemming; de ouders beslissen dan niet mee."),
                field="giver_role",
            )
    elif role in (GiverRole.JONGERE_12, GiverRole.JONGERE_16, GiverRole.VOLWASSENE):
        if giver.pk != about.pk:
            raise DomainError(_("Een jongere of volwassene geeft alleen toestemming over zichzelf."), field="giver")
        if giver_age is None:
            raise DomainError(
                _("De geboortedatum is nodig om te beoordelen of iemand toestemming kan geven."), field="giver"
            )
        bounds = {GiverRole.JONGERE_12: (12, 15), GiverRole.JONGERE_16: (16, 17), GiverRole.VOLWASSENE: (18, 200)}
        low, high = bounds[GiverRole(role)]
        if not low <= giver_age <= high:
            raise DomainError(
                _("Deze persoon is %(age)d jaar en kan in deze rol geen toestemming geven.") % {"age": giver_age},
                field="giver_role",
            )
    else:
        raise DomainError(_("Kies in welke rol de toestemming is gegeven."), field="giver_role")
    with transaction.atomic():
        consent = Consent.objects.create(
            dossier=dossier,
            giver=giver,
            giver_role=role,
            about=about,
            purpose=data.purpose.strip(),
            form=data.form,
            given_on=data.given_on,
            valid_until=data.valid_until,
            recorded_by=user,
        )
        consent.recipients.set(recipients)
        _audit(actor, dossier, AuditAction.CREATE, "consent", consent.pk, role=role)
    return consent


def consent_withdraw(*, actor: Actor, consent: Consent, withdrawn_on: date | None) -> Consent:
    """Withdrawal stops all future sharing under this consent."""
    _require_case_team(actor, consent.dossier)
    if consent.withdrawn_on is not None:
        raise DomainError(_("Deze toestemming is al ingetrokken."))
    if withdrawn_on is None or withdrawn_on > timezone.localdate() or withdrawn_on < consent.given_on:
        raise DomainError(_("Vul een datum in tussen het geven van de toestemming en vandaag."), field="withdrawn_on")
    with transaction.atomic():
        consent.withdrawn_on = withdrawn_on
        consent.save(update_fields=["withdrawn_on"])
        _audit(actor, consent.dossier, AuditAction.UPDATE, "consent", consent.pk, withdrawn=True)
    return consent


def consent_covers(about: Person, recipient: Organisation, on: date) -> tuple[bool, list[Consent]]:
    """Whether valid consent covers sharing about ``about`` with ``recipient`` on ``on``.

    Under 12: a parent with gezag. From 12 to 16: a parent with gezag *and* the young person.
    From 16: the young person alone. Adults: themselves.
    """
    valid = [
        c
        for c in Consent.objects.filter(about=about, recipients=recipient, given_on__lte=on, withdrawn_on__isnull=True)
        if c.valid_until is None or c.valid_until >= on
    ]
    roles = {c.giver_role for c in valid}
    age = _age(about, on)
    if age is None or age < 12:
        ok = GiverRole.OUDER_MET_GEZAG in roles
    elif age < 16:
        ok = GiverRole.OUDER_MET_GEZAG in roles and GiverRole.JONGERE_12 in roles
    elif age < 18:
        ok = GiverRole.JONGERE_16 in roles
    else:
        ok = GiverRole.VOLWASSENE in roles
    return ok, valid


# --- disclosures -------------------------------------------------------------------------------


@dataclass
class DisclosureData:
    about_ids: list[int]
    categories: list[str]
    items: list[str]
    recipient_organisation_id: int
    purpose: str
    legal_basis: str
    shared_on: date | None
    client_informed: bool
    client_informed_on: date | None = None
    not_informed_reason: str = ""
    recipient_user_id: int | None = None
    recipient_name: str = ""
    no_consent_reason: str = ""
    advice: dict[str, Any] = field(default_factory=dict)
    override_motivation: str = ""
    grant_days: int = 0


def disclosure_record(*, actor: Actor, dossier: Dossier, data: DisclosureData) -> Disclosure:
    """Record a verstrekking; with a recipient inside Keten it grants access to the shared part for a period."""
    user = _require_case_team(actor, dossier)
    assert actor.membership is not None
    today = timezone.localdate()
    if len(data.purpose.strip()) < MIN_MOTIVATION:
        raise DomainError(_("Beschrijf het doel van de verstrekking."), field="purpose")
    if data.legal_basis not in LegalBasis.values:
        raise DomainError(_("Kies de grondslag waarop u deelt."), field="legal_basis")
    categories = sorted(set(data.categories))
    if not categories or any(c not in DataCategory.values for c in categories):
        raise DomainError(_("Kies welke gegevens u deelt."), field="categories")
    if data.shared_on is None or data.shared_on > today:
        raise DomainError(_("Vul een datum van vandaag of eerder in."), field="shared_on")
    about = list(Person.objects.filter(pk__in=set(data.about_ids), family_id=dossier.family_id))
    if not about or len(about) != len(set(data.about_ids)):
        raise DomainError(_("Kies over welke gezinsleden u deelt."), field="about")
    recipient = Organisation.objects.filter(pk=data.recipient_organisation_id, is_active=True).first()
    if recipient is None:
        raise DomainError(_("Kies de organisatie die de gegevens ontvangt."), field="recipient_organisation")
    recipient_user: User | None = None
    if data.recipient_user_id is not None:
        recipient_user = User.objects.filter(
            pk=data.recipient_user_id,
            is_active=True,
            memberships__organisation=recipient,
            memberships__is_active=True,
        ).first()
        if recipient_user is None:
            raise DomainError(_("Deze professional werkt niet bij de gekozen organisatie."), field="recipient_user")
    consent_ref: Consent | None = None
    convenant_flow: ConvenantFlow | None = None
    if data.legal_basis == LegalBasis.TOESTEMMING:
        for person in about:
            ok, valid = consent_covers(person, recipient, data.shared_on)
            if not ok:
                raise DomainError(
                    _(
                        "Er is geen geldige toestemming (meer) om over %(who)s aan deze organisatie te delen. "
                        "Is de toestemming ingetrokken of verlopen, dan kunt u er niet meer op delen."
                    )
                    % {"who": person.first_name},
                    field="legal_basis",
                )
            consent_ref = consent_ref or (valid[0] if valid else None)
    else:
        if len(data.no_consent_reason.strip()) < MIN_MOTIVATION:
            raise DomainError(_("Leg uit waarom u zonder toestemming deelt."), field="no_consent_reason")
        if data.legal_basis == LegalBasis.CONVENANT:
            convenant_flow = convenant_flow_for(
                sender=actor.membership.organisation, recipient=recipient, categories=set(categories), on=data.shared_on
            )
            if convenant_flow is None:
                raise DomainError(
                    _("Geen actief convenant tussen uw organisatie en de ontvanger dekt deze gegevens."),
                    field="legal_basis",
                )
        if data.legal_basis == LegalBasis.MELDRECHT_VEILIG_THUIS and recipient.type != OrganisationType.VEILIG_THUIS:
            raise DomainError(_("Het meldrecht geldt alleen voor delen met Veilig Thuis."), field="legal_basis")
    if data.client_informed:
        if data.client_informed_on is None or data.client_informed_on > today:
            raise DomainError(_("Vul in wanneer de cliënt is ingelicht."), field="client_informed_on")
    elif len(data.not_informed_reason.strip()) < MIN_MOTIVATION:
        raise DomainError(_("Leg uit waarom de cliënt niet is ingelicht."), field="not_informed_reason")
    advised = str(data.advice.get("advice", ""))
    followed = advised in ("", deelhulp.Advice.DELEN, deelhulp.Advice.MINDER_DELEN)
    if not followed and len(data.override_motivation.strip()) < MIN_MOTIVATION:
        raise DomainError(
            _("De deelhulp adviseerde niet te delen. Motiveer waarom u toch deelt."), field="override_motivation"
        )
    if recipient_user is not None and not 1 <= data.grant_days <= MAX_GRANT_DAYS:
        raise DomainError(
            _("Kies hoe lang de ontvanger toegang krijgt: 1 tot en met %(n)d dagen.") % {"n": MAX_GRANT_DAYS},
            field="grant_days",
        )
    with transaction.atomic():
        disclosure = Disclosure(
            reference=new_pseudonym("V"),
            dossier=dossier,
            categories=categories,
            items=[i.strip() for i in data.items if i.strip()],
            recipient_organisation=recipient,
            recipient_user=recipient_user,
            recipient_name=data.recipient_name.strip() or (recipient_user.get_full_name() if recipient_user else ""),
            purpose=data.purpose.strip(),
            legal_basis=data.legal_basis,
            convenant=convenant_flow.convenant if convenant_flow else None,
            consent=consent_ref,
            no_consent_reason=data.no_consent_reason.strip() or None,
            client_informed=data.client_informed,
            client_informed_on=data.client_informed_on,
            not_informed_reason=data.not_informed_reason.strip() or None,
            advice={**data.advice, "rules_version": data.advice.get("rules_version", deelhulp.RULES_VERSION)}
            if data.advice
            else {},
            override_motivation=data.override_motivation.strip() or None,
            decided_by=user,
            decided_by_organisation=actor.membership.organisation,
            shared_on=data.shared_on,
        )
        disclosure.save()
        disclosure.about.set(about)
        if recipient_user is not None:
            now = timezone.now()
            AccessGrant.objects.create(
                disclosure=disclosure,
                dossier=dossier,
                user=recipient_user,
                categories=categories,
                starts_at=now,
                expires_at=now + timedelta(days=data.grant_days),
            )
        _audit(
            actor,
            dossier,
            AuditAction.SHARE,
            "disclosure",
            disclosure.reference,
            basis=data.legal_basis,
            recipient=recipient.pk,
            categories=categories,
            grant_days=data.grant_days if recipient_user else 0,
        )
    return disclosure


def grant_revoke(*, actor: Actor, grant: AccessGrant) -> AccessGrant:
    """End access early (by the case team that granted it)."""
    _require_case_team(actor, grant.dossier)
    if grant.revoked_at is not None or grant.expires_at <= timezone.now():
        raise DomainError(_("Deze toegang is al beëindigd."))
    with transaction.atomic():
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        _audit(actor, grant.dossier, AuditAction.UPDATE, "grant", grant.pk, revoked=True)
    return grant


def grants_expire(*, now: Any = None) -> int:
    """Mark grants whose period has ended as revoked (access already stops at expires_at); logs the count."""
    now = now or timezone.now()
    count = AccessGrant.objects.filter(revoked_at__isnull=True, expires_at__lte=now).update(revoked_at=now)
    if count:
        audit.record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="sharing.grants",
            user_label="toegang-verloopt",
            details={"expired": count},
        )
    return count
