"""Writes of a case's way through an overleg: registering it, the chair's triage (admit or decline), naming
the casusregisseur, and closing it when it leaves the overleg.

Status changes follow :data:`REGISTRATION_TRANSITIONS`; admitting and closing change the agenda through
:mod:`keten.overleg.meetings.services`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import Organisation
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.dossiers.models import Dossier
from keten.notifications.services import notification_send
from keten.overleg.meetings.services import add_to_agenda, check_open_for_agenda, remove_from_agenda
from keten.overleg.models import (
    AgendaItem,
    AgendaSource,
    AgendaState,
    CaseRegistration,
    Meeting,
    MeetingStatus,
    OverlegType,
    ProcessStep,
    RegistrationStatus,
)
from keten.overleg.selectors import acting_user
from keten.overleg.services import (
    MIN_REASON,
    audit_change,
    case_professional,
    check_transition,
    clean_text,
    lock,
    page_link,
    require,
)

REGISTRATION_TRANSITIONS: dict[str, frozenset[str]] = {
    RegistrationStatus.AANGEMELD: frozenset({RegistrationStatus.TOEGELATEN, RegistrationStatus.AFGEWEZEN}),
    RegistrationStatus.TOEGELATEN: frozenset({RegistrationStatus.AFGESLOTEN}),
    RegistrationStatus.AFGEWEZEN: frozenset(),
    RegistrationStatus.AFGESLOTEN: frozenset(),
}


# --- registering a case ---------------------------------------------------------------------


@dataclass
class RegistrationData:
    reason: str
    goal: str
    process_step_id: int | None = None
    criteria: str = ""
    invited_organisation_ids: Sequence[int] = ()
    family_informed: bool = True
    family_not_informed_reason: str = ""
    match_id: int | None = None


def registration_create(
    *, actor: Actor, overleg_type: OverlegType, dossier: Dossier, data: RegistrationData
) -> CaseRegistration:
    """A professional of the case team brings a family's case to an overleg; the chair is told."""
    user = require("overleg.register", actor, dossier)
    assert actor.membership is not None
    organisation = actor.membership.organisation
    if not overleg_type.is_active or overleg_type.municipality_id != organisation.municipality_id:
        raise NotFoundError
    if dossier.status != Dossier.Status.OPEN:
        raise DomainError(_("Dit dossier is gesloten. Open het dossier opnieuw om de casus aan te melden."))
    reason = clean_text(
        data.reason,
        "reason",
        _("Beschrijf in minstens %(n)d tekens waarom u de casus aanmeldt.") % {"n": MIN_REASON},
        MIN_REASON,
    )
    goal = clean_text(data.goal, "goal", _("Beschrijf wat het overleg moet opleveren (het doel)."))
    step = None
    if data.process_step_id is not None:
        step = ProcessStep.objects.filter(pk=data.process_step_id, overleg_type=overleg_type, is_active=True).first()
        if step is None:
            raise DomainError(_("Kies een processtap van dit overleg."), field="process_step")
    elif overleg_type.steps.filter(is_active=True).exists():
        raise DomainError(_("Kies in welke processtap de casus zich bevindt."), field="process_step")
    invited = list(
        Organisation.objects.filter(
            pk__in=list(data.invited_organisation_ids),
            is_active=True,
            municipality_id=overleg_type.municipality_id,
        )
    )
    if len(invited) != len(set(data.invited_organisation_ids)):
        raise DomainError(_("Kies alleen actieve organisaties uit deze gemeente als partner."), field="partners")
    not_informed_reason = ""
    if not data.family_informed:
        not_informed_reason = clean_text(
            data.family_not_informed_reason,
            "family_not_informed_reason",
            _("Leg vast waarom het gezin niet over de aanmelding is geïnformeerd (minstens %(n)d tekens).")
            % {"n": MIN_REASON},
            MIN_REASON,
        )
    match = None
    if data.match_id is not None:
        from keten.verwijsindex.selectors import match_for_participant

        match = match_for_participant(actor=actor, match_id=data.match_id)
    if CaseRegistration.objects.filter(
        overleg_type=overleg_type,
        dossier=dossier,
        status__in=(RegistrationStatus.AANGEMELD, RegistrationStatus.TOEGELATEN),
    ).exists():
        raise DomainError(_("Deze casus is al aangemeld voor dit overleg en nog niet afgesloten."))
    with transaction.atomic():
        registration = CaseRegistration.objects.create(
            overleg_type=overleg_type,
            dossier=dossier,
            match=match,
            registered_by=user,
            organisation=organisation,
            reason=reason,
            goal=goal,
            process_step=step,
            criteria=(data.criteria or "").strip() or None,
            family_informed=data.family_informed,
            family_not_informed_reason=not_informed_reason or None,
        )
        registration.invited_organisations.set(invited)
        audit_change(
            actor,
            AuditAction.CREATE,
            "registration",
            registration.pk,
            registration,
            overleg_type=overleg_type.pk,
            from_match=match.pk if match else None,
        )
        if overleg_type.chair is not None:
            notification_send(
                recipients=[overleg_type.chair],
                kind="overleg.registration",
                title=_("Nieuwe aanmelding voor %(name)s") % {"name": overleg_type.name},
                body=_("Er is een casus aangemeld die op uw beoordeling wacht."),
                link=page_link("overleg:triage"),
            )
    return registration


