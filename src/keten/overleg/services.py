"""Writes of the overleg: registrations, triage, meetings, agenda, discussion records and agreements.

Every use case asks the policy first (an object the actor may not see is :class:`NotFoundError`),
validates its input with Dutch messages (:class:`DomainError`, nothing written), changes the rows in
one transaction together with its audit event, and queues notifications (without client details)
for after the commit. Rows that carry a ``version`` are locked and compared with the version the
caller loaded: a mismatch is a :class:`ConflictError`, never a silent overwrite. Agenda changes and
agreement changes leave append-only history rows (AgendaEvent, AgreementVersion).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models import Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import CASE_ROLES, Membership, Organisation, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.dossiers.models import Dossier
from keten.notifications.services import notification_send
from keten.overleg.models import (
    AgendaEvent,
    AgendaItem,
    AgendaSource,
    AgendaState,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Attendance,
    CalendarFeed,
    CaseRegistration,
    DiscussionEntry,
    Meeting,
    MeetingStatus,
    OverlegType,
    ProcessStep,
    RegistrationStatus,
)
from keten.overleg.rules import invited_membership_q

MIN_REASON = 10
MIN_TEXT = 5
#: How many weeks ahead the recurrence job keeps meetings planned.
WEEKS_AHEAD = 6

M = TypeVar("M", bound=models.Model)

#: Allowed status transitions of a registration, in one table.
REGISTRATION_TRANSITIONS: dict[str, frozenset[str]] = {
    RegistrationStatus.AANGEMELD: frozenset({RegistrationStatus.TOEGELATEN, RegistrationStatus.AFGEWEZEN}),
    RegistrationStatus.TOEGELATEN: frozenset({RegistrationStatus.AFGESLOTEN}),
    RegistrationStatus.AFGEWEZEN: frozenset(),
    RegistrationStatus.AFGESLOTEN: frozenset(),
}

#: Allowed status transitions of a meeting.
MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.PLANNED: frozenset({MeetingStatus.HELD, MeetingStatus.CANCELLED}),
    MeetingStatus.HELD: frozenset(),
    MeetingStatus.CANCELLED: frozenset(),
}

#: Allowed status transitions of an agreement.
AGREEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AgreementStatus.OPEN: frozenset({AgreementStatus.DONE, AgreementStatus.CANCELLED}),
    AgreementStatus.DONE: frozenset(),
    AgreementStatus.CANCELLED: frozenset(),
}


# --- shared helpers --------------------------------------------------------------------------


def _user(actor: Actor) -> User:
    if actor.user is None or actor.membership is None:
        raise NotFoundError
    return actor.user


def _require(permission: str, actor: Actor, obj: Any) -> User:
    user = _user(actor)
    if not allows(permission, user, obj):
        raise NotFoundError
    return user


def _text(value: str | None, field: str, message: str, minimum: int = MIN_TEXT) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise DomainError(message, field=field)
    return value


def _link(name: str, *args: Any) -> str:
    """The page for a notification; empty while the UI does not offer it."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _lock(model: type[M], pk: int, expected_version: int | None) -> M:
    """The row, locked for this transaction; ConflictError when its version moved on since it was loaded."""
    obj = model._default_manager.select_for_update().filter(pk=pk).first()  # type: ignore[attr-defined]
    if obj is None:
        raise NotFoundError
    if expected_version is not None and getattr(obj, "version", None) != expected_version:
        raise ConflictError
    return obj  # type: ignore[no-any-return]


def _check_transition(table: dict[str, frozenset[str]], current: str, new: str, message: str) -> None:
    if new not in table[current]:
        raise DomainError(message)


def _audit(
    actor: Actor | None,
    action: str,
    what: str,
    object_id: Any,
    registration: CaseRegistration | None = None,
    **details: Any,
) -> None:
    audit.record(
        actor=actor,
        action=action,
        object_type=f"overleg.{what}",
        object_id=object_id,
        client_pseudonym=registration.dossier.family.pseudonym if registration is not None else "",
        details=details,
    )


def _registration(pk: int) -> CaseRegistration:
    reg = CaseRegistration.objects.select_related("overleg_type", "dossier__family").filter(pk=pk).first()
    if reg is None:
        raise NotFoundError
    return reg


def _case_professional(user_id: int | None, field: str, message: str) -> User:
    user = (
        User.objects.filter(
            pk=user_id,
            is_active=True,
            memberships__is_active=True,
            memberships__organisation__is_active=True,
            memberships__role__in=CASE_ROLES,
        )
        .distinct()
        .first()
        if user_id
        else None
    )
    if user is None:
        raise DomainError(message, field=field)
    return user


def _meeting_open_for_agenda(meeting: Meeting, field: str = "meeting") -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("Deze bijeenkomst is afgelast. Kies een andere bijeenkomst."), field=field)
    if meeting.status == MeetingStatus.HELD:
        raise DomainError(_("Deze bijeenkomst is al gehouden. Kies een bijeenkomst die nog komt."), field=field)
    if meeting.ends_at < timezone.now():
        raise DomainError(_("Deze bijeenkomst is al voorbij. Kies een bijeenkomst die nog komt."), field=field)


