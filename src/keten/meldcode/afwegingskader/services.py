"""Writes of steps 4 and 5: the afwegingen, the decision, the melding to Veilig Thuis and its feedback.

An afweging is answered in the order of the tree (:mod:`keten.meldcode.afwegingskader.tree`); the
decision is checked against the outcome of the answers, and a melding needs the decision to report.
Each write appends an entry and records an audit event in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.core.models import AuditAction
from keten.core.workdays import add_working_days
from keten.meldcode import states
from keten.meldcode.afwegingskader import tree
from keten.meldcode.afwegingskader.selectors import afweging_answers
from keten.meldcode.afwegingskader.tree import Decision
from keten.meldcode.models import Entry, EntryKind, Status, Step, Traject
from keten.meldcode.record.selectors import timeline
from keten.meldcode.record.services import (
    MIN_MOTIVATION,
    append,
    audit_step,
    bump,
    check_date,
    check_motivation,
    require_change,
)
from keten.meldcode.vocabulary import VT_FEEDBACK_OUTCOMES


def afweging_record(
    *,
    actor: Actor,
    traject: Traject,
    number: int,
    answer: bool,
    motivation: str,
    with_veilig_thuis: bool = False,
    expected_version: int | None = None,
) -> Entry:
    """Answer one afweging. Only the afweging the tree asks next (or a re-answer of one on the path)."""
    require_change(actor, traject)
    if number not in tree.AFWEGINGEN:
        raise DomainError(_("Onbekende afweging."), field="number")
    motivation = check_motivation(
        motivation, message=_("Motiveer uw antwoord op deze afweging (minstens %(n)d tekens).") % {"n": MIN_MOTIVATION}
    )
    with transaction.atomic():
        entries = timeline(traject)
        answers = afweging_answers(entries)
        current = tree.evaluate(answers)
        if number not in current.path and number != current.next_question:
            expected = current.next_question
            if expected is None:
                raise DomainError(
                    _("Het afwegingskader is voor dit traject doorlopen; afweging %(n)d is niet aan de orde.")
                    % {"n": number},
                    field="number",
                )
            raise DomainError(
                _("Beantwoord eerst afweging %(expected)d; het afwegingskader slaat geen afweging over.")
                % {"expected": expected},
                field="number",
            )
        if number == 5 and traject.status not in (Status.HULP, Status.GEMELD_EN_HULP):
            raise DomainError(
                _("Afweging 5 beantwoordt u bij de evaluatie van de hulp, nadat u heeft besloten hulp te bieden."),
                field="number",
            )
        # Changing an earlier answer drops the later answers from the tree: they are shown as replaced.
        new_answers = {k: v for k, v in answers.items() if k < number}
        new_answers[number] = answer
        result = tree.evaluate(new_answers)
        entry = append(
            actor,
            traject,
            EntryKind.AFWEGING,
            occurred_on=timezone.localdate(),
            data={
                "number": number,
                "answer": answer,
                "with_veilig_thuis": with_veilig_thuis,
                "outcome": str(result.outcome),
                "meldnorm": str(result.meldnorm) if result.meldnorm else "",
                "supersedes": sorted(k for k in answers if k >= number),
            },
            text=motivation,
        )
        bump(traject, expected_version, current_step=max(traject.current_step, traject.afwegingen_step))
        audit_step(actor, traject, AuditAction.CREATE, "afweging", number=number, outcome=str(result.outcome))
    return entry


@dataclass
class DecisionData:
    decision: str
    motivation: str
    help_agreements: str = ""
    help_evaluation_on: date | None = None


def decision_record(
    *, actor: Actor, traject: Traject, data: DecisionData, expected_version: int | None = None
) -> Entry:
    """Record the decision (close / help / melding / melding and help), checked against the afwegingen."""
    require_change(actor, traject)
    try:
        decision = Decision(data.decision)
    except ValueError:
        raise DomainError(_("Kies een besluit."), field="decision") from None
    motivation = check_motivation(
        data.motivation, message=_("Motiveer het besluit (minstens %(n)d tekens).") % {"n": MIN_MOTIVATION}
    )
    with transaction.atomic():
        locked = Traject.objects.select_for_update().get(pk=traject.pk)
        entries = timeline(locked)
        ev = tree.evaluate(afweging_answers(entries))
        allowed = tree.allowed_decisions(ev)
        if ev.outcome is tree.Outcome.ONVOLLEDIG and decision not in allowed:
            raise DomainError(
                _(
                    "Beantwoord eerst de afwegingen tot het afwegingskader een uitkomst geeft "
                    "(volgende: afweging %(n)d)."
                )
                % {"n": ev.next_question or 1},
                field="decision",
            )
        if decision not in allowed:
            if ev.requires_melding:
                raise DomainError(
                    _("Volgens de afwegingen geldt een meldnorm: kies ‘melden’ of ‘melden en hulp’."), field="decision"
                )
            raise DomainError(_("Dit besluit past niet bij de antwoorden op de afwegingen."), field="decision")
        changes: dict[str, Any] = {
            "outcome": decision.value,
            "decided_at": timezone.now(),
            "current_step": Step.BESLISSEN,
        }
        if decision in (Decision.HULP, Decision.MELDEN_EN_HULP):
            if not data.help_agreements.strip():
                raise DomainError(_("Leg de afspraken over de hulp vast: wie doet wat."), field="help_agreements")
            if data.help_evaluation_on is None or data.help_evaluation_on <= timezone.localdate():
                raise DomainError(_("Kies een evaluatiedatum na vandaag."), field="help_evaluation_on")
            changes["help_evaluation_on"] = data.help_evaluation_on
        new_status = {
            Decision.AFSLUITEN: Status.AFGESLOTEN,
            Decision.HULP: Status.HULP,
            # A melding is recorded next; until then the traject waits in its current status.
            Decision.MELDEN: locked.status,
            Decision.MELDEN_EN_HULP: Status.HULP if locked.status == Status.OPEN else locked.status,
        }[decision]
        if new_status != locked.status:
            states.check_transition(locked.status, new_status)
            changes["status"] = new_status
            if new_status == Status.AFGESLOTEN:
                changes["closed_at"] = timezone.now()
        entry = append(
            actor,
            locked,
            EntryKind.BESLUIT,
            occurred_on=timezone.localdate(),
            data={
                "decision": decision.value,
                "outcome": str(ev.outcome),
                "meldnorm": str(ev.meldnorm) if ev.meldnorm else "",
                "help_agreements": data.help_agreements.strip(),
                "help_evaluation_on": data.help_evaluation_on.isoformat() if data.help_evaluation_on else "",
            },
            text=motivation,
        )
        bump(locked, expected_version, **changes)
        audit_step(actor, locked, AuditAction.CREATE, "besluit", decision=decision.value, outcome=str(ev.outcome))
    traject.refresh_from_db()
    return entry


@dataclass
class MeldingData:
    reported_on: date | None
    vt_region: str
    shared: str
    client_informed: bool
    not_informed_reason: str = ""
    anonymous_melder: bool = False


def melding_record(*, actor: Actor, traject: Traject, data: MeldingData) -> Entry:
    """Record the melding to Veilig Thuis; feedback is due 5 Dutch working days later."""
    require_change(actor, traject)
    reported = check_date(data.reported_on, "reported_on")
    if reported < traject.started_at.date():
        raise DomainError(_("De melding kan niet vóór de start van het traject liggen."), field="reported_on")
    if not data.vt_region.strip():
        raise DomainError(_("Vul de Veilig Thuis-regio in waar u heeft gemeld."), field="vt_region")
    if len(data.shared.strip()) < MIN_MOTIVATION:
        raise DomainError(_("Beschrijf welke informatie u met Veilig Thuis heeft gedeeld."), field="shared")
    if not data.client_informed:
        check_motivation(
            data.not_informed_reason,
            "not_informed_reason",
            message=_("Leg uit waarom de betrokkenen vooraf niet zijn ingelicht (minstens %(n)d tekens).")
            % {"n": MIN_MOTIVATION},
        )
    with transaction.atomic():
        locked = Traject.objects.select_for_update().get(pk=traject.pk)
        decisions = [
            e for e in timeline(locked) if e.kind == EntryKind.BESLUIT and not getattr(e, "is_corrected", False)
        ]
        latest = decisions[-1].data["decision"] if decisions else ""
        if latest not in (Decision.MELDEN, Decision.MELDEN_EN_HULP):
            raise DomainError(
                _("Leg eerst het besluit ‘melden’ of ‘melden en hulp’ vast; daarna registreert u de melding.")
            )
        new_status = Status.GEMELD_EN_HULP if latest == Decision.MELDEN_EN_HULP else Status.GEMELD
        if locked.status != new_status:
            states.check_transition(locked.status, new_status)
        due = add_working_days(reported, settings.KETEN_MELDCODE_VT_FEEDBACK_WORKDAYS)
        entry = append(
            actor,
            locked,
            EntryKind.MELDING,
            occurred_on=reported,
            data={
                "vt_region": data.vt_region.strip(),
                "client_informed": data.client_informed,
                "not_informed_reason": data.not_informed_reason.strip(),
                "anonymous_melder": data.anonymous_melder,
                "feedback_due": due.isoformat(),
            },
            text=data.shared.strip(),
        )
        bump(locked, None, status=new_status, melding_on=reported, vt_feedback_due=due, vt_feedback_on=None)
        audit_step(actor, locked, AuditAction.SHARE, "melding", vt_region=data.vt_region.strip(), due=due.isoformat())
    traject.refresh_from_db()
    return entry


def vt_feedback_record(
    *, actor: Actor, traject: Traject, received_on: date | None, outcome: str, feedback: str, close: bool = False
) -> Entry:
    """The feedback Veilig Thuis gave after the melding (at least after the veiligheidsbeoordeling)."""
    require_change(actor, traject)
    received = check_date(received_on, "received_on")
    if traject.melding_on is None:
        raise DomainError(_("Er is in dit traject nog geen melding vastgelegd."))
    if received < traject.melding_on:
        raise DomainError(_("De terugkoppeling kan niet vóór de melding liggen."), field="received_on")
    if outcome not in VT_FEEDBACK_OUTCOMES:
        raise DomainError(_("Kies wat Veilig Thuis heeft besloten."), field="outcome")
    feedback = check_motivation(
        feedback, "feedback", message=_("Beschrijf de terugkoppeling van Veilig Thuis (minstens 10 tekens).")
    )
    with transaction.atomic():
        changes: dict[str, Any] = {}
        if traject.vt_feedback_on is None:
            changes["vt_feedback_on"] = received
        if close:
            states.check_transition(traject.status, Status.AFGESLOTEN)
            changes.update(status=Status.AFGESLOTEN, closed_at=timezone.now())
        entry = append(
            actor,
            traject,
            EntryKind.TERUGKOPPELING,
            occurred_on=received,
            data={
                "outcome": outcome,
                "on_time": bool(traject.vt_feedback_due and received <= traject.vt_feedback_due),
            },
            text=feedback,
        )
        bump(traject, None, **changes)
        audit_step(actor, traject, AuditAction.CREATE, "terugkoppeling", outcome=outcome)
    return entry
