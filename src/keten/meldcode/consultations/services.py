"""Writes of step 2: asking a colleague or the aandachtsfunctionaris for advice, their answer, and the
advice of Veilig Thuis or an expert. Each appends an entry and records an audit event in one transaction;
the one asked and the one who asked are notified."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, Role
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.meldcode.models import Consultation, Entry, EntryKind, Status, Step, Traject
from keten.meldcode.record.services import (
    MIN_MOTIVATION,
    append,
    audit_step,
    bump,
    check_date,
    check_motivation,
    require_change,
    traject_link,
    user_of,
)
from keten.meldcode.vocabulary import VT_ADVICE_OUTCOMES
from keten.notifications.services import notification_send


def consultation_request(
    *, actor: Actor, traject: Traject, to_user_id: int, kind: str, question: str, anonymous: bool = True
) -> Consultation:
    """Ask the organisation's aandachtsfunctionaris or a colleague for advice; they get a notification."""
    user = require_change(actor, traject)
    assert actor.membership is not None
    if kind not in Consultation.Kind.values:
        raise DomainError(_("Kies wie u om advies vraagt."), field="kind")
    wanted_roles = (
        [Role.AANDACHTSFUNCTIONARIS]
        if kind == Consultation.Kind.AANDACHTSFUNCTIONARIS
        else [Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS, Role.TEAMLEIDER]
    )
    target = (
        Membership.objects.filter(
            user_id=to_user_id,
            organisation_id=actor.membership.organisation_id,
            role__in=wanted_roles,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .first()
    )
    if target is None or target.user_id == user.pk:
        if kind == Consultation.Kind.AANDACHTSFUNCTIONARIS:
            raise DomainError(
                _("Deze persoon is geen aandachtsfunctionaris van uw organisatie. Kies een aandachtsfunctionaris."),
                field="to_user",
            )
        raise DomainError(_("Kies een collega van uw eigen organisatie."), field="to_user")
    question = question.strip()
    if len(question) < MIN_MOTIVATION:
        raise DomainError(_("Beschrijf uw vraag in minstens %(n)d tekens.") % {"n": MIN_MOTIVATION}, field="question")
    with transaction.atomic():
        entry = append(
            actor,
            traject,
            EntryKind.CONSULTATIEVRAAG,
            occurred_on=timezone.localdate(),
            data={
                "to_user": target.user_id,
                "to_name": target.user.get_full_name(),
                "kind": kind,
                "anonymous": anonymous,
            },
            text=question,
        )
        consultation = Consultation.objects.create(
            traject=traject,
            kind=kind,
            requested_by=user,
            requested_to=target.user,
            anonymous=anonymous,
            question=question,
            request_entry=entry,
        )
        bump(traject, None, current_step=max(traject.current_step, Step.CONSULTEREN))
        audit_step(actor, traject, AuditAction.SHARE, "consultatievraag", to_user=target.user_id, anonymous=anonymous)
        notification_send(
            recipients=[target.user],
            kind="meldcode.consultation",
            title=_("Nieuwe consultatievraag"),
            body=_("Een collega vraagt uw advies in een meldcode-traject."),
            link=reverse("meldcode:consultation", args=[consultation.pk]),
        )
    return consultation


def consultation_answer(*, actor: Actor, consultation: Consultation, advice: str) -> Entry:
    """The addressee records their advice; it joins the traject's timeline and the requester is notified."""
    user_of(actor)
    if not allows("meldcode.answer_consultation", actor, consultation):
        raise NotFoundError
    traject = consultation.traject
    if consultation.state != Consultation.State.OPEN:
        raise DomainError(_("Deze consultatievraag is al beantwoord of ingetrokken."))
    if traject.status == Status.AFGESLOTEN:
        raise DomainError(_("Het traject is intussen afgesloten; een advies kan niet meer worden toegevoegd."))
    advice = advice.strip()
    if len(advice) < MIN_MOTIVATION:
        raise DomainError(_("Schrijf uw advies in minstens %(n)d tekens.") % {"n": MIN_MOTIVATION}, field="advice")
    with transaction.atomic():
        updated = Consultation.objects.filter(pk=consultation.pk, state=Consultation.State.OPEN).update(
            state=Consultation.State.BEANTWOORD, answered_at=timezone.now()
        )
        if updated != 1:
            raise ConflictError
        entry = append(
            actor,
            traject,
            EntryKind.CONSULTATIEADVIES,
            occurred_on=timezone.localdate(),
            data={"consultation": consultation.pk, "kind": consultation.kind},
            text=advice,
        )
        Consultation.objects.filter(pk=consultation.pk).update(answer_entry=entry)
        consultation.refresh_from_db()
        bump(traject, None)
        audit_step(actor, traject, AuditAction.CREATE, "consultatieadvies", consultation=consultation.pk)
        notification_send(
            recipients=[consultation.requested_by],
            kind="meldcode.advice",
            title=_("Advies ontvangen"),
            body=_("Uw consultatievraag in een meldcode-traject is beantwoord."),
            link=traject_link(traject),
        )
    return entry


def vt_advice_record(
    *, actor: Actor, traject: Traject, asked_on: date | None, anonymous: bool, outcome: str, advice: str
) -> Entry:
    """An (anonymous) advice request to Veilig Thuis and what Veilig Thuis advised."""
    require_change(actor, traject)
    asked = check_date(asked_on, "asked_on")
    if outcome not in VT_ADVICE_OUTCOMES:
        raise DomainError(_("Kies wat Veilig Thuis adviseerde."), field="outcome")
    advice = check_motivation(
        advice, "advice", message=_("Beschrijf het advies van Veilig Thuis (minstens 10 tekens).")
    )
    with transaction.atomic():
        entry = append(
            actor,
            traject,
            EntryKind.ADVIES_VEILIG_THUIS,
            occurred_on=asked,
            data={"anonymous": anonymous, "outcome": outcome},
            text=advice,
        )
        bump(traject, None, current_step=max(traject.current_step, Step.CONSULTEREN))
        audit_step(actor, traject, AuditAction.CREATE, "advies_veilig_thuis", anonymous=anonymous)
    return entry


def expert_consult_record(
    *, actor: Actor, traject: Traject, consulted_on: date | None, expertise: str, expert: str, advice: str
) -> Entry:
    """A consultation of an expert, e.g. letselduiding by a forensic physician."""
    require_change(actor, traject)
    consulted = check_date(consulted_on, "consulted_on")
    if not expertise.strip():
        raise DomainError(
            _("Vul in welke deskundigheid is geraadpleegd, bijvoorbeeld letselduiding."), field="expertise"
        )
    if not expert.strip():
        raise DomainError(_("Vul in wie is geraadpleegd."), field="expert")
    advice = check_motivation(advice, "advice", message=_("Beschrijf het advies (minstens 10 tekens)."))
    with transaction.atomic():
        entry = append(
            actor,
            traject,
            EntryKind.DESKUNDIGE,
            occurred_on=consulted,
            data={"expertise": expertise.strip(), "expert": expert.strip()},
            text=advice,
        )
        bump(traject, None)
        audit_step(actor, traject, AuditAction.CREATE, "deskundige")
    return entry