def _add_to_agenda(
    actor_user: User | None, meeting: Meeting, registration: CaseRegistration, source: str
) -> AgendaItem:
    order = (AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("order"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            item = AgendaItem.objects.create(
                meeting=meeting, registration=registration, order=order, source=source, added_by=actor_user
            )
    except IntegrityError as exc:
        raise DomainError(_("Deze casus staat al op de agenda van deze bijeenkomst."), field="meeting") from exc
    AgendaEvent.objects.create(item=item, kind=AgendaEvent.Kind.ADDED, actor=actor_user, details={"source": source})
    return item


def _remove_from_agenda(actor_user: User | None, item: AgendaItem, reason: str) -> None:
    AgendaItem.objects.filter(pk=item.pk).update(state=AgendaState.REMOVED)
    item.state = AgendaState.REMOVED
    AgendaEvent.objects.create(item=item, kind=AgendaEvent.Kind.REMOVED, actor=actor_user, reason=reason[:300])


def next_planned_meeting(overleg_type_id: int, after: dt.datetime) -> Meeting | None:
    return (
        Meeting.objects.filter(overleg_type_id=overleg_type_id, status=MeetingStatus.PLANNED, starts_at__gt=after)
        .select_related("overleg_type")
        .order_by("starts_at")
        .first()
    )


# --- overleg types (set-up by the municipality or the lead organisation) --------------------


@dataclass
class OverlegTypeData:
    name: str
    kind: str
    lead_organisation_id: int
    member_ids: Sequence[int] = ()
    chair_id: int | None = None
    weekdays: Sequence[int] = ()
    start_time: dt.time | None = None
    duration_minutes: int = 90
    location: str = ""
    online_link: str = ""
    convenant_id: int | None = None
    privacy_basis: str = ""
    is_active: bool = True


def _validate_type(actor: Actor, data: OverlegTypeData) -> tuple[Organisation, list[Organisation], User | None]:
    from keten.overleg.models import OverlegKind

    user = _user(actor)
    assert actor.membership is not None
    municipality_id = actor.membership.organisation.municipality_id
    if len((data.name or "").strip()) < 3:
        raise DomainError(_("Geef het overleg een naam."), field="name")
    if data.kind not in OverlegKind.values:
        raise DomainError(_("Kies de soort overleg."), field="kind")
    lead = Organisation.objects.filter(
        pk=data.lead_organisation_id, municipality_id=municipality_id, is_active=True
    ).first()
    if lead is None:
        raise DomainError(_("Kies de organisatie die het overleg voert."), field="lead_organisation")
    members = list(Organisation.objects.filter(pk__in=list(data.member_ids), is_active=True))
    if len(members) != len(set(data.member_ids)):
        raise DomainError(_("Kies alleen bestaande, actieve organisaties als deelnemer."), field="members")
    if any(not 1 <= d <= 7 for d in data.weekdays):
        raise DomainError(_("Kies weekdagen van maandag tot en met zondag."), field="weekdays")
    if data.weekdays and data.start_time is None:
        raise DomainError(_("Vul de aanvangstijd in voor een terugkerend overleg."), field="start_time")
    if not 15 <= data.duration_minutes <= 480:
        raise DomainError(_("Een bijeenkomst duurt tussen 15 minuten en 8 uur."), field="duration_minutes")
    if data.convenant_id is None and len((data.privacy_basis or "").strip()) < MIN_REASON:
        raise DomainError(
            _(
                "Leg vast op welke grondslag de deelnemers gegevens delen: "
                "kies een convenant of beschrijf de grondslag."
            ),
            field="privacy_basis",
        )
    if data.convenant_id is not None:
        from keten.sharing.models import Convenant

        if not Convenant.objects.filter(pk=data.convenant_id, municipality_id=municipality_id).exists():
            raise DomainError(_("Kies een convenant van deze gemeente."), field="convenant")
    chair = None
    if data.chair_id is not None:
        chair = _case_professional(data.chair_id, "chair", _("Kies als voorzitter een professional met een casusrol."))
    del user
    return lead, members, chair


def overleg_type_create(*, actor: Actor, data: OverlegTypeData) -> OverlegType:
    """Set up a new overleg for the actor's municipality."""
    _require("overleg.manage_type", actor, None)
    lead, members, chair = _validate_type(actor, data)
    assert actor.membership is not None
    with transaction.atomic():
        overleg_type = OverlegType.objects.create(
            municipality_id=actor.membership.organisation.municipality_id,
            name=data.name.strip(),
            kind=data.kind,
            lead_organisation=lead,
            chair=chair,
            weekdays=sorted(set(data.weekdays)),
            start_time=data.start_time,
            duration_minutes=data.duration_minutes,
            location=data.location.strip(),
            online_link=data.online_link.strip(),
            convenant_id=data.convenant_id,
            privacy_basis=data.privacy_basis.strip(),
            is_active=data.is_active,
        )
        overleg_type.members.set(members)
        _audit(actor, AuditAction.CREATE, "type", overleg_type.pk, name=overleg_type.name)
    return overleg_type


def overleg_type_update(
    *, actor: Actor, overleg_type: OverlegType, data: OverlegTypeData, expected_version: int | None
) -> OverlegType:
    _require("overleg.manage_type", actor, overleg_type)
    lead, members, chair = _validate_type(actor, data)
    with transaction.atomic():
        locked = _lock(OverlegType, overleg_type.pk, expected_version)
        locked.name = data.name.strip()
        locked.kind = data.kind
        locked.lead_organisation = lead
        locked.chair = chair
        locked.weekdays = sorted(set(data.weekdays))
        locked.start_time = data.start_time
        locked.duration_minutes = data.duration_minutes
        locked.location = data.location.strip()
        locked.online_link = data.online_link.strip()
        locked.convenant_id = data.convenant_id
        locked.privacy_basis = data.privacy_basis.strip()
        locked.is_active = data.is_active
        locked.version += 1
        locked.save()
        locked.members.set(members)
        _audit(actor, AuditAction.UPDATE, "type", locked.pk, name=locked.name)
    return locked


def process_step_add(*, actor: Actor, overleg_type: OverlegType, name: str, criteria: str = "") -> ProcessStep:
    _require("overleg.manage_type", actor, overleg_type)
    name = _text(name, "name", _("Geef de processtap een naam."), minimum=2)
    with transaction.atomic():
        order = (ProcessStep.objects.filter(overleg_type=overleg_type).aggregate(m=Max("order"))["m"] or 0) + 1
        step = ProcessStep.objects.create(
            overleg_type=overleg_type, order=order, name=name, criteria=(criteria or "").strip()
        )
        _audit(actor, AuditAction.CREATE, "process_step", step.pk, overleg_type=overleg_type.pk)
    return step


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
    user = _require("overleg.register", actor, dossier)
    assert actor.membership is not None
    organisation = actor.membership.organisation
    if not overleg_type.is_active or overleg_type.municipality_id != organisation.municipality_id:
        raise NotFoundError
    if dossier.status != Dossier.Status.OPEN:
        raise DomainError(_("Dit dossier is gesloten. Open het dossier opnieuw om de casus aan te melden."))
    reason = _text(
        data.reason,
        "reason",
        _("Beschrijf in minstens %(n)d tekens waarom u de casus aanmeldt.") % {"n": MIN_REASON},
        MIN_REASON,
    )
    goal = _text(data.goal, "goal", _("Beschrijf wat het overleg moet opleveren (het doel)."))
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
        not_informed_reason = _text(
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
        _audit(
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
                link=_link("overleg:triage"),
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

    _user(actor)
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
    user = _require("overleg.triage", actor, registration)
    if meeting.overleg_type_id != registration.overleg_type_id:
        raise DomainError(_("Kies een bijeenkomst van dit overleg."), field="meeting")
    _meeting_open_for_agenda(meeting)
    regisseur = None
    if casusregisseur_id is not None:
        regisseur = _case_professional(
            casusregisseur_id, "casusregisseur", _("Kies als casusregisseur een professional met een casusrol.")
        )
    with transaction.atomic():
        locked = _lock(CaseRegistration, registration.pk, expected_version)
        if locked.status != RegistrationStatus.AANGEMELD:
            raise DomainError(_("Deze aanmelding is al beoordeeld."))
        locked.status = RegistrationStatus.TOEGELATEN
        locked.decided_by = user
        locked.decided_at = timezone.now()
        if regisseur is not None:
            locked.casusregisseur = regisseur
        locked.version += 1
        locked.save()
        item = _add_to_agenda(user, meeting, locked, AgendaSource.TRIAGE)
        _audit(actor, AuditAction.UPDATE, "registration.admit", locked.pk, registration, meeting=meeting.pk)
        notification_send(
            recipients=[locked.registered_by],
            kind="overleg.admitted",
            title=_("Aanmelding toegelaten tot %(name)s") % {"name": registration.overleg_type.name},
            body=_("De casus die u aanmeldde staat op de agenda van %(day)s.")
            % {"day": timezone.localtime(meeting.starts_at).strftime("%d-%m-%Y %H:%M")},
            link=_link("overleg:registration", locked.pk),
        )
    locked.admitted_item = item  # type: ignore[attr-defined]
    return locked


def registration_decline(
    *, actor: Actor, registration: CaseRegistration, reason: str, expected_version: int | None = None
) -> CaseRegistration:
    """The chair declines a case with a reason; the registering professional is told."""
    user = _require("overleg.triage", actor, registration)
    reason = _text(
        reason,
        "reason",
        _("Geef in minstens %(n)d tekens de reden van de afwijzing.") % {"n": MIN_REASON},
        MIN_REASON,
    )
    with transaction.atomic():
        locked = _lock(CaseRegistration, registration.pk, expected_version)
        if locked.status != RegistrationStatus.AANGEMELD:
            raise DomainError(_("Deze aanmelding is al beoordeeld."))
        locked.status = RegistrationStatus.AFGEWEZEN
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.decline_reason = reason
        locked.version += 1
        locked.save()
        _audit(actor, AuditAction.UPDATE, "registration.decline", locked.pk, registration)
        notification_send(
            recipients=[locked.registered_by],
            kind="overleg.declined",
            title=_("Aanmelding afgewezen voor %(name)s") % {"name": registration.overleg_type.name},
            body=_("De voorzitter heeft een casus die u aanmeldde niet toegelaten. Bekijk de reden in Keten."),
            link=_link("overleg:registration", locked.pk),
        )
    return locked


def registration_set_casusregisseur(
    *, actor: Actor, registration: CaseRegistration, user_id: int, expected_version: int | None = None
) -> CaseRegistration:
    """Name the casusregisseur of an admitted case (the chair, or an attendee of its meeting)."""
    _require("overleg.name_casusregisseur", actor, registration)
    if registration.status != RegistrationStatus.TOEGELATEN:
        raise DomainError(_("Alleen een toegelaten casus krijgt een casusregisseur."))
    regisseur = _case_professional(
        user_id, "casusregisseur", _("Kies als casusregisseur een professional met een casusrol.")
    )
    with transaction.atomic():
        locked = _lock(CaseRegistration, registration.pk, expected_version)
        locked.casusregisseur = regisseur
        locked.version += 1
        locked.save()
        _audit(actor, AuditAction.UPDATE, "registration.casusregisseur", locked.pk, registration, user=regisseur.pk)
        notification_send(
            recipients=[regisseur],
            kind="overleg.casusregisseur",
            title=_("U bent casusregisseur in %(name)s") % {"name": registration.overleg_type.name},
            body=_("U bent als casusregisseur aangewezen voor een casus in dit overleg."),
            link=_link("overleg:registration", locked.pk),
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
    user = _require("overleg.view_registration", actor, registration)
    if not allows("overleg.close_registration", user, registration):
        raise NotFoundError
    reason = _text(
        reason,
        "reason",
        _("Geef in minstens %(n)d tekens de reden waarom de casus het overleg verlaat.") % {"n": MIN_REASON},
        MIN_REASON,
    )
    follow_up = _text(follow_up, "follow_up", _("Leg vast wie contact houdt met het gezin."))
    follow_org = None
    if follow_up_organisation_id is not None:
        follow_org = Organisation.objects.filter(pk=follow_up_organisation_id, is_active=True).first()
        if follow_org is None:
            raise DomainError(_("Kies een actieve organisatie."), field="follow_up_organisation")
    with transaction.atomic():
        locked = _lock(CaseRegistration, registration.pk, expected_version)
        _check_transition(
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
            _remove_from_agenda(user, item, _("casus heeft het overleg verlaten"))
        _audit(actor, AuditAction.UPDATE, "registration.close", locked.pk, registration)
        recipients = [u for u in (locked.registered_by, locked.casusregisseur) if u is not None and u.pk != user.pk]
        if recipients:
            notification_send(
                recipients=recipients,
                kind="overleg.closed",
                title=_("Casus afgesloten in %(name)s") % {"name": registration.overleg_type.name},
                body=_("Een casus heeft het overleg verlaten. In Keten staat wie contact houdt met het gezin."),
                link=_link("overleg:registration", locked.pk),
            )
    return locked


# --- meetings ---------------------------------------------------------------------------------


def _aware(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=timezone.get_default_timezone())


def meeting_create(
    *,
    actor: Actor,
    overleg_type: OverlegType,
    starts_at: dt.datetime | None,
    duration_minutes: int | None = None,
    location: str | None = None,
    online_link: str | None = None,
) -> Meeting:
    """An extra meeting, planned by the chair (or the overleg's manager)."""
    _require("overleg.plan_meeting", actor, overleg_type)
    if starts_at is None:
        raise DomainError(_("Vul de datum en tijd van de bijeenkomst in."), field="starts_at")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at < timezone.now():
        raise DomainError(_("Deze datum ligt in het verleden. Kies een moment dat nog komt."), field="starts_at")
    minutes = duration_minutes or overleg_type.duration_minutes
    with transaction.atomic():
        try:
            with transaction.atomic():
                meeting = Meeting.objects.create(
                    overleg_type=overleg_type,
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(minutes=minutes),
                    location=(location if location is not None else overleg_type.location).strip(),
                    online_link=(online_link if online_link is not None else overleg_type.online_link).strip(),
                )
        except IntegrityError as exc:
            raise DomainError(_("Op dit moment is er al een bijeenkomst van dit overleg."), field="starts_at") from exc
        _copy_attendance(meeting)
        _audit(actor, AuditAction.CREATE, "meeting", meeting.pk, starts_at=starts_at.isoformat())
    return meeting


def _copy_attendance(meeting: Meeting) -> int:
    """A new meeting starts with the attendance list of the overleg's latest meeting that has one."""
    source = (
        Attendance.objects.filter(meeting__overleg_type_id=meeting.overleg_type_id)
        .exclude(meeting=meeting)
        .order_by("-meeting__starts_at")
        .values_list("meeting_id", flat=True)
        .first()
    )
    if source is None:
        return 0
    # Only who is still an invited participant (someone may have left, or their organisation no longer
    # takes part): being on the list opens the cases on the agenda.
    invited = Membership.objects.filter(invited_membership_q(meeting.overleg_type)).values("user_id")
    rows = [
        Attendance(meeting=meeting, user_id=uid, organisation_id=oid)
        for uid, oid in Attendance.objects.filter(meeting_id=source, user_id__in=invited).values_list(
            "user_id", "organisation_id"
        )
    ]
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def meetings_generate(
    *, overleg_type: OverlegType | None = None, weeks: int = WEEKS_AHEAD, now: dt.datetime | None = None
) -> int:
    """Keep the next ``weeks`` weeks of meetings planned from each overleg's recurrence (idempotent).

    A meeting that was cancelled is not made again: its row keeps its place. New meetings copy the
    attendance list of the latest meeting, and their agenda gets the open agreements of the cases.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    types = OverlegType.objects.filter(is_active=True).exclude(weekdays=[]).exclude(start_time=None)
    if overleg_type is not None:
        types = types.filter(pk=overleg_type.pk)
    made = 0
    for ot in types:
        assert ot.start_time is not None
        wanted = [
            _aware(day, ot.start_time)
            for day in (today + dt.timedelta(days=i) for i in range(weeks * 7 + 1))
            if day.isoweekday() in ot.weekdays
        ]
        wanted = [w for w in wanted if w > now]
        if not wanted:
            continue
        existing = set(
            Meeting.objects.filter(overleg_type=ot, starts_at__gte=wanted[0], starts_at__lte=wanted[-1]).values_list(
                "starts_at", flat=True
            )
        )
        created: list[Meeting] = []
        with transaction.atomic():
            for starts_at in wanted:
                if starts_at in existing:
                    continue
                try:
                    with transaction.atomic():
                        meeting = Meeting.objects.create(
                            overleg_type=ot,
                            starts_at=starts_at,
                            ends_at=starts_at + dt.timedelta(minutes=ot.duration_minutes),
                            location=ot.location,
                            online_link=ot.online_link,
                            generated=True,
                        )
                except IntegrityError:
                    continue  # made meanwhile by another run
                _copy_attendance(meeting)
                created.append(meeting)
            if created:
                _audit(None, AuditAction.CREATE, "meeting.generate", ot.pk, meetings=len(created))
            # The next meeting's agenda gets the cases whose agreements are still open.
            upcoming = next_planned_meeting(ot.pk, now)
            if upcoming is not None:
                agenda_build(actor=None, meeting=upcoming)
        made += len(created)
    return made


def meeting_cancel(*, actor: Actor, meeting: Meeting, reason: str, expected_version: int | None = None) -> Meeting:
    """Cancel a planned meeting; its cases move to the overleg's next planned meeting."""
    user = _require("overleg.manage_meeting", actor, meeting)
    reason = _text(reason, "reason", _("Geef de reden van de afgelasting."))
    with transaction.atomic():
        locked = _lock(Meeting, meeting.pk, expected_version)
        _check_transition(
            MEETING_TRANSITIONS,
            locked.status,
            MeetingStatus.CANCELLED,
            _("Alleen een geplande bijeenkomst kan worden afgelast."),
        )
        locked.status = MeetingStatus.CANCELLED
        locked.cancel_reason = reason[:300]
        locked.version += 1
        locked.save()
        items = list(
            AgendaItem.objects.filter(meeting=locked, state=AgendaState.ON_AGENDA)
            .select_related("registration")
            .order_by("order", "id")
        )
        target = next_planned_meeting(locked.overleg_type_id, locked.starts_at)
        moved = 0
        for item in items:
            _remove_from_agenda(user, item, _("bijeenkomst afgelast"))
            if (
                target is not None
                and not AgendaItem.objects.filter(
                    meeting=target, registration=item.registration, state=AgendaState.ON_AGENDA
                ).exists()
            ):
                _add_to_agenda(user, target, item.registration, item.source)
                moved += 1
        _audit(actor, AuditAction.UPDATE, "meeting.cancel", locked.pk, moved=moved)
        attendees = [a.user for a in Attendance.objects.filter(meeting=locked).select_related("user")]
        if attendees:
            notification_send(
                recipients=attendees,
                kind="overleg.meeting_cancelled",
                title=_("Bijeenkomst van %(name)s afgelast") % {"name": locked.overleg_type.name},
                body=_("De bijeenkomst van %(day)s gaat niet door.")
                % {"day": timezone.localtime(locked.starts_at).strftime("%d-%m-%Y %H:%M")},
                link=_link("overleg:meeting", locked.pk),
            )
    return locked


def meeting_hold(*, actor: Actor, meeting: Meeting, expected_version: int | None = None) -> Meeting:
    """Close a meeting as held: its cases count as discussed and their open agreements go onto the next agenda."""
    _require("overleg.manage_meeting", actor, meeting)
    now = timezone.now()
    if meeting.starts_at > now:
        raise DomainError(_("Een bijeenkomst die nog moet beginnen kan niet als gehouden worden afgesloten."))
    with transaction.atomic():
        locked = _lock(Meeting, meeting.pk, expected_version)
        _check_transition(
            MEETING_TRANSITIONS,
            locked.status,
            MeetingStatus.HELD,
            _("Alleen een geplande bijeenkomst kan als gehouden worden afgesloten."),
        )
        locked.status = MeetingStatus.HELD
        locked.held_at = now
        locked.version += 1
        locked.save()
        CaseRegistration.objects.filter(
            agenda_items__meeting=locked,
            agenda_items__state=AgendaState.ON_AGENDA,
            first_discussed_at__isnull=True,
        ).update(first_discussed_at=locked.starts_at)
        _audit(actor, AuditAction.UPDATE, "meeting.hold", locked.pk)
        carried = 0
        target = next_planned_meeting(locked.overleg_type_id, locked.starts_at)
        if target is not None:
            carried = agenda_build(actor=actor, meeting=target)
    locked.carried = carried  # type: ignore[attr-defined]
    return locked


def agenda_build(*, actor: Actor | None, meeting: Meeting) -> int:
    """Put every admitted case of the overleg that still has open agreements on this meeting's agenda.

    Only cases that were discussed at an earlier meeting of the overleg come back this way (new
    cases arrive through triage), and not when they are already on this or a later planned agenda.
    Idempotent. Returns how many were added.
    """
    if meeting.status != MeetingStatus.PLANNED:
        return 0
    if actor is not None:
        _require("overleg.manage_meeting", actor, meeting)
    scheduled = AgendaItem.objects.filter(
        meeting__overleg_type_id=meeting.overleg_type_id,
        meeting__status=MeetingStatus.PLANNED,
        meeting__starts_at__gte=min(meeting.starts_at, timezone.now()),
        state=AgendaState.ON_AGENDA,
    ).values("registration_id")
    earlier = AgendaItem.objects.filter(meeting__starts_at__lt=meeting.starts_at, state=AgendaState.ON_AGENDA).values(
        "registration_id"
    )
    candidates = list(
        CaseRegistration.objects.filter(
            overleg_type_id=meeting.overleg_type_id,
            status=RegistrationStatus.TOEGELATEN,
            agreements__status=AgreementStatus.OPEN,
            pk__in=earlier,
        )
        .exclude(pk__in=scheduled)
        .select_related("dossier__family")
        .distinct()
        .order_by("pk")
    )
    if not candidates:
        return 0
    user = actor.user if actor is not None else None
    with transaction.atomic():
        for registration in candidates:
            _add_to_agenda(user, meeting, registration, AgendaSource.FOLLOW_UP)
        audit.record_many(
            actor=actor,
            entries=[
                audit.Entry(
                    action=AuditAction.UPDATE,
                    object_type="overleg.agenda.follow_up",
                    object_id=r.pk,
                    client_pseudonym=r.dossier.family.pseudonym,
                    details={"meeting": meeting.pk},
                )
                for r in candidates
            ],
            user_label="" if actor is not None else "systeem: overleg",
        )
    return len(candidates)


def agenda_item_add(*, actor: Actor, meeting: Meeting, registration: CaseRegistration) -> AgendaItem:
    """The chair schedules an admitted case on a planned meeting of its overleg."""
    user = _require("overleg.manage_meeting", actor, meeting)
    if registration.overleg_type_id != meeting.overleg_type_id:
        raise NotFoundError
    _meeting_open_for_agenda(meeting)
    if registration.status != RegistrationStatus.TOEGELATEN:
        raise DomainError(_("Alleen een toegelaten casus kan op de agenda."), field="registration")
    with transaction.atomic():
        item = _add_to_agenda(user, meeting, registration, AgendaSource.MANUAL)
        _audit(actor, AuditAction.UPDATE, "agenda.add", item.pk, registration, meeting=meeting.pk)
    return item


def agenda_item_remove(*, actor: Actor, item: AgendaItem, reason: str) -> AgendaItem:
    """Take a case off a meeting's agenda (the item and its history stay)."""
    user = _require("overleg.manage_meeting", actor, item.meeting)
    reason = _text(reason, "reason", _("Geef de reden waarom de casus van de agenda gaat."))
    if item.state != AgendaState.ON_AGENDA:
        raise DomainError(_("Deze casus staat niet meer op de agenda."))
    if item.meeting.status != MeetingStatus.PLANNED:
        raise DomainError(_("De agenda van een gehouden of afgelaste bijeenkomst verandert niet meer."))
    with transaction.atomic():
        _remove_from_agenda(user, item, reason)
        _audit(actor, AuditAction.UPDATE, "agenda.remove", item.pk, item.registration, meeting=item.meeting_id)
    return item


def agenda_item_move(*, actor: Actor, item: AgendaItem, order: int) -> AgendaItem:
    """Change the position of a case on the agenda."""
    user = _require("overleg.manage_meeting", actor, item.meeting)
    if item.state != AgendaState.ON_AGENDA or item.meeting.status != MeetingStatus.PLANNED:
        raise DomainError(_("De volgorde kan alleen op de agenda van een geplande bijeenkomst veranderen."))
    if order < 1:
        raise DomainError(_("Kies een positie van 1 of hoger."), field="order")
    with transaction.atomic():
        before = item.order
        AgendaItem.objects.filter(pk=item.pk).update(order=order)
        item.order = order
        AgendaEvent.objects.create(
            item=item, kind=AgendaEvent.Kind.MOVED, actor=user, details={"from": before, "to": order}
        )
        _audit(actor, AuditAction.UPDATE, "agenda.move", item.pk, item.registration)
    return item


# --- attendance and discussion ----------------------------------------------------------------


def attendance_set(
    *,
    actor: Actor,
    meeting: Meeting,
    user_id: int,
    present: bool | None,
    organisation_id: int | None = None,
) -> Attendance:
    """Put someone on the attendance list (present None) or record presence/absence at the meeting."""
    _require("overleg.manage_meeting", actor, meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("Deze bijeenkomst is afgelast."))
    # Only an invited participant (the candidates of the deelnemerslijst) goes on the list: being on it
    # opens every case on the agenda. Someone already on the list who is no longer one can still be
    # recorded absent (that takes access away).
    membership = (
        Membership.objects.filter(invited_membership_q(meeting.overleg_type), user_id=user_id)
        .filter(Q(organisation_id=organisation_id) if organisation_id else Q())
        .select_related("user")
        .order_by("id")
        .first()
    )
    listed = None if membership is not None else Attendance.objects.filter(meeting=meeting, user_id=user_id).first()
    if membership is None and not (present is False and listed is not None):
        raise DomainError(_("Kies iemand van een organisatie die aan dit overleg deelneemt."), field="user")
    if present is not None and meeting.starts_at > timezone.now() + dt.timedelta(hours=1):
        raise DomainError(_("Aanwezigheid legt u vast tijdens of na de bijeenkomst."), field="present")
    with transaction.atomic():
        if membership is None:
            assert listed is not None
            row, created = Attendance.objects.select_for_update().get(pk=listed.pk), False
        else:
            row, created = Attendance.objects.select_for_update().get_or_create(
                meeting=meeting, user=membership.user, defaults={"organisation_id": membership.organisation_id}
            )
            row.organisation_id = membership.organisation_id
        row.present = present
        if present is not None:
            row.recorded_by = actor.user
            row.recorded_at = timezone.now()
        row.save()
        _audit(
            actor,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            "attendance",
            row.pk,
            meeting=meeting.pk,
            user=row.user_id,
            present=present,
        )
    return row


@dataclass
class DiscussionData:
    summary: str = ""
    mensen: str = ""
    feiten: str = ""
    weging: str = ""
    volgende_stappen: str = ""
    decisions: str = ""
    corrects_id: int | None = None


def discussion_record(*, actor: Actor, item: AgendaItem, data: DiscussionData) -> DiscussionEntry:
    """Append the record of a case's discussion (optionally by the four windows); a correction is a new entry."""
    user = _require("overleg.record_discussion", actor, item)
    assert actor.membership is not None
    if item.state != AgendaState.ON_AGENDA:
        raise DomainError(_("Deze casus staat niet (meer) op de agenda van deze bijeenkomst."))
    if item.meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("Deze bijeenkomst is afgelast."))
    if item.meeting.starts_at > timezone.now() + dt.timedelta(hours=1):
        raise DomainError(_("Leg het verslag vast tijdens of na de bijeenkomst."))
    values = {
        k: (getattr(data, k) or "").strip()
        for k in ("summary", "mensen", "feiten", "weging", "volgende_stappen", "decisions")
    }
    if not any(values.values()):
        raise DomainError(_("Vul minstens één onderdeel van het verslag in."), field="summary")
    corrects = None
    if data.corrects_id is not None:
        corrects = DiscussionEntry.objects.filter(pk=data.corrects_id, agenda_item=item).first()
        if corrects is None:
            raise DomainError(_("Het verslag dat u corrigeert hoort niet bij dit agendapunt."), field="corrects")
    with transaction.atomic():
        entry = DiscussionEntry(
            agenda_item=item,
            author=user,
            organisation_id=actor.membership.organisation_id,
            corrects=corrects,
            **{k: v or None for k, v in values.items()},
        )
        entry.save()
        CaseRegistration.objects.filter(pk=item.registration_id, first_discussed_at__isnull=True).update(
            first_discussed_at=item.meeting.starts_at
        )
        _audit(
            actor,
            AuditAction.CREATE,
            "discussion",
            entry.pk,
            item.registration,
            meeting=item.meeting_id,
            viervenster=any(values[k] for k in ("mensen", "feiten", "weging", "volgende_stappen")),
        )
    return entry


# --- agreements -------------------------------------------------------------------------------


def _owner(
    owner_user_id: int | None, owner_organisation_id: int | None, municipality_id: int
) -> tuple[User | None, Organisation | None]:
    if owner_user_id is None and owner_organisation_id is None:
        raise DomainError(_("Kies wie de afspraak uitvoert: een persoon of een organisatie."), field="owner")
    owner_user = None
    owner_org = None
    if owner_user_id is not None:
        # Only someone who may see case content can follow an agreement up.
        owner_user = _case_professional(
            owner_user_id, "owner", _("Kies als eigenaar een actieve professional met een casusrol.")
        )
    if owner_organisation_id is not None:
        owner_org = Organisation.objects.filter(
            pk=owner_organisation_id, is_active=True, municipality_id=municipality_id
        ).first()
        if owner_org is None:
            raise DomainError(_("Kies als eigenaar een actieve organisatie uit deze gemeente."), field="owner")
    return owner_user, owner_org


def _due(due_on: dt.date | None) -> dt.date:
    if due_on is None:
        raise DomainError(_("Vul de datum in waarop de afspraak uitgevoerd moet zijn."), field="due_on")
    if due_on < timezone.localdate():
        raise DomainError(
            _("Deze datum ligt in het verleden. Kies vandaag of een latere datum."),
            field="due_on",
        )
    return due_on


def _snapshot(agreement: Agreement) -> dict[str, Any]:
    return {
        "owner_user": agreement.owner_user_id,
        "owner_organisation": agreement.owner_organisation_id,
        "what": agreement.what,
        "due_on": agreement.due_on.isoformat() if agreement.due_on else None,
        "status": agreement.status,
        "result": agreement.result or "",
    }


def _version_row(agreement: Agreement, kind: str, user: User, fields: Iterable[str]) -> AgreementVersion:
    row = AgreementVersion(
        agreement=agreement,
        version=agreement.version,
        kind=kind,
        changed_by=user,
        fields=sorted(fields),
        values=_snapshot(agreement),
    )
    row.save()
    return row


def _notify_owner(agreement: Agreement, registration: CaseRegistration, actor_user: User, title: str) -> None:
    if agreement.owner_user is not None and agreement.owner_user.pk != actor_user.pk:
        notification_send(
            recipients=[agreement.owner_user],
            kind="overleg.agreement",
            title=title % {"name": registration.overleg_type.name},
            body=_("Uiterlijk %(day)s. De inhoud staat in Keten.") % {"day": agreement.due_on.strftime("%d-%m-%Y")},
            link=_link("overleg:my_agreements"),
        )


def agreement_create(
    *,
    actor: Actor,
    item: AgendaItem,
    what: str,
    due_on: dt.date | None,
    owner_user_id: int | None = None,
    owner_organisation_id: int | None = None,
) -> Agreement:
    """Record an agreement made at a meeting: who (person or organisation) does what by when."""
    user = _require("overleg.record_discussion", actor, item)
    registration = item.registration
    if item.state != AgendaState.ON_AGENDA or item.meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("Deze casus staat niet (meer) op de agenda van deze bijeenkomst."))
    if registration.status != RegistrationStatus.TOEGELATEN:
        raise DomainError(_("Afspraken worden alleen gemaakt voor een toegelaten casus die nog loopt."))
    what = _text(what, "what", _("Beschrijf wat er is afgesproken."))
    owner_user, owner_org = _owner(owner_user_id, owner_organisation_id, registration.overleg_type.municipality_id)
    due = _due(due_on)
    with transaction.atomic():
        agreement = Agreement.objects.create(
            registration=registration,
            agenda_item=item,
            owner_user=owner_user,
            owner_organisation=owner_org,
            what=what,
            due_on=due,
            created_by=user,
        )
        _version_row(agreement, AgreementVersion.Kind.CREATED, user, ["owner", "what", "due_on"])
        _audit(actor, AuditAction.CREATE, "agreement", agreement.pk, registration, meeting=item.meeting_id)
        _notify_owner(agreement, registration, user, _("Nieuwe afspraak voor u uit %(name)s"))
    return agreement


_UNSET: Any = object()


def agreement_update(
    *,
    actor: Actor,
    agreement: Agreement,
    expected_version: int | None,
    what: str | None = None,
    due_on: dt.date | None = _UNSET,
    owner_user_id: int | None = _UNSET,
    owner_organisation_id: int | None = _UNSET,
) -> Agreement:
    """Change an open agreement. ``expected_version`` is the version the editor loaded (conflict check)."""
    user = _require("overleg.change_agreement", actor, agreement)
    if expected_version is None:
        raise DomainError(_("De versie van de afspraak ontbreekt. Laad de pagina opnieuw."), field="version")
    registration = agreement.registration
    with transaction.atomic():
        locked = _lock(Agreement, agreement.pk, expected_version)
        if locked.status != AgreementStatus.OPEN:
            raise DomainError(_("Deze afspraak is al afgerond en verandert niet meer."))
        changed: list[str] = []
        if what is not None:
            new_what = _text(what, "what", _("Beschrijf wat er is afgesproken."))
            if new_what != locked.what:
                locked.what = new_what
                changed.append("what")
        if due_on is not _UNSET:
            new_due = _due(due_on)
            if new_due != locked.due_on:
                locked.due_on = new_due
                locked.reminded_at = None
                locked.overdue_notified_at = None
                changed.append("due_on")
        if owner_user_id is not _UNSET or owner_organisation_id is not _UNSET:
            new_user_id = locked.owner_user_id if owner_user_id is _UNSET else owner_user_id
            new_org_id = locked.owner_organisation_id if owner_organisation_id is _UNSET else owner_organisation_id
            owner_user, owner_org = _owner(new_user_id, new_org_id, registration.overleg_type.municipality_id)
            if (new_user_id, new_org_id) != (locked.owner_user_id, locked.owner_organisation_id):
                locked.owner_user = owner_user
                locked.owner_organisation = owner_org
                changed.append("owner")
        if not changed:
            return locked
        locked.version += 1
        locked.save()
        _version_row(locked, AgreementVersion.Kind.UPDATED, user, changed)
        _audit(actor, AuditAction.UPDATE, "agreement", locked.pk, registration, fields=changed)
        if "owner" in changed:
            _notify_owner(locked, registration, user, _("Nieuwe afspraak voor u uit %(name)s"))
    return locked


def agreement_close(
    *,
    actor: Actor,
    agreement: Agreement,
    expected_version: int | None,
    result: str,
    status: str = AgreementStatus.DONE,
) -> Agreement:
    """Close an open agreement as done (with its result) or cancelled (with the reason)."""
    user = _require("overleg.change_agreement", actor, agreement)
    if expected_version is None:
        raise DomainError(_("De versie van de afspraak ontbreekt. Laad de pagina opnieuw."), field="version")
    if status not in (AgreementStatus.DONE, AgreementStatus.CANCELLED):
        raise DomainError(_("Kies of de afspraak is uitgevoerd of is vervallen."), field="status")
    message = (
        _("Beschrijf het resultaat van de afspraak.")
        if status == AgreementStatus.DONE
        else _("Beschrijf waarom de afspraak is vervallen.")
    )
    result = _text(result, "result", message)
    with transaction.atomic():
        locked = _lock(Agreement, agreement.pk, expected_version)
        _check_transition(
            AGREEMENT_TRANSITIONS, locked.status, status, _("Deze afspraak is al afgerond en verandert niet meer.")
        )
        locked.status = status
        locked.result = result
        locked.closed_at = timezone.now()
        locked.version += 1
        locked.save()
        kind = AgreementVersion.Kind.DONE if status == AgreementStatus.DONE else AgreementVersion.Kind.CANCELLED
        _version_row(locked, kind, user, ["status", "result"])
        _audit(actor, AuditAction.UPDATE, f"agreement.{status}", locked.pk, agreement.registration)
    return locked


# --- calendar subscription --------------------------------------------------------------------

#: A feed fetch records its use again only when the last recorded use is older than this, so a
#: calendar app that polls every few minutes does not write on every poll.
FEED_USE_INTERVAL = dt.timedelta(hours=1)


def _feed_owner(actor: Actor) -> User:
    """The user of a calendar subscription: someone signed in with an active membership."""
    if actor.user is None or actor.membership is None:
        raise NotFoundError
    return actor.user


def calendar_feed_create(*, actor: Actor) -> str:
    """Make a new calendar subscription for the actor and return its secret token.

    Only the token's hash is stored, so the caller must show the token now: it cannot be shown
    again. The actor's previous subscription, if any, is revoked in the same transaction.
    """
    user = _feed_owner(actor)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        # Lock the user row so two requests at once cannot both leave an active feed behind.
        User.objects.select_for_update().filter(pk=user.pk).first()
        revoked = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        feed = CalendarFeed.objects.create(user=user, token_hash=CalendarFeed.hash_token(token))
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="overleg.calendar_feed",
            object_id=feed.pk,
            details={"replaced": revoked},
        )
    return token


def calendar_feed_revoke(*, actor: Actor) -> bool:
    """Revoke the actor's active calendar subscription; False when there was none."""
    user = _feed_owner(actor)
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
        if feed is None:
            return False
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action=AuditAction.DELETE, object_type="overleg.calendar_feed", object_id=feed.pk)
    return True


def calendar_feed_used(*, actor: Actor, feed: CalendarFeed) -> None:
    """Note that an agenda app fetched the feed: at most one write an hour, audited only the first time.

    A fetch holds no client data, and agenda apps poll every few minutes, so later fetches are not
    audited; ``last_used_at`` shows that the link is in use.
    """
    now = timezone.now()
    if feed.last_used_at is not None and now - feed.last_used_at < FEED_USE_INTERVAL:
        return
    with transaction.atomic():
        if feed.last_used_at is None:
            # Conditional update: of two first fetches at once, only one records the first use.
            first = CalendarFeed.objects.filter(pk=feed.pk, last_used_at__isnull=True).update(last_used_at=now)
            if first:
                audit.record(
                    actor=actor,
                    action=AuditAction.VIEW,
                    object_type="overleg.calendar_feed",
                    object_id=feed.pk,
                    details={"first_use": True},
                )
        else:
            CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    feed.last_used_at = now