@dataclass(frozen=True)
class MatchPrefill:
    """What a registration from a verwijsindex match starts with (no client data beyond the match)."""

    match_id: int
    partner_ids: list[int]
    reason: str
    proposed_on: str


def registration_prefill_from_match(*, actor: Actor, match_id: int) -> MatchPrefill:
    """Prefill a registration from a match the actor coordinates: the other participants become partners.

    NotFoundError when the actor has no active signal in the match; DomainError when they are a
    participant but not its coordinator (the coordinator invites, see ``match_invite``).
    """
    from keten.verwijsindex.models import MatchEvent, Signal, SignalStatus
    from keten.verwijsindex.selectors import match_for_participant

    acting_user(actor)
    match = match_for_participant(actor=actor, match_id=match_id)
    mine = Signal.objects.filter(
        participations__match=match, professional=actor.user, status=SignalStatus.ACTIEF
    ).first()
    if mine is None or match.coordinator_id != mine.pk:
        raise DomainError(_("Alleen de coördinator van de match meldt de casus aan voor een overleg."))
    partners = sorted(
        set(
            Signal.objects.filter(participations__match=match, status=SignalStatus.ACTIEF)
            .exclude(organisation_id=mine.organisation_id)
            .values_list("organisation_id", flat=True)
        )
    )
    invite = match.events.filter(kind=MatchEvent.Kind.UITNODIGING).order_by("-created_at").first()
    return MatchPrefill(
        match_id=match.pk,
        partner_ids=partners,
        reason=_("Aangemeld vanuit een match in de verwijsindex: meerdere professionals zijn betrokken."),
        proposed_on=(invite.details.get("proposed_on", "") if invite is not None else ""),
    )


# --- triage -----------------------------------------------------------------------------------


def registration_admit(
    *,
    actor: Actor,
    registration: CaseRegistration,
    meeting: Meeting,
    casusregisseur_id: int | None = None,
    expected_version: int | None = None,
) -> CaseRegistration:
    """The chair admits a case and schedules it on an upcoming meeting of the overleg."""
    user = require("overleg.triage", actor, registration)
    if meeting.overleg_type_id != registration.overleg_type_id:
        raise DomainError(_("Kies een bijeenkomst van dit overleg."), field="meeting")
    check_open_for_agenda(meeting)
    regisseur = None
    if casusregisseur_id is not None:
        regisseur = case_professional(
            casusregisseur_id, "casusregisseur", _("Kies als casusregisseur een professional met een casusrol.")
        )
    with transaction.atomic():
        locked = lock(CaseRegistration.objects, registration.pk, expected_version)
        if locked.status != RegistrationStatus.AANGEMELD:
            raise DomainError(_("Deze aanmelding is al beoordeeld."))
        locked.status = RegistrationStatus.TOEGELATEN
        locked.decided_by = user
        locked.decided_at = timezone.now()
        if regisseur is not None:
            locked.casusregisseur = regisseur
        locked.version += 1
        locked.save()
        add_to_agenda(user, meeting, locked, AgendaSource.TRIAGE)
        audit_change(actor, AuditAction.UPDATE, "registration.admit", locked.pk, registration, meeting=meeting.pk)
        notification_send(
            recipients=[locked.registered_by],
            kind="overleg.admitted",
            title=_("Aanmelding toegelaten tot %(name)s") % {"name": registration.overleg_type.name},
            body=_("De casus die u aanmeldde staat op de agenda van %(day)s.")
            % {"day": timezone.localtime(meeting.starts_at).strftime("%d-%m-%Y %H:%M")},
            link=page_link("overleg:registration", locked.pk),
        )
    return locked


def registration_decline(
    *, actor: Actor, registration: CaseRegistration, reason: str, expected_version: int | None = None
) -> CaseRegistration:
    """The chair declines a case with a reason; the registering professional is told."""
    user = require("overleg.triage", actor, registration)
    reason = clean_text(
        reason,
        "reason",
        _("Geef in minstens %(n)d tekens de reden van de afwijzing.") % {"n": MIN_REASON},
        MIN_REASON,
    )
    with transaction.atomic():
        locked = lock(CaseRegistration.objects, registration.pk, expected_version)
        if locked.status != RegistrationStatus.AANGEMELD:
            raise DomainError(_("Deze aanmelding is al beoordeeld."))
        locked.status = RegistrationStatus.AFGEWEZEN
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.decline_reason = reason
        locked.version += 1
        locked.save()
        audit_change(actor, AuditAction.UPDATE, "registration.decline", locked.pk, registration)
        notification_send(
            recipients=[locked.registered_by],
            kind="overleg.declined",
            title=_("Aanmelding afgewezen voor %(name)s") % {"name": registration.overleg_type.name},
            body=_("De voorzitter heeft een casus die u aanmeldde niet toegelaten. Bekijk de reden in Keten."),
            link=page_link("overleg:registration", locked.pk),
        )
    return locked


def registration_set_casusregisseur(
    *, actor: Actor, registration: CaseRegistration, user_id: int, expected_version: int | None = None
) -> CaseRegistration:
    """Name the casusregisseur of an admitted case (the chair, or an attendee of its meeting)."""
    require("overleg.name_casusregisseur", actor, registration)
    if registration.status != RegistrationStatus.TOEGELATEN:
        raise DomainError(_("Alleen een toegelaten casus krijgt een casusregisseur."))
    regisseur = case_professional(
        user_id, "casusregisseur", _("Kies als casusregisseur een professional met een casusrol.")
    )
    with transaction.atomic():
        locked = lock(CaseRegistration.objects, registration.pk, expected_version)
        locked.casusregisseur = regisseur
        locked.version += 1
        locked.save()
        audit_change(
            actor, AuditAction.UPDATE, "registration.casusregisseur", locked.pk, registration, user=regisseur.pk
        )
        notification_send(
            recipients=[regisseur],
            kind="overleg.casusregisseur",
            title=_("U bent casusregisseur in %(name)s") % {"name": registration.overleg_type.name},
            body=_("U bent als casusregisseur aangewezen voor een casus in dit overleg."),
            link=page_link("overleg:registration", locked.pk),
        )
    return locked


def registration_close(
    *,
    actor: Actor,
    registration: CaseRegistration,
    reason: str,
    follow_up: str,
    follow_up_organisation_id: int | None = None,
    expected_version: int | None = None,
) -> CaseRegistration:
    """The case leaves the overleg: a reason and who stays in contact with the family."""
    user = require("overleg.view_registration", actor, registration)
    if not allows("overleg.close_registration", user, registration):
        raise NotFoundError
    reason = clean_text(
        reason,
        "reason",
        _("Geef in minstens %(n)d tekens de reden waarom de casus het overleg verlaat.") % {"n": MIN_REASON},
        MIN_REASON,
    )
    follow_up = clean_text(follow_up, "follow_up", _("Leg vast wie contact houdt met het gezin."))
    follow_org = None
    if follow_up_organisation_id is not None:
        follow_org = Organisation.objects.filter(pk=follow_up_organisation_id, is_active=True).first()
        if follow_org is None:
            raise DomainError(_("Kies een actieve organisatie."), field="follow_up_organisation")
    with transaction.atomic():
        locked = lock(CaseRegistration.objects, registration.pk, expected_version)
        check_transition(
            REGISTRATION_TRANSITIONS,
            locked.status,
            RegistrationStatus.AFGESLOTEN,
            _("Alleen een toegelaten casus kan het overleg verlaten."),
        )
        locked.status = RegistrationStatus.AFGESLOTEN
        locked.closed_at = timezone.now()
        locked.close_reason = reason
        locked.follow_up = follow_up
        locked.follow_up_organisation = follow_org
        locked.version += 1
        locked.save()
        future = AgendaItem.objects.filter(
            registration=locked, state=AgendaState.ON_AGENDA, meeting__status=MeetingStatus.PLANNED
        ).select_related("meeting")
        for item in future:
            remove_from_agenda(user, item, _("casus heeft het overleg verlaten"))
        audit_change(actor, AuditAction.UPDATE, "registration.close", locked.pk, registration)
        recipients = [u for u in (locked.registered_by, locked.casusregisseur) if u is not None and u.pk != user.pk]
        if recipients:
            notification_send(
                recipients=recipients,
                kind="overleg.closed",
                title=_("Casus afgesloten in %(name)s") % {"name": registration.overleg_type.name},
                body=_("Een casus heeft het overleg verlaten. In Keten staat wie contact houdt met het gezin."),
                link=page_link("overleg:registration", locked.pk),
            )
    return locked
